#pragma once
// A distribution spec (distribution_spec.hpp) laid over a user's table: which of the table's columns each part
// models, how they become the model's columns (nn::data::ColumnPlan), and the spec by column counts the model's
// distribution is built from (the parts in spec order, each over its model columns).
//   ":[a,b]", ":[3..7]"  the part takes those columns (header names or 1-based indices, ranges inclusive)
//   ":count" or nothing  the part takes the next columns no list names, in file order (counts as today)
//   categorical over one listed column: integer codes 0..K-1 expanded to K one-hot columns (K = largest code
//   + 1 over the --data rows); over several columns: a one-hot group as it is.
//   standardize: the columns of parts whose support is the whole real line (gaussian, loss_function) become
//   (x - mean) / std with mean and std of the training rows (ColumnPlan::fit_scales).
// Every column must belong to exactly one part. The plan is the identity when no part has a list and nothing
// is standardised, so a spec by counts builds the same model as without a table.
#include <string>
#include <vector>

#include "nn/data/column_plan.hpp"

namespace xgrad::trainer {

struct TabularLayout {
  std::string spec;                // as given
  std::vector<std::string> heads;  // per part, spec order: "gaussian(tanh)" (the part without its columns)
  nn::data::ColumnPlan plan;       // one block per part (codes and scales not yet fitted), or the identity
  /// The spec by counts of the model's columns, e.g. "gaussian:2,bernoulli:5,categorical:3" (after
  /// plan.fit_codes); `spec` itself for the identity plan.
  std::string model_spec() const;
};

/// Throws UsageError naming the spec and the problem (an unknown column, a column in two parts, columns in no
/// part, counts that do not fit); `path` names the file in the messages.
TabularLayout tabular_layout(const std::string& spec, const std::string& path, const std::vector<std::string>& names,
                             std::size_t width, bool standardize);

}  // namespace xgrad::trainer
