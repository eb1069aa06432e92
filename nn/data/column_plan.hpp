#pragma once
// A table's columns turned into a model's input columns, fitted on the data and saved with the model
// (to_json / from_json) so that every later use applies the same transform. Blocks, each over source
// columns given by 0-based index; the model's columns are the blocks' outputs in block order:
//   copy        the columns as they are
//   standardize (x - mean_j) / std_j per column, mean and population std fitted on the training rows
//               (nn::data::Standardizer; a constant column maps to 0)
//   one_hot     one column of integer codes 0..K-1 -> K columns, row e_code; K = largest code + 1 of the rows
//               fitted on (fit_codes)
// inverse() maps model columns back to the source's columns and units (a one-hot group to its argmax code).
// An empty plan (no blocks) is the identity on any width.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/tensor.hpp"
#include "nn/data/dataset.hpp"

namespace xgrad::nn::data {

enum class ColumnTransform { copy, standardize, one_hot };

struct ColumnBlock {
  ColumnTransform transform = ColumnTransform::copy;
  std::vector<std::size_t> source;  // source column indices; one_hot: exactly one
  Standardizer scale;               // standardize: fitted by fit_scales
  std::size_t classes = 0;          // one_hot: K, fitted by fit_codes
  /// Output columns: source.size(), or K for one_hot.
  std::size_t width() const;
};

class ColumnPlan {
 public:
  ColumnPlan() = default;
  /// `source_names` (may be empty: a file without header) has source_width entries. Throws InvalidArgument
  /// for an index >= source_width, a one_hot block not over exactly one column, or an empty block.
  ColumnPlan(std::vector<ColumnBlock> blocks, std::size_t source_width, std::vector<std::string> source_names = {});

  bool is_identity() const { return blocks_.empty(); }
  const std::vector<ColumnBlock>& blocks() const { return blocks_; }
  std::size_t source_width() const { return source_width_; }
  const std::vector<std::string>& source_names() const { return source_names_; }
  /// Model columns (sum of the blocks' widths); source_width() for the identity.
  std::size_t width() const;

  /// Fits K of every one_hot block on x [N, source_width]; throws DataError "<what>: data row R, column C
  /// ('name'): value V is not an integer code >= 0" (1-based R and C).
  void fit_codes(const Tensor& x, const std::string& what);
  /// Fits mean and std of every standardize block on x [N, source_width] (the training rows).
  void fit_scales(const Tensor& x);
  /// x [N, source_width] -> [N, width()] in x's dtype; throws DataError as fit_codes for a code outside [0, K).
  Tensor apply(const Tensor& x, const std::string& what) const;
  /// y [N, width()] -> [N, source_width] (columns no block reads are 0).
  Tensor inverse(const Tensor& y) const;
  /// The source column that model column j comes from.
  std::size_t source_of(std::size_t j) const;
  /// "3 ('age')", or "3 ('color' = class 2)" for a one-hot column: model column j (0-based) by its source (1-based).
  std::string column_text(std::size_t j) const;

  /// log |det d(model columns)/d(source columns)| = -sum over standardised columns of log std_j (constant
  /// columns, std 0, left out): log p(x) of the source's units = log p of the model's columns + this.
  double log_abs_det_jacobian() const;
  bool standardizes() const;
  /// "29 standardised, 1 copied, 'color' one-hot of 3" (the blocks in order, like kinds merged).
  std::string describe() const;

  /// x [N, D] whose columns are named `names` (a file's header), reordered to the source order: by name when
  /// both have names (the same set of names in any order), else by position. Throws DataError naming `what`
  /// and the first missing or extra column, or the widths.
  Tensor to_source_order(const Tensor& x, const std::vector<std::string>& names, const std::string& what) const;

  nlohmann::json to_json() const;
  static ColumnPlan from_json(const nlohmann::json& j);

 private:
  std::vector<ColumnBlock> blocks_;
  std::size_t source_width_ = 0;
  std::vector<std::string> source_names_;
};

const char* column_transform_name(ColumnTransform t);

}  // namespace xgrad::nn::data
