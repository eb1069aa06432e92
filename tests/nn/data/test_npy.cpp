// NPY: bit-exact round trip for float32/float64 and all ranks, a hand-made NumPy file (Fortran
// order, format 2.0), and errors for wrong dtype, truncation, bad magic.
#include <boost/test/unit_test.hpp>

#include <cstring>

#include "nn/data/file_io.hpp"
#include "nn/data/npy.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn::data;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;

namespace {
// A .npy file the way NumPy writes it: magic, version, header length, padded dict, data.
Bytes npy_bytes(const std::string& dict, const Bytes& data, int major = 1) {
  std::string h = dict;
  const std::size_t pre = major == 1 ? 10 : 12;
  h.append((64 - (pre + h.size() + 1) % 64) % 64, ' ');
  h += '\n';
  Bytes b{0x93, 'N', 'U', 'M', 'P', 'Y', std::uint8_t(major), 0};
  if (major == 1) {
    b.push_back(std::uint8_t(h.size() & 0xff));
    b.push_back(std::uint8_t(h.size() >> 8));
  } else {
    append_le32(b, static_cast<std::uint32_t>(h.size()));
  }
  b.insert(b.end(), h.begin(), h.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}
template <class T>
Bytes raw(const std::vector<T>& v) {
  Bytes b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(npy)

BOOST_AUTO_TEST_CASE(round_trip_bit_exact) {
  test::TempDir dir;
  for (DType dt : {DType::float32, DType::float64}) {
    for (const Shape& s : {Shape{}, Shape{5}, Shape{3, 4}, Shape{2, 3, 2}}) {
      Tensor t = xgrad::test::random_tensor(s, 11).to(dt);
      if (t.size() > 0) t.set(0, 1.0 / 3.0);
      write_npy(dir.file("a.npy"), t);
      const Tensor r = read_npy(dir.file("a.npy"));
      BOOST_TEST((r.dtype() == dt));
      BOOST_TEST((r.shape() == s));
      for (std::size_t i = 0; i < t.size(); ++i) BOOST_TEST(r.at(i) == t.at(i));
    }
  }
}

BOOST_AUTO_TEST_CASE(header_is_numpy_compatible) {
  test::TempDir dir;
  write_npy(dir.file("v.npy"), Tensor::from({3}, {1, 2, 3}));
  const Bytes b = read_file(dir.file("v.npy"));
  const std::string head(b.begin(), b.begin() + 10 + (b[8] | (b[9] << 8)));
  BOOST_TEST(head.find("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }") != std::string::npos);
  BOOST_TEST(head.size() % 64 == 0u);
  BOOST_TEST(head.back() == '\n');
}

BOOST_AUTO_TEST_CASE(reads_fortran_order_and_format_2) {
  test::TempDir dir;
  // Column-major [2,3] with values a[i][j] = 10 i + j: stored as a00 a10 a01 a11 a02 a12.
  write_file(dir.file("f.npy"), npy_bytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                                          raw<double>({0, 10, 1, 11, 2, 12}), 2));
  const Tensor t = read_npy(dir.file("f.npy"));
  BOOST_TEST((t.shape() == Shape{2, 3}));
  check_close(t, {0, 1, 2, 10, 11, 12}, 0.0);
}

BOOST_AUTO_TEST_CASE(rejects_other_dtypes) {
  test::TempDir dir;
  write_file(dir.file("i.npy"), npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", Bytes(8, 0)));
  check_throws_with<DataError>(
      [&] { read_npy(dir.file("i.npy")); },
      {"i.npy: byte 10: dtype '<i8', expected '<f4' (float32), '<f8' (float64) or '|u1' (uint8)"});
  write_npy(dir.file("d.npy"), Tensor::zeros({2}, DType::float64));
  check_throws_with<DataError>([&] { read_npy(dir.file("d.npy"), DType::float32, {2}); },
                               {"d.npy: holds float64 [2], expected float32 [2]"});
  check_throws_with<DataError>([&] { read_npy(dir.file("d.npy"), DType::float64, {3}); }, {"expected float64 [3]"});
}

BOOST_AUTO_TEST_CASE(uint8_is_read_as_value_over_255_like_idx_pixels) {
  test::TempDir dir;
  // [2, 2, 3] uint8 as NumPy writes it (descr '|u1'); Fortran order too.
  Bytes data;
  for (int i = 0; i < 12; ++i) data.push_back(static_cast<std::uint8_t>(i * 20));
  write_file(dir.file("u.npy"), npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 3), }", data));
  const Tensor t = read_npy_as(dir.file("u.npy"), DType::float32);
  BOOST_TEST((t.dtype() == DType::float32));
  BOOST_TEST((t.shape() == Shape{2, 2, 3}));
  for (std::size_t i = 0; i < 12; ++i) BOOST_TEST(t.at(i) == static_cast<float>(i * 20 / 255.0));
  const Tensor codes = read_npy_as(dir.file("u.npy"), DType::float64, 1.0);
  BOOST_TEST(codes.at(11) == 220.0);
  write_file(dir.file("uf.npy"),
             npy_bytes("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", Bytes{0, 10, 1, 11, 2, 12}));
  check_close(read_npy_as(dir.file("uf.npy"), DType::float64, 1.0), {0, 1, 2, 10, 11, 12}, 0.0);
  // float files convert to the asked dtype
  write_npy(dir.file("f.npy"), Tensor::from({2}, {0.25, 0.5}).to(DType::float64));
  BOOST_TEST((read_npy_as(dir.file("f.npy"), DType::float32).dtype() == DType::float32));
  check_throws_with<DataError>([&] { read_npy(dir.file("u.npy")); }, {"u.npy", "'|u1' (uint8)", "read_npy_as"});
  check_throws_with<InvalidArgument>([&] { read_npy_as(dir.file("u.npy"), DType::float32, 0.0); },
                                     {"uint8_divisor must be > 0"});
  data.pop_back();
  write_file(dir.file("ut.npy"), npy_bytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 3), }", data));
  check_throws_with<DataError>([&] { read_npy_as(dir.file("ut.npy"), DType::float32); },
                               {"ut.npy: byte 128+11: file ends after 11 of 12 data bytes for shape [2,2,3] uint8"});
}

BOOST_AUTO_TEST_CASE(truncated_and_not_npy) {
  test::TempDir dir;
  write_file(dir.file("t.npy"),
             npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", raw<float>({1, 2, 3})));
  check_throws_with<DataError>([&] { read_npy(dir.file("t.npy")); },
                               {"t.npy: byte 128+12: file ends after 12 of 16 data bytes for shape [2,2] float32"});
  write_file(dir.file("x.npy"), Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0});
  check_throws_with<DataError>([&] { read_npy(dir.file("x.npy")); }, {"x.npy: byte 0: not an NPY file"});
  Bytes hb = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", {});
  hb.resize(30);
  write_file(dir.file("h.npy"), hb);
  check_throws_with<DataError>([&] { read_npy(dir.file("h.npy")); },
                               {"h.npy: byte 30: file ends inside the 118-byte header"});
}

BOOST_AUTO_TEST_SUITE_END()
