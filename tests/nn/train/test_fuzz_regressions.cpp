// Model files that fuzz/model_file.cpp showed to be one mutation away from a wrong tensor: a tensor-table shape
// whose byte count overflows used to wrap to the table's "bytes": 0 and load as a tensor without storage.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "autograd/errors.hpp"
#include "nn/data/file_io.hpp"
#include "temp_dir.hpp"
#include "nn/train/serialization.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

namespace {
std::uint32_t crc32_of(const nn::data::Bytes& b, std::size_t from) {  // zlib's CRC-32, bit by bit
  std::uint32_t crc = 0xffffffffu;
  for (std::size_t i = from; i < b.size(); ++i) {
    crc ^= b[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A correctly framed model file (magic, version 1, CRC, length) around `header` and `blob`.
std::string write_model(const test::TempDir& dir, const nlohmann::json& header, const nn::data::Bytes& blob) {
  const std::string text = header.dump();
  nn::data::Bytes b{'X', 'G', 'R', 'A', 'D', 'M', 'D', 'L'};
  nn::data::append_le32(b, 1);
  nn::data::append_le32(b, 0);
  nn::data::append_le64(b, 8 + text.size() + blob.size());
  nn::data::append_le64(b, text.size());
  b.insert(b.end(), text.begin(), text.end());
  b.insert(b.end(), blob.begin(), blob.end());
  const std::uint32_t crc = crc32_of(b, 24);
  for (int i = 0; i < 4; ++i) b[12 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  const std::string path = dir.file("m.xgrad");
  nn::data::write_file(path, b);
  return path;
}

nlohmann::json header_with(const nlohmann::json& shape, std::size_t bytes) {
  return {{"config", nullptr},
          {"extra", nullptr},
          {"optimizer", nullptr},
          {"tensors",
           {{{"name", "W"},
             {"group", "parameter"},
             {"dtype", "float32"},
             {"shape", shape},
             {"offset", 0},
             {"bytes", bytes}}}}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(train_fuzz_regressions)

BOOST_AUTO_TEST_CASE(tensor_shape_whose_byte_count_overflows_is_rejected) {
  test::TempDir dir;
  const auto path = write_model(dir, header_with({4611686018427387904ull, 4}, 0), {});
  check_throws_with<DataError>([&] { nn::load_model(path); },
                               {"load_model", path, "tensor 'W'", "[4611686018427387904,4]", "does not fit"});
}

BOOST_AUTO_TEST_CASE(empty_tensor_loads_without_touching_its_null_data) {
  test::TempDir dir;
  const auto loaded = nn::load_model(write_model(dir, header_with({0, 3}, 0), {}));
  BOOST_REQUIRE(loaded.parameters.size() == 1u);
  BOOST_TEST(loaded.parameters[0].second.shape() == Shape({0, 3}));
}

BOOST_AUTO_TEST_CASE(negative_tensor_offset_or_shape_names_the_field) {
  // nlohmann's get<std::size_t>() read -1 as 2^64-1; the fields are now read as non-negative integers.
  test::TempDir dir;
  nlohmann::json h = header_with({1, 1}, 4);
  h["tensors"][0]["offset"] = -1;
  const auto path = write_model(dir, h, {0, 0, 0, 0});
  check_throws_with<DataError>([&] { nn::load_model(path); }, {path, "tensor 'W'", "offset", "-1"});
  const auto path2 = write_model(dir, header_with({-1, 1}, 4), {0, 0, 0, 0});
  check_throws_with<DataError>([&] { nn::load_model(path2); }, {path2, "tensor 'W'", "shape", "-1"});
}

BOOST_AUTO_TEST_SUITE_END()
