#include "nn/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"
#include "autograd/parallel.hpp"
#include "nn/config_fields.hpp"

namespace xgrad::nn::data {

namespace {
void check_matrix(const char* where, const Tensor& x) {
  if (!x.defined() || x.dim() != 2)
    throw ShapeError(std::string(where) + ": features must be a 2-D [N, D] tensor, got " +
                     (x.defined() ? shape_string(x.shape()) : std::string("an undefined tensor")));
}

// Column statistics in double: f(column values) for each column of a 2-D tensor.
template <class F>
Tensor column_stat(const Tensor& x, F f) {
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Tensor out = Tensor::zeros({d}, DType::float64);
  double* o = out.data<double>();
  x.visit([&](const auto& a) {
    parallel::for_blocks(d, [&](std::size_t b, std::size_t e) {
      std::vector<double> col(n);
      for (std::size_t j = b; j < e; ++j) {
        for (std::size_t i = 0; i < n; ++i) col[i] = a.data()[i * d + j];
        o[j] = f(col);
      }
    });
  });
  return out;
}

// y[i, j] = (x[i, j] - shift[j]) * scale[j], in x's dtype.
Tensor affine_columns(const char* where, const Tensor& x, const Tensor& shift, const Tensor& scale) {
  check_matrix(where, x);
  if (x.shape()[1] != shift.size())
    throw ShapeError(std::string(where) + ": fitted on " + std::to_string(shift.size()) + " columns, got " +
                     shape_string(x.shape()));
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  const std::size_t d = x.shape()[1];
  const double* s = shift.data<double>();
  const double* k = scale.data<double>();
  x.visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    T* o = out.data<T>();
    parallel::for_rows(x.shape()[0], d, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t i = r0; i < r1; ++i)
        for (std::size_t j = 0; j < d; ++j) o[i * d + j] = static_cast<T>((a.data()[i * d + j] - s[j]) * k[j]);
    });
  });
  return out;
}

std::vector<std::size_t> permutation(std::size_t n, Generator& gen) {
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[gen.next_below(i)]);
  return p;
}

Tensor vector_tensor(const std::vector<double>& v) {
  return Tensor::from({v.size()}, v, DType::float64);
}
}  // namespace

Dataset::Dataset(Tensor features) : features_(std::move(features)) {
  check_matrix("Dataset", features_);
}

Dataset::Dataset(Tensor features, std::vector<int> labels, std::size_t num_classes)
    : features_(std::move(features)), labels_(std::move(labels)), num_classes_(num_classes), labelled_(true) {
  check_matrix("Dataset", features_);
  if (labels_.size() != features_.shape()[0])
    throw ShapeError("Dataset: " + std::to_string(labels_.size()) + " labels for " +
                     std::to_string(features_.shape()[0]) + " feature rows " + shape_string(features_.shape()));
  int max_label = -1;
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] < 0 || (num_classes > 0 && static_cast<std::size_t>(labels_[i]) >= num_classes))
      throw InvalidArgument("Dataset: label " + std::to_string(labels_[i]) + " at row " + std::to_string(i) +
                            " is outside [0, " + std::to_string(num_classes) + ")");
    max_label = std::max(max_label, labels_[i]);
  }
  if (num_classes_ == 0) num_classes_ = static_cast<std::size_t>(max_label + 1);
}

void Dataset::set_features(Tensor features) {
  check_matrix("Dataset::set_features", features);
  if (features.shape()[0] != size())
    throw ShapeError("Dataset::set_features: " + shape_string(features.shape()) + " for a dataset of " +
                     std::to_string(size()) + " rows");
  features_ = std::move(features);
}

Tensor Dataset::one_hot_labels(DType dtype) const {
  if (!labelled_) throw InvalidArgument("Dataset::one_hot_labels: the dataset has no labels");
  return one_hot(labels_, num_classes_, dtype);
}

Dataset Dataset::subset(const std::vector<std::size_t>& indices) const {
  Tensor f = gather_rows(features_, indices);
  if (!labelled_) return Dataset(std::move(f));
  std::vector<int> l(indices.size());
  for (std::size_t i = 0; i < indices.size(); ++i) l[i] = labels_[indices[i]];
  return Dataset(std::move(f), std::move(l), num_classes_);
}

Dataset Dataset::head(std::size_t n) const {
  std::vector<std::size_t> idx(std::min(n, size()));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  return subset(idx);
}

Tensor one_hot(const std::vector<int>& labels, std::size_t num_classes, DType dtype) {
  Tensor out = Tensor::zeros({labels.size(), num_classes}, dtype);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= num_classes)
      throw InvalidArgument("one_hot: label " + std::to_string(labels[i]) + " at row " + std::to_string(i) +
                            " is outside [0, " + std::to_string(num_classes) + ")");
    out.set(i * num_classes + static_cast<std::size_t>(labels[i]), 1.0);
  }
  return out;
}

Tensor gather_rows(const Tensor& x, const std::vector<std::size_t>& rows) {
  check_matrix("gather_rows", x);
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Tensor out = Tensor::empty({rows.size(), d}, x.dtype());
  x.visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    T* o = out.data<T>();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i] >= n)
        throw InvalidArgument("gather_rows: row index " + std::to_string(rows[i]) + " out of range for " +
                              shape_string(x.shape()));
      std::memcpy(o + i * d, a.data() + rows[i] * d, d * sizeof(T));
    }
  });
  return out;
}

MinMaxScaler MinMaxScaler::fit(const Tensor& x) {
  check_matrix("MinMaxScaler::fit", x);
  MinMaxScaler s;
  s.min = column_stat(x, [](const std::vector<double>& c) { return *std::min_element(c.begin(), c.end()); });
  s.max = column_stat(x, [](const std::vector<double>& c) { return *std::max_element(c.begin(), c.end()); });
  return s;
}

Tensor MinMaxScaler::apply(const Tensor& x) const {
  Tensor scale = Tensor::empty(min.shape(), DType::float64);
  for (std::size_t j = 0; j < min.size(); ++j) {
    const double range = max.at(j) - min.at(j);
    scale.set(j, range > 0 ? 1.0 / range : 0.0);
  }
  return affine_columns("MinMaxScaler::apply", x, min, scale);
}

nlohmann::json MinMaxScaler::to_json() const {
  return {{"min", min.to_vector()}, {"max", max.to_vector()}};
}
MinMaxScaler MinMaxScaler::from_json(const nlohmann::json& j) {
  return {vector_tensor(j.at("min").get<std::vector<double>>()), vector_tensor(j.at("max").get<std::vector<double>>())};
}

Standardizer Standardizer::fit(const Tensor& x) {
  check_matrix("Standardizer::fit", x);
  Standardizer s;
  s.mean = column_stat(x, [](const std::vector<double>& c) {
    double sum = 0;
    for (double v : c) sum += v;
    return sum / static_cast<double>(c.size());
  });
  const double* m = s.mean.data<double>();
  const std::size_t d = x.shape()[1];
  // Each column's std needs its mean: a second pass over a copy of the column.
  Tensor sd = Tensor::zeros({d}, DType::float64);
  x.visit([&](const auto& a) {
    const std::size_t n = x.shape()[0];
    parallel::for_blocks(d, [&](std::size_t b, std::size_t e) {
      for (std::size_t j = b; j < e; ++j) {
        double ss = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const double dv = a.data()[i * d + j] - m[j];
          ss += dv * dv;
        }
        sd.data<double>()[j] = std::sqrt(ss / static_cast<double>(n));
      }
    });
  });
  s.std = std::move(sd);
  return s;
}

Tensor Standardizer::apply(const Tensor& x) const {
  Tensor scale = Tensor::empty(std.shape(), DType::float64);
  for (std::size_t j = 0; j < std.size(); ++j) scale.set(j, std.at(j) > 1e-12 ? 1.0 / std.at(j) : 0.0);
  return affine_columns("Standardizer::apply", x, mean, scale);
}

nlohmann::json Standardizer::to_json() const {
  return {{"mean", mean.to_vector()}, {"std", std.to_vector()}};
}
Standardizer Standardizer::from_json(const nlohmann::json& j) {
  return {vector_tensor(j.at("mean").get<std::vector<double>>()),
          vector_tensor(j.at("std").get<std::vector<double>>())};
}

Tensor binarize(const Tensor& x, double threshold) {
  return kernels::map(x, [threshold](auto v) {
    using T = kernels::value_of<decltype(v)>;
    return xt::where(v > static_cast<T>(threshold), T(1), T(0));
  });
}

namespace {
// DataError naming the first element outside [0,1] (by row and column of a 2-D tensor).
void check_unit_interval(const char* where, const Tensor& x) {
  const std::size_t bad = x.visit([](const auto& a) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!(a.data()[i] >= 0 && a.data()[i] <= 1)) return i;
    return a.size();
  });
  if (bad < x.size()) {
    const std::size_t d = x.dim() == 2 ? x.shape()[1] : x.size();
    char value[32];
    std::snprintf(value, sizeof value, "%.9g", x.at(bad));
    throw DataError(std::string(where) + ": dynamic binarisation needs values in [0,1], got " + value + " at row " +
                    std::to_string(bad / d) + ", column " + std::to_string(bad % d) +
                    " (scale the data to [0,1] first)");
  }
}
}  // namespace

Tensor sample_binarize(const Tensor& x, Generator& gen) {
  check_unit_interval("sample_binarize", x);
  return gen.bernoulli(x);
}

std::pair<Dataset, Dataset> train_validation_split(const Dataset& data, double validation_fraction, std::uint64_t seed,
                                                   bool shuffle) {
  if (!(validation_fraction >= 0 && validation_fraction <= 1))
    throw InvalidArgument("train_validation_split: validation_fraction must be in [0,1], got " +
                          std::to_string(validation_fraction));
  const std::size_t n = data.size();
  const auto n_val = static_cast<std::size_t>(std::llround(static_cast<double>(n) * validation_fraction));
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  if (shuffle) {
    Generator gen(seed);
    order = permutation(n, gen);
  }
  std::vector<std::size_t> train(order.begin(), order.end() - static_cast<std::ptrdiff_t>(n_val));
  std::vector<std::size_t> val(order.end() - static_cast<std::ptrdiff_t>(n_val), order.end());
  return {data.subset(train), data.subset(val)};
}

Binarization binarization_from_name(const std::string& name) {
  if (name == "none") return Binarization::none;
  if (name == "static") return Binarization::fixed;
  if (name == "dynamic") return Binarization::dynamic;
  throw InvalidArgument("binarization: unknown mode '" + name + "' (none, static, dynamic)");
}

const char* binarization_name(Binarization b) {
  switch (b) {
    case Binarization::fixed:
      return "static";
    case Binarization::dynamic:
      return "dynamic";
    default:
      return "none";
  }
}

BatchIterator::BatchIterator(const Dataset& data, BatchOptions options)
    : data_(&data), options_(options), binarize_gen_(splitmix64(options.seed ^ 0xb1a5e5eedULL)) {
  if (options_.batch_size == 0) throw InvalidArgument("BatchIterator: batch_size must be >= 1");
  if (data.size() == 0) throw InvalidArgument("BatchIterator: the dataset is empty");
  if (options_.binarization == Binarization::dynamic) check_unit_interval("BatchIterator", data.features());
  start_epoch(0);
}

std::size_t BatchIterator::num_batches() const {
  const std::size_t n = data_->size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

void BatchIterator::start_epoch(std::size_t e) {
  epoch_ = e;
  position_ = 0;
  const std::size_t n = data_->size();
  if (options_.shuffle) {
    Generator gen(splitmix64(options_.seed + 0x9e3779b97f4a7c15ULL * (e + 1)));
    order_ = permutation(n, gen);
  } else if (order_.size() != n) {
    order_.resize(n);
    for (std::size_t i = 0; i < n; ++i) order_[i] = i;
  }
}

bool BatchIterator::next(Batch& out) {
  if (position_ >= num_batches()) return false;
  const std::size_t b = position_ * options_.batch_size;
  const std::size_t e = std::min(b + options_.batch_size, data_->size());
  out.indices.assign(order_.begin() + static_cast<std::ptrdiff_t>(b), order_.begin() + static_cast<std::ptrdiff_t>(e));
  out.features = gather_rows(data_->features(), out.indices);
  if (options_.binarization == Binarization::fixed) out.features = binarize(out.features, options_.threshold);
  if (options_.binarization == Binarization::dynamic) out.features = binarize_gen_.bernoulli(out.features);
  out.labels.clear();
  if (data_->has_labels())
    for (std::size_t i : out.indices) out.labels.push_back(data_->labels()[i]);
  ++position_;
  return true;
}

nlohmann::json BatchIterator::state() const {
  return {{"seed", options_.seed},      {"epoch", epoch_},
          {"position", position_},      {"binarization_stream", binarize_gen_.stream()},
          {"size", data_->size()},      {"batch_size", options_.batch_size},
          {"shuffle", options_.shuffle}};
}

void BatchIterator::restore(const nlohmann::json& s) {
  auto expect = [&](const char* key, auto value) {
    if (!s.contains(key) || s.at(key) != nlohmann::json(value))
      throw InvalidArgument(std::string("BatchIterator::restore: state has ") + key + " = " +
                            (s.contains(key) ? s.at(key).dump() : std::string("nothing")) + ", this iterator has " +
                            nlohmann::json(value).dump());
  };
  expect("seed", options_.seed);
  expect("size", data_->size());
  expect("batch_size", options_.batch_size);
  expect("shuffle", options_.shuffle);
  const std::size_t position = size_from_json(s.at("position"), "BatchIterator::restore: position");
  if (position > num_batches())
    throw InvalidArgument("BatchIterator::restore: position " + std::to_string(position) + " is past the " +
                          std::to_string(num_batches()) + " batches of an epoch");
  start_epoch(size_from_json(s.at("epoch"), "BatchIterator::restore: epoch"));
  position_ = position;
  binarize_gen_.set_state(binarize_gen_.seed(),
                          unsigned_from_json(s.at("binarization_stream"), "BatchIterator::restore: binarization_stream"));
}

}  // namespace xgrad::nn::data
