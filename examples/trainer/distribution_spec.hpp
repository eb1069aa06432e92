#pragma once
// Reconstruction distributions written as one command-line string:
//   spec  := part ("," part)*
//   part  := name [ "(" activation [ "," loss ] ")" ] [ ":" columns ]
// e.g. "bernoulli", "gaussian(tanh)", "loss_function(sigmoid,mse)", "gaussian:200,bernoulli:584".
// name is a registered distribution (nn::registered_distributions()). Several parts (or one with a
// column count) form a Composite over consecutive column ranges; at most one part may omit its count
// and then takes the remaining columns; the counts must add up to the data width.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::trainer {

struct SpecPart {
  std::string name;
  std::string activation;   // "" = the distribution's default
  std::string loss;         // loss_function only
  std::size_t columns = 0;  // 0 = not given
};

/// Splits a spec into parts; throws UsageError naming the spec and the problem.
std::vector<SpecPart> parse_distribution_spec(const std::string& spec);
/// The distribution config JSON (nn::distribution_from_config's input) for `data_columns` columns.
nlohmann::json distribution_config(const std::string& spec, std::size_t data_columns);
/// The distribution itself; throws UsageError on a bad spec, unknown name or column counts that do not fit.
nn::DistributionPtr make_distribution(const std::string& spec, std::size_t data_columns);

}  // namespace xgrad::trainer
