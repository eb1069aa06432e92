#include "nn/data/column_plan.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "autograd/errors.hpp"
#include "nn/data/csv.hpp"

namespace xgrad::nn::data {
namespace {

std::string value_text(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

bool is_code(double v) {
  return v >= 0 && v < 1e9 && v == std::floor(v);
}

// Source columns `cols` of x as a float64 [N, cols.size()] tensor.
Tensor gather_columns(const Tensor& x, const std::vector<std::size_t>& cols) {
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Tensor out = Tensor::empty({n, cols.size()}, DType::float64);
  double* o = out.data<double>();
  x.visit([&](const auto& a) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < cols.size(); ++k)
        o[i * cols.size() + k] = static_cast<double>(a.data()[i * d + cols[k]]);
  });
  return out;
}

}  // namespace

const char* column_transform_name(ColumnTransform t) {
  switch (t) {
    case ColumnTransform::copy:
      return "copy";
    case ColumnTransform::standardize:
      return "standardize";
    case ColumnTransform::one_hot:
      return "one_hot";
  }
  return "?";
}

std::size_t ColumnBlock::width() const {
  return transform == ColumnTransform::one_hot ? classes : source.size();
}

ColumnPlan::ColumnPlan(std::vector<ColumnBlock> blocks, std::size_t source_width, std::vector<std::string> source_names)
    : blocks_(std::move(blocks)), source_width_(source_width), source_names_(std::move(source_names)) {
  if (!source_names_.empty() && source_names_.size() != source_width_)
    throw InvalidArgument("ColumnPlan: " + std::to_string(source_names_.size()) + " column names for " +
                          std::to_string(source_width_) + " columns");
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    const ColumnBlock& k = blocks_[b];
    if (k.source.empty()) throw InvalidArgument("ColumnPlan: block " + std::to_string(b) + " has no columns");
    if (k.transform == ColumnTransform::one_hot && k.source.size() != 1)
      throw InvalidArgument("ColumnPlan: one_hot block " + std::to_string(b) + " must read exactly one column, not " +
                            std::to_string(k.source.size()));
    for (std::size_t j : k.source)
      if (j >= source_width_)
        throw InvalidArgument("ColumnPlan: block " + std::to_string(b) + " reads column " + std::to_string(j + 1) +
                              " of a " + std::to_string(source_width_) + "-column table");
  }
}

std::size_t ColumnPlan::width() const {
  if (is_identity()) return source_width_;
  std::size_t w = 0;
  for (const auto& k : blocks_) w += k.width();
  return w;
}

void ColumnPlan::fit_codes(const Tensor& x, const std::string& what) {
  for (auto& k : blocks_) {
    if (k.transform != ColumnTransform::one_hot) continue;
    const Tensor c = gather_columns(x, k.source);
    double top = -1;
    for (std::size_t i = 0; i < c.size(); ++i) {
      const double v = c.data<double>()[i];
      if (!is_code(v))
        throw DataError(what + ": data row " + std::to_string(i + 1) + ", column " +
                        csv_column_text(k.source[0], source_names_) + ": value " + value_text(v) +
                        " is not an integer code >= 0 (a categorical column holds class codes 0, 1, ...)");
      top = std::max(top, v);
    }
    k.classes = static_cast<std::size_t>(top) + 1;
  }
}

void ColumnPlan::fit_scales(const Tensor& x) {
  for (auto& k : blocks_)
    if (k.transform == ColumnTransform::standardize) k.scale = Standardizer::fit(gather_columns(x, k.source));
}

Tensor ColumnPlan::apply(const Tensor& x, const std::string& what) const {
  if (is_identity()) return x;
  if (x.dim() != 2 || x.shape()[1] != source_width_)
    throw ShapeError("ColumnPlan::apply: " + what + " must be [N, " + std::to_string(source_width_) + "], got " +
                     shape_string(x.shape()));
  const std::size_t n = x.shape()[0], w = width();
  Tensor out = Tensor::zeros({n, w}, DType::float64);
  double* o = out.data<double>();
  std::size_t col = 0;
  for (const auto& k : blocks_) {
    Tensor part = gather_columns(x, k.source);
    if (k.transform == ColumnTransform::standardize) {
      if (!k.scale.mean.defined()) throw InvalidArgument("ColumnPlan::apply: a standardize block was never fitted");
      part = k.scale.apply(part);
    }
    const double* p = part.data<double>();
    if (k.transform == ColumnTransform::one_hot) {
      for (std::size_t i = 0; i < n; ++i) {
        const double v = p[i];
        if (!is_code(v) || v >= static_cast<double>(k.classes))
          throw DataError(what + ": data row " + std::to_string(i + 1) + ", column " +
                          csv_column_text(k.source[0], source_names_) + ": value " + value_text(v) +
                          " is not a class code 0.." + std::to_string(k.classes - 1) + " (the codes it was fitted on)");
        o[i * w + col + static_cast<std::size_t>(v)] = 1.0;
      }
    } else {
      const std::size_t m = k.source.size();
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < m; ++j) o[i * w + col + j] = p[i * m + j];
    }
    col += k.width();
  }
  return out.to(x.dtype());
}

Tensor ColumnPlan::inverse(const Tensor& y) const {
  if (is_identity()) return y;
  if (y.dim() != 2 || y.shape()[1] != width())
    throw ShapeError("ColumnPlan::inverse: y must be [N, " + std::to_string(width()) + "], got " +
                     shape_string(y.shape()));
  const std::size_t n = y.shape()[0], w = width();
  const Tensor yd = y.to(DType::float64);
  const double* p = yd.data<double>();
  Tensor out = Tensor::zeros({n, source_width_}, DType::float64);
  double* o = out.data<double>();
  std::size_t col = 0;
  for (const auto& k : blocks_) {
    for (std::size_t i = 0; i < n; ++i) {
      const double* row = p + i * w + col;
      if (k.transform == ColumnTransform::one_hot) {
        o[i * source_width_ + k.source[0]] = static_cast<double>(std::max_element(row, row + k.classes) - row);
        continue;
      }
      for (std::size_t j = 0; j < k.source.size(); ++j) {
        double v = row[j];
        if (k.transform == ColumnTransform::standardize) v = v * k.scale.std.at(j) + k.scale.mean.at(j);
        o[i * source_width_ + k.source[j]] = v;
      }
    }
    col += k.width();
  }
  return out.to(y.dtype());
}

std::size_t ColumnPlan::source_of(std::size_t j) const {
  if (is_identity()) return j;
  for (const auto& k : blocks_) {
    if (j < k.width()) return k.transform == ColumnTransform::one_hot ? k.source[0] : k.source[j];
    j -= k.width();
  }
  throw InvalidArgument("ColumnPlan::source_of: column " + std::to_string(j) + " beyond the plan's width");
}

std::string ColumnPlan::column_text(std::size_t j) const {
  std::size_t rest = j;
  for (const auto& k : blocks_) {
    if (rest < k.width()) {
      if (k.transform != ColumnTransform::one_hot) return csv_column_text(k.source[rest], source_names_);
      const std::string name = k.source[0] < source_names_.size() ? "'" + source_names_[k.source[0]] + "' " : "";
      return std::to_string(k.source[0] + 1) + " (" + name + "= class " + std::to_string(rest) + ")";
    }
    rest -= k.width();
  }
  return csv_column_text(source_of(j), source_names_);
}

double ColumnPlan::log_abs_det_jacobian() const {
  double sum = 0;
  for (const auto& k : blocks_)
    if (k.transform == ColumnTransform::standardize && k.scale.std.defined())
      for (std::size_t j = 0; j < k.scale.std.size(); ++j)
        if (k.scale.std.at(j) > 1e-12) sum -= std::log(k.scale.std.at(j));
  return sum;
}

bool ColumnPlan::standardizes() const {
  for (const auto& k : blocks_)
    if (k.transform == ColumnTransform::standardize) return true;
  return false;
}

std::string ColumnPlan::describe() const {
  if (is_identity()) return "as they are";
  std::size_t scaled = 0, copied = 0;
  std::string codes;
  for (const auto& k : blocks_) {
    if (k.transform == ColumnTransform::standardize) scaled += k.source.size();
    if (k.transform == ColumnTransform::copy) copied += k.source.size();
    if (k.transform == ColumnTransform::one_hot) {
      const std::string name = k.source[0] < source_names_.size() ? "'" + source_names_[k.source[0]] + "'"
                                                                  : "column " + std::to_string(k.source[0] + 1);
      codes += ", " + name + " one-hot of " + std::to_string(k.classes);
    }
  }
  std::string out;
  if (scaled) out += std::to_string(scaled) + " standardised";
  if (copied) out += (out.empty() ? "" : ", ") + std::to_string(copied) + " as they are";
  out += codes;
  return out.rfind(", ", 0) == 0 ? out.substr(2) : out;
}

Tensor ColumnPlan::to_source_order(const Tensor& x, const std::vector<std::string>& names,
                                   const std::string& what) const {
  const std::size_t d = x.shape()[1];
  if (source_names_.empty() || names.empty()) {
    if (!is_identity() && d != source_width_)
      throw DataError(what + ": " + std::to_string(d) + " columns, but the model was trained on " +
                      std::to_string(source_width_));
    return x;
  }
  std::vector<std::size_t> order;
  for (const auto& want : source_names_) {
    const auto it = std::find(names.begin(), names.end(), want);
    if (it == names.end()) throw DataError(what + ": no column '" + want + "', which the model was trained on");
    order.push_back(static_cast<std::size_t>(it - names.begin()));
  }
  for (std::size_t j = 0; j < names.size(); ++j)
    if (std::find(source_names_.begin(), source_names_.end(), names[j]) == source_names_.end())
      throw DataError(what + ": column " + csv_column_text(j, names) + " is not one the model was trained on");
  return gather_columns(x, order).to(x.dtype());
}

nlohmann::json ColumnPlan::to_json() const {
  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& k : blocks_) {
    nlohmann::json b{{"transform", column_transform_name(k.transform)}, {"source", k.source}};
    if (k.transform == ColumnTransform::standardize && k.scale.mean.defined()) b["scale"] = k.scale.to_json();
    if (k.transform == ColumnTransform::one_hot) b["classes"] = k.classes;
    blocks.push_back(b);
  }
  return {{"source_width", source_width_}, {"source_names", source_names_}, {"blocks", blocks}};
}

ColumnPlan ColumnPlan::from_json(const nlohmann::json& j) {
  std::vector<ColumnBlock> blocks;
  for (const auto& b : j.at("blocks")) {
    ColumnBlock k;
    const std::string t = b.at("transform").get<std::string>();
    if (t == "copy")
      k.transform = ColumnTransform::copy;
    else if (t == "standardize")
      k.transform = ColumnTransform::standardize;
    else if (t == "one_hot")
      k.transform = ColumnTransform::one_hot;
    else
      throw InvalidArgument("ColumnPlan::from_json: unknown transform '" + t + "' (copy, standardize, one_hot)");
    k.source = b.at("source").get<std::vector<std::size_t>>();
    if (b.contains("scale")) {
      k.scale = Standardizer::from_json(b["scale"]);
      if (k.scale.mean.size() != k.source.size() || k.scale.std.size() != k.source.size())
        throw InvalidArgument("ColumnPlan::from_json: a standardize block of " + std::to_string(k.source.size()) +
                              " columns has " + std::to_string(k.scale.mean.size()) + " means");
    }
    if (k.transform == ColumnTransform::one_hot) {
      k.classes = b.at("classes").get<std::size_t>();
      if (k.classes == 0 || k.classes > 1000000)
        throw InvalidArgument("ColumnPlan::from_json: one_hot classes " + std::to_string(k.classes) + " out of range");
    }
    blocks.push_back(std::move(k));
  }
  return ColumnPlan(std::move(blocks), j.at("source_width").get<std::size_t>(),
                    j.value("source_names", std::vector<std::string>{}));
}

}  // namespace xgrad::nn::data
