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

BOOST_AUTO_TEST_CASE(missing_file) {
  check_throws_with<DataError>([] { read_idx_images("/nonexistent/dir/x-idx3-ubyte"); },
                               {"/nonexistent/dir/x-idx3-ubyte: cannot open", "No such file"});
}

BOOST_AUTO_TEST_SUITE_END()
