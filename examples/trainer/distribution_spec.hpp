#pragma once
// Reconstruction distributions written as one command-line string:
//   spec  := part ("," part)*
//   part  := name [ "(" activation [ "," loss ] ")" ] [ ":" count | ":[" column ("," column)* "]" ]
//   column := a header name or 1-based index, or a range "first..last" of them
// e.g. "bernoulli", "gaussian(tanh)", "loss_function(sigmoid,mse)", "gaussian:200,bernoulli:584",
//      "gaussian:[age,income],bernoulli:[3..7],categorical:[color]".
// name is a registered distribution (nn::registered_distributions()). Several parts (or one with a
// column count) form a Composite over consecutive column ranges; at most one part may omit its count
// and then takes the remaining columns; the counts must add up to the data width. Parts with a column list
// are resolved against a table's columns by tabular_layout.hpp (distribution_config takes counts only).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::trainer {

struct SpecPart {
  std::string name;
  std::string activation;              // "" = the distribution's default
  std::string loss;                    // loss_function only
  std::size_t columns = 0;             // 0 = not given
  std::vector<std::string> selection;  // ":[...]": the column references as written, ranges unexpanded
};

/// Splits a spec into parts; throws UsageError naming the spec and the problem.
std::vector<SpecPart> parse_distribution_spec(const std::string& spec);
/// Throws UsageError naming the first part whose name is not a registered distribution.
void check_distribution_names(const std::string& spec, const std::vector<SpecPart>& parts);
/// One part's distribution config, {"type": name, "activation": ..., "loss": ...}.
nlohmann::json part_config(const SpecPart& part);
/// The part as written without its columns: "gaussian", "gaussian(tanh)", "loss_function(sigmoid,mse)".
std::string part_head(const SpecPart& part);
/// The distribution config JSON (nn::distribution_from_config's input) for `data_columns` columns. Throws
/// UsageError for a part with a column list.
nlohmann::json distribution_config(const std::string& spec, std::size_t data_columns);
/// The distribution itself; throws UsageError on a bad spec, unknown name or column counts that do not fit.
nn::DistributionPtr make_distribution(const std::string& spec, std::size_t data_columns);

}  // namespace xgrad::trainer
