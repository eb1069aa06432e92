#pragma once
// In-memory datasets: features [N, D] (float32 or float64) with optional integer class labels [N] in
// [0, num_classes); preprocessing fitted on training data (min-max scaling, standardisation),
// binarisation, one-hot labels, a seeded train/validation split, and a seeded minibatch iterator.
#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace xgrad::nn::data {

class Dataset {
 public:
  Dataset() = default;
  /// Unlabelled: features must be 2-D.
  explicit Dataset(Tensor features);
  /// Labelled: labels.size() == N, each in [0, num_classes); num_classes 0 means max label + 1.
  Dataset(Tensor features, std::vector<int> labels, std::size_t num_classes = 0);

  std::size_t size() const { return features_.defined() ? features_.shape()[0] : 0; }
  std::size_t dim() const { return features_.defined() ? features_.shape()[1] : 0; }
  bool has_labels() const { return labelled_; }
  std::size_t num_classes() const { return num_classes_; }
  const Tensor& features() const { return features_; }
  /// Replaces the features (same N; D may change), e.g. after scaling.
  void set_features(Tensor features);
  const std::vector<int>& labels() const { return labels_; }
  /// labels as one-hot rows [N, num_classes]; throws when unlabelled.
  Tensor one_hot_labels(DType dtype = DType::float32) const;

  /// The rows at `indices` (in that order), with their labels.
  Dataset subset(const std::vector<std::size_t>& indices) const;
  /// The first min(n, N) rows.
  Dataset head(std::size_t n) const;

 private:
  Tensor features_;
  std::vector<int> labels_;
  std::size_t num_classes_ = 0;
  bool labelled_ = false;
};

/// [N, C] with row i = e_{labels[i]}; throws InvalidArgument for a label outside [0, C).
Tensor one_hot(const std::vector<int>& labels, std::size_t num_classes, DType dtype = DType::float32);
/// Rows of a 2-D tensor, in the given order.
Tensor gather_rows(const Tensor& x, const std::vector<std::size_t>& rows);

/// Per-column min-max scaling to [0,1]: (x - min) / (max - min); a constant column maps to 0.
struct MinMaxScaler {
  Tensor min, max;  // [D], float64
  static MinMaxScaler fit(const Tensor& x);
  Tensor apply(const Tensor& x) const;
  nlohmann::json to_json() const;
  static MinMaxScaler from_json(const nlohmann::json& j);
};

/// Per-column standardisation (x - mean) / std (population std); a constant column maps to 0.
/// Fit on the training set, apply to both training and test sets.
struct Standardizer {
  Tensor mean, std;  // [D], float64
  static Standardizer fit(const Tensor& x);
  Tensor apply(const Tensor& x) const;
  nlohmann::json to_json() const;
  static Standardizer from_json(const nlohmann::json& j);
};

/// Static binarisation: 1 where x > threshold, else 0.
Tensor binarize(const Tensor& x, double threshold = 0.5);
/// Dynamic binarisation: a fresh draw of Bernoulli(x) per element (x must lie in [0,1]).
Tensor sample_binarize(const Tensor& x, Generator& gen);

/// Splits into (train, validation) with round(N * validation_fraction) validation rows; with
/// `shuffle` the rows are assigned by a permutation drawn from `seed`, otherwise the last rows validate.
std::pair<Dataset, Dataset> train_validation_split(const Dataset& data, double validation_fraction,
                                                   std::uint64_t seed = 0, bool shuffle = true);

enum class Binarization { none, fixed, dynamic };
/// "none", "static", "dynamic"
Binarization binarization_from_name(const std::string& name);
const char* binarization_name(Binarization b);

struct BatchOptions {
  std::size_t batch_size = 32;
  bool shuffle = true;
  std::uint64_t seed = 0;
  bool drop_last = false;  // drop a final partial batch
  Binarization binarization = Binarization::none;
  double threshold = 0.5;  // for Binarization::fixed
};

struct Batch {
  Tensor features;                   // [B, D]
  std::vector<int> labels;           // [B] (empty when unlabelled)
  std::vector<std::size_t> indices;  // rows of the dataset
};

/// Minibatches over a dataset (which must outlive the iterator). Epoch e visits the rows in a
/// permutation that depends only on (seed, e); dynamic binarisation draws from a generator seeded
/// from `seed` whose position is part of state(), so a restored iterator continues exactly.
class BatchIterator {
 public:
  BatchIterator(const Dataset& data, BatchOptions options);
  std::size_t num_batches() const;
  std::size_t batch_size() const { return options_.batch_size; }
  const Dataset& dataset() const { return *data_; }
  const BatchOptions& options() const { return options_; }
  /// Index of the current epoch (start_epoch's argument) and of the next batch in it.
  std::size_t epoch() const { return epoch_; }
  std::size_t position() const { return position_; }
  /// Starts epoch e from its first batch.
  void start_epoch(std::size_t e);
  /// Fills the next batch of the current epoch; false when the epoch is exhausted.
  bool next(Batch& out);

  /// {"seed", "epoch", "position", "binarization_stream", "size", "batch_size"}.
  nlohmann::json state() const;
  /// Restores state(); throws InvalidArgument when it was taken with another seed, size or batch size.
  void restore(const nlohmann::json& state);

 private:
  const Dataset* data_;
  BatchOptions options_;
  std::vector<std::size_t> order_;
  std::size_t epoch_ = 0, position_ = 0;
  Generator binarize_gen_;
};

}  // namespace xgrad::nn::data
