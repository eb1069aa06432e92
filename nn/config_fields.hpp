#pragma once
// Sizes read from JSON configs. nlohmann's get<std::size_t>() turns -1 into 2^64-1 (and 2.5 into 2), so a sign
// typo in a layer config asked for an 18-exabyte weight matrix (found by fuzz/layer_config.cpp); these accept
// only non-negative integers and otherwise name the field.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/errors.hpp"

namespace xgrad::nn {

/// `value` as an unsigned 64-bit integer (a generator state, a counter); InvalidArgument
/// "<where>: expected a non-negative integer, got <value>" for anything else (negative, fractional, not a number).
inline std::uint64_t unsigned_from_json(const nlohmann::json& value, const std::string& where) {
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
    throw InvalidArgument(where + ": expected a non-negative integer, got " + value.dump());
  return value.get<std::uint64_t>();
}

/// `value` as a size (see unsigned_from_json).
inline std::size_t size_from_json(const nlohmann::json& value, const std::string& where) {
  return static_cast<std::size_t>(unsigned_from_json(value, where));
}

/// An array of sizes (see size_from_json).
inline std::vector<std::size_t> sizes_from_json(const nlohmann::json& value, const std::string& where) {
  if (!value.is_array())
    throw InvalidArgument(where + ": expected an array of non-negative integers, got " + value.dump());
  std::vector<std::size_t> out;
  for (const auto& v : value) out.push_back(size_from_json(v, where));
  return out;
}

}  // namespace xgrad::nn
