// IDX reader (raw and gzip: read_file inflates a stream that starts with 0x1f 0x8b): the same input is read
// as an image file, as a label file and as an IDX array of any type and rank. Accepted files must hold exactly what
// their header declares.
#include "nn/data/idx.hpp"
#include "autograd/errors.hpp"
#include "fuzz_support.hpp"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::input_file(data, size, ".idx");
  try {
    const nn::data::IdxImages images = nn::data::read_idx_images(path);
    if (images.pixels.size() != images.count * images.rows * images.cols) fuzz::fail("pixel count != header");
    const Tensor t = nn::data::images_to_tensor(images);
    if (t.size() != images.pixels.size()) fuzz::fail("tensor size != pixel count");
  } catch (const DataError&) {
  }
  try {
    const auto labels = nn::data::read_idx_labels(path);
    (void)labels;
  } catch (const DataError&) {
  }
  try {  // any element type and rank
    const nn::data::IdxArray a = nn::data::read_idx(path, DType::float64);
    if (a.values.size() * 1 > size) fuzz::fail("more elements than file bytes");
  } catch (const DataError&) {
  }
  return 0;
}
