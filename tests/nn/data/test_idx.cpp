// IDX reader: round trip raw and gzip, wrong magic, wrong dtype, truncated header and data,
// trailing bytes, corrupt gzip; messages name the file and the byte offset.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "nn/data/file_io.hpp"
#include "nn/data/idx.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn::data;
using xgrad::test::check_throws_with;

namespace {
std::vector<std::uint8_t> pixels(std::size_t n) {
  std::vector<std::uint8_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>((i * 37) % 256);
  return p;
}
Bytes be32(std::uint32_t v) {
  return {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
}
Bytes header(std::uint32_t magic, std::vector<std::uint32_t> dims) {
  Bytes b = be32(magic);
  for (auto d : dims) {
    Bytes x = be32(d);
    b.insert(b.end(), x.begin(), x.end());
  }
  return b;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(idx)

BOOST_AUTO_TEST_CASE(round_trip_raw_and_gzip) {
  test::TempDir dir;
  const auto p = pixels(3 * 2 * 4);
  for (bool gz : {false, true}) {
    const std::string path = dir.file(gz ? "img.gz" : "img");
    write_idx(path, {3, 2, 4}, p, gz);
    const IdxImages im = read_idx_images(path);
    BOOST_TEST(im.count == 3u);
    BOOST_TEST(im.rows == 2u);
    BOOST_TEST(im.cols == 4u);
    BOOST_TEST(im.pixels == p);
    const Tensor t = images_to_tensor(im);
    BOOST_TEST((t.shape() == Shape{3, 8}));
    BOOST_TEST(t.at(1) == 37.0f / 255.0f);
  }
  const std::vector<std::uint8_t> labels{3, 1, 4, 1, 5};
  write_idx(dir.file("lab.gz"), {5}, labels, true);
  BOOST_TEST(read_idx_labels(dir.file("lab.gz")) == labels);
}

BOOST_AUTO_TEST_CASE(gzip_detected_by_magic_not_name) {
  test::TempDir dir;
  write_idx(dir.file("plain.gz"), {2}, {7, 9}, false);  // ".gz" name, raw content
  BOOST_TEST((read_idx_labels(dir.file("plain.gz")) == std::vector<std::uint8_t>{7, 9}));
  write_idx(dir.file("packed"), {2}, {7, 9}, true);  // no ".gz", gzip content
  BOOST_TEST((read_idx_labels(dir.file("packed")) == std::vector<std::uint8_t>{7, 9}));
}

BOOST_AUTO_TEST_CASE(wrong_magic_names_file_offset_and_expectation) {
  test::TempDir dir;
  const std::string path = dir.file("t10k-images-idx3-ubyte.gz");
  Bytes b = header(0x00000804, {1, 1, 1, 1});
  b.push_back(0);
  write_file(path, b, true);
  check_throws_with<DataError>([&] { read_idx_images(path); },
                               {path + ": byte 0: magic 0x00000804", "expected 0x00000803 (idx3 ubyte images)"});
  // A label file read as images.
  write_idx(dir.file("labels"), {2}, {1, 2});
  check_throws_with<DataError>([&] { read_idx_images(dir.file("labels")); },
                               {"labels: byte 0: magic 0x00000801", "expected 0x00000803"});
  check_throws_with<DataError>([&] { read_idx_labels(path); }, {"magic 0x00000804", "expected 0x00000801"});
}

BOOST_AUTO_TEST_CASE(wrong_dtype_byte) {
  test::TempDir dir;
  Bytes b = header(0x00000d01, {1});  // 0x0d = float
  b.insert(b.end(), {0, 0, 0, 0});
  write_file(dir.file("f"), b);
  check_throws_with<DataError>([&] { read_idx_labels(dir.file("f")); },
                               {"byte 0: magic 0x00000d01", "0x08 = unsigned byte", "expected 0x00000801"});
}

BOOST_AUTO_TEST_CASE(truncated_data_reports_offset_and_counts) {
  test::TempDir dir;
  Bytes b = header(0x00000803, {3, 2, 2});
  const auto p = pixels(10);  // 12 needed
  b.insert(b.end(), p.begin(), p.end());
  const std::string path = dir.file("train-images-idx3-ubyte.gz");
  write_file(path, b, true);
  check_throws_with<DataError>([&] { read_idx_images(path); },
                               {path + ": byte 16+10: file ends after 10 of 12 image bytes", "2 of 3 complete"});
}

BOOST_AUTO_TEST_CASE(truncated_header) {
  test::TempDir dir;
  Bytes b = header(0x00000803, {3});  // dims missing
  write_file(dir.file("h"), b);
  check_throws_with<DataError>([&] { read_idx_images(dir.file("h")); },
                               {"h: byte 8: file ends inside the header", "expected 16 header bytes"});
  write_file(dir.file("e"), Bytes{0, 0});
  check_throws_with<DataError>([&] { read_idx_labels(dir.file("e")); }, {"e: byte 0: file has 2 bytes"});
}

BOOST_AUTO_TEST_CASE(trailing_bytes_and_zero_dimension) {
  test::TempDir dir;
  Bytes b = header(0x00000801, {2});
  b.insert(b.end(), {1, 2, 3});
  write_file(dir.file("l"), b);
  check_throws_with<DataError>([&] { read_idx_labels(dir.file("l")); }, {"l: byte 10: 1 unexpected bytes"});
  Bytes z = header(0x00000803, {1, 0, 4});
  write_file(dir.file("z"), z);
  check_throws_with<DataError>([&] { read_idx_images(dir.file("z")); }, {"z: byte 8: dimension 1 is 0"});
}

BOOST_AUTO_TEST_CASE(corrupt_and_truncated_gzip) {
  test::TempDir dir;
  write_idx(dir.file("ok.gz"), {3, 8, 8}, pixels(192), true);
  Bytes raw;
  {
    std::ifstream in(dir.file("ok.gz"), std::ios::binary);
    raw.assign(std::istreambuf_iterator<char>(in), {});
  }
  Bytes cut(raw.begin(), raw.begin() + static_cast<long>(raw.size() / 2));
  write_file(dir.file("cut.gz"), cut);
  check_throws_with<DataError>([&] { read_idx_images(dir.file("cut.gz")); }, {"cut.gz: gzip stream truncated"});
  Bytes bad = raw;
  for (std::size_t i = 12; i < 20; ++i) bad[i] ^= 0xff;
  write_file(dir.file("bad.gz"), bad);
  check_throws_with<DataError>([&] { read_idx_images(dir.file("bad.gz")); }, {"bad.gz: corrupt gzip data"});
}

// One case per element type: write_idx then read_idx, raw and gzip, of a 4-D array; ubyte is / 255.
void round_trip_type(IdxType type, const std::vector<double>& values, double ubyte_divisor = 1.0) {
  test::TempDir dir;
  for (bool gz : {false, true}) {
    const std::string path = dir.file(gz ? "a.idx.gz" : "a.idx");
    write_idx(path, type, {2, 1, 3, 2}, values, gz);
    const Bytes b = read_file(path);
    BOOST_TEST(b[2] == static_cast<std::uint8_t>(type));  // magic 0x0000TT04
    BOOST_TEST(b[3] == 4);
    const IdxArray a = read_idx(path, DType::float64, type == IdxType::ubyte ? ubyte_divisor : 255.0);
    BOOST_TEST((a.type == type));
    BOOST_TEST((a.values.shape() == Shape{2, 1, 3, 2}));
    for (std::size_t i = 0; i < values.size(); ++i)
      BOOST_TEST(a.values.at(i) == (type == IdxType::ubyte ? values[i] / ubyte_divisor : values[i]),
                 idx_type_name(type) << " element " << i);
  }
}

BOOST_AUTO_TEST_CASE(read_idx_ubyte_any_rank_over_255) {
  round_trip_type(IdxType::ubyte, {0, 1, 2, 127, 128, 255, 3, 4, 5, 6, 7, 8}, 255.0);
  round_trip_type(IdxType::ubyte, {0, 1, 2, 127, 128, 255, 3, 4, 5, 6, 7, 8}, 1.0);
  // read_idx agrees with the MNIST reader on an idx3 file
  test::TempDir dir;
  write_idx(dir.file("img"), {3, 2, 4}, pixels(24), false);
  const Tensor a = read_idx(dir.file("img")).values, b = images_to_tensor(read_idx_images(dir.file("img")));
  BOOST_TEST((a.shape() == Shape{3, 2, 4}));
  for (std::size_t i = 0; i < 24; ++i) BOOST_TEST(a.at(i) == b.at(i));
}
BOOST_AUTO_TEST_CASE(read_idx_signed_byte) {
  round_trip_type(IdxType::sbyte, {-128, -1, 0, 1, 127, 5, -5, 6, 7, 8, 9, 10});
}
BOOST_AUTO_TEST_CASE(read_idx_short) {
  round_trip_type(IdxType::int16, {-32768, -1, 0, 1, 32767, 300, -300, 6, 7, 8, 9, 10});
}
BOOST_AUTO_TEST_CASE(read_idx_int) {
  round_trip_type(IdxType::int32, {-2147483648.0, -1, 0, 1, 2147483647.0, 70000, -70000, 6, 7, 8, 9, 10});
}
BOOST_AUTO_TEST_CASE(read_idx_float) {
  round_trip_type(IdxType::float32, {-1.5, 0.25, 0, double(1e30f), double(-3e-5f), 0.5, 1, 2, 3, 4, 5, 6});
}
BOOST_AUTO_TEST_CASE(read_idx_double) {
  round_trip_type(IdxType::float64, {-1.0 / 3, 0.1, 0, 1e300, -3e-300, 0.5, 1, 2, 3, 4, 5, 6});
}

BOOST_AUTO_TEST_CASE(read_idx_rejects_bad_type_rank_and_size) {
  test::TempDir dir;
  Bytes b = header(0x00000a01, {1});
  b.push_back(0);
  write_file(dir.file("t.idx"), b);
  check_throws_with<DataError>([&] { read_idx(dir.file("t.idx")); },
                               {"t.idx: byte 2: element type 0x0000000a", "0x0e double"});
  write_file(dir.file("r.idx"), header(0x00000d00, {}));
  check_throws_with<DataError>([&] { read_idx(dir.file("r.idx")); }, {"r.idx: byte 3: rank 0"});
  Bytes s = header(0x00000b02, {2, 2});
  s.insert(s.end(), 7, 0);  // 7 of 8 bytes of four shorts
  write_file(dir.file("s.idx"), s, true);
  check_throws_with<DataError>([&] { read_idx(dir.file("s.idx")); },
                               {"s.idx: byte 12+7: file ends after 7 of 8 short element bytes (3 of 4 complete)"});
  check_throws_with<InvalidArgument>(
      [&] {
        write_idx(dir.file("w.idx"), IdxType::sbyte, {2}, {1, 200});
      },
      {"w.idx", "element 1 = 200", "[-128, 127]"});
  check_throws_with<InvalidArgument>([&] { write_idx(dir.file("w.idx"), IdxType::int16, {1}, {0.5}); },
                                     {"element 0 = 0.5"});
}

BOOST_AUTO_TEST_CASE(missing_file) {
  check_throws_with<DataError>([] { read_idx_images("/nonexistent/dir/x-idx3-ubyte"); },
                               {"/nonexistent/dir/x-idx3-ubyte: cannot open", "No such file"});
}

BOOST_AUTO_TEST_SUITE_END()
