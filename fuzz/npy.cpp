// NPY reader: an accepted file gives a tensor with exactly the header's shape and dtype.
#include "nn/data/npy.hpp"
#include "autograd/errors.hpp"
#include "fuzz_support.hpp"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::input_file(data, size, ".npy");
  try {
    const Tensor t = nn::data::read_npy(path);
    if (t.size() != shape_size(t.shape())) fuzz::fail("tensor size != product of its shape");
    if (t.size() * (t.dtype() == DType::float32 ? 4 : 8) > size) fuzz::fail("tensor larger than the file");
  } catch (const DataError&) {
  }
  try {  // uint8 too
    const Tensor t = nn::data::read_npy_as(path, DType::float64);
    if (t.size() > size) fuzz::fail("more elements than file bytes");
  } catch (const DataError&) {
  }
  return 0;
}
