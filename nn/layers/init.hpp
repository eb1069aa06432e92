#pragma once
// Weight initialisers with Deeplearning4j's names and formulas (WeightInitUtil / WeightInit* classes).
// W has fan_in = n_in and fan_out = n_out. N(m, s) is a normal with standard deviation s:
//   XAVIER          N(0, sqrt(2 / (fan_in + fan_out)))        (DL4J's default)
//   XAVIER_UNIFORM  U(-s, s), s = sqrt(6 / (fan_in + fan_out))
//   XAVIER_FAN_IN   N(0, 1 / sqrt(fan_in))
//   RELU            N(0, sqrt(2 / fan_in))                    (He et al.)
//   RELU_UNIFORM    U(-s, s), s = sqrt(6 / fan_in)
//   LECUN_NORMAL    N(0, 1 / sqrt(fan_in))
//   LECUN_UNIFORM   U(-s, s), s = 3 / sqrt(fan_in)            (DL4J's formula: variance 3/fan_in, not LeCun's 1/fan_in)
//   NORMAL          N(0, 1 / sqrt(fan_in))
//   UNIFORM         U(-s, s), s = 1 / sqrt(fan_in)
//   ZERO, ONES      constants
//   DISTRIBUTION    any of: normal(mean=a, std=b), uniform(lo=a, hi=b), truncated_normal(mean=a, std=b; redrawn
//                   outside mean +- 2 std, as DL4J's TruncatedNormalDistribution), lognormal(a, b: mean and std of
//                   log w), constant(a)
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace xgrad::nn {

enum class WeightInit {
  XAVIER,
  XAVIER_UNIFORM,
  XAVIER_FAN_IN,
  RELU,
  RELU_UNIFORM,
  LECUN_NORMAL,
  LECUN_UNIFORM,
  NORMAL,
  UNIFORM,
  ZERO,
  ONES,
  DISTRIBUTION
};

struct WeightInitConfig {
  WeightInit scheme = WeightInit::XAVIER;
  std::string distribution = "normal";  // DISTRIBUTION only: normal, uniform, truncated_normal, lognormal, constant
  double a = 0, b = 1;                  // DISTRIBUTION only: see the table above

  /// "xavier", "RELU_UNIFORM", ... (case-insensitive, DL4J names), or "distribution:normal(0,0.01)" /
  /// "distribution:uniform(-0.1,0.1)" for DISTRIBUTION. Throws InvalidArgument listing the known names.
  static WeightInitConfig from_name(const std::string& name);
  /// A distribution scheme: distribution(name, a, b); the name is checked.
  static WeightInitConfig distribution_of(const std::string& name, double a, double b);
  /// The DL4J name in upper case ("XAVIER"), or "distribution:normal(0,0.01)"; from_name(name()) round-trips.
  std::string name() const;
  /// {"scheme": "XAVIER"} plus {"distribution", "a", "b"} for DISTRIBUTION.
  nlohmann::json to_json() const;
  /// Accepts to_json()'s object or a name string.
  static WeightInitConfig from_json(const nlohmann::json& j);
  bool operator==(const WeightInitConfig& o) const;
};

/// Every scheme name, in enum order ("XAVIER", ..., "DISTRIBUTION").
const std::vector<std::string>& weight_init_names();

/// A tensor of `shape` drawn by `config` from `gen` (one or more fills). fan_in / fan_out >= 1 for the
/// fan-based schemes; throws InvalidArgument naming the scheme otherwise.
Tensor initialize_weights(const WeightInitConfig& config, std::size_t fan_in, std::size_t fan_out, const Shape& shape,
                          Generator& gen, DType dtype = DType::float32);

}  // namespace xgrad::nn
