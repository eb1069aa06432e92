// Inputs that fuzz/ (scripts/fuzz.sh) found or that its harnesses showed to be one mutation away: each was a crash,
// undefined behaviour or a silently wrong tensor before the fix; now a DataError naming the file and byte.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "autograd/errors.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/npy.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

namespace {
// A format-1.0 NPY file with the given header dict and `data_bytes` zero bytes of data.
std::string write_npy_header(const test::TempDir& dir, const std::string& dict, std::size_t data_bytes) {
  std::string header = dict;
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8);
  file += static_cast<char>(header.size() & 0xff);
  file += static_cast<char>(header.size() >> 8);
  file += header + std::string(data_bytes, '\0');
  const std::string path = dir.file("t.npy");
  std::ofstream(path, std::ios::binary) << file;
  return path;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(data_fuzz_regressions)

// fuzz_npy: memcpy from the file into the null data pointer of an empty tensor (UBSan: null argument).
BOOST_AUTO_TEST_CASE(npy_with_zero_elements_is_an_empty_tensor) {
  test::TempDir dir;
  const auto path = write_npy_header(dir, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1), }", 0);
  const Tensor t = nn::data::read_npy(path);
  BOOST_TEST(t.shape() == Shape({0, 1}));
  BOOST_TEST(t.size() == 0u);
}

// std::stoul read "-1" as 2^64-1; the entry is now rejected as such.
BOOST_AUTO_TEST_CASE(npy_negative_shape_entry_is_named) {
  test::TempDir dir;
  const auto path = write_npy_header(dir, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 4);
  check_throws_with<DataError>([&] { nn::data::read_npy(path); }, {path, "byte 10", "(-1,)", "non-integer entry"});
}

// 2^62 x 4 float32 elements are 2^66 bytes: the product wrapped to 0, matched the empty payload and gave a
// [2^62, 4] tensor without storage.
BOOST_AUTO_TEST_CASE(npy_shape_whose_byte_count_overflows_is_rejected) {
  test::TempDir dir;
  const auto path =
      write_npy_header(dir, "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 0);
  check_throws_with<DataError>([&] { nn::data::read_npy(path); },
                               {path, "byte 10", "4611686018427387904", "more elements than a file can hold"});
}

// 4 images of 2^31 x 2^31 pixels are 2^64 bytes: the product wrapped to 0 and an empty payload passed.
BOOST_AUTO_TEST_CASE(idx_dimensions_whose_product_overflows_are_rejected) {
  test::TempDir dir;
  const std::string path = dir.file("images.idx");
  std::ofstream(path, std::ios::binary) << std::string(
      "\x00\x00\x08\x03\x00\x00\x00\x04\x80\x00\x00\x00\x80\x00\x00\x00", 16);
  check_throws_with<DataError>(
      [&] { nn::data::read_idx_images(path); },
      {path, "byte 4", "4 images of 2147483648x2147483648", "more bytes than a file can hold"});
}

BOOST_AUTO_TEST_SUITE_END()
