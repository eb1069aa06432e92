#pragma once
// Network: Deeplearning4j's MultiLayerNetwork role. An ordered list of layers (children "0", "1", ...,
// parameters "0.W", "1.b", ...); the last layer may be an OutputLayer, the supervised head.
//   output(x)         forward through every layer in inference mode, without recording (batched).
//   fit(data, opts)   minibatch training of  mean_n loss(labels_n, out_n) + sum_layers regularization
//                     with the network's optimizer; pretrain-only parameters (VAE decoder, ...) held fixed.
//   pretrain(...)     layerwise unsupervised training of every pretrainable layer (AutoEncoder, VAE) on
//                     its pretrain_loss, the earlier layers run in inference mode without gradients.
//   score / evaluate  mean objective / classification metrics on a dataset (inference mode).
// Epochs are counted across calls (training_state()); epoch e shuffles with a permutation of (seed, e), so
// fit(2 epochs) + fit(2 epochs) equals fit(4 epochs), and a checkpoint resumes bit-exactly.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/data/dataset.hpp"
#include "nn/layers/layer.hpp"
#include "nn/layers/output_layer.hpp"
#include "nn/optim/optimizer.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/listeners.hpp"

namespace xgrad::nn {

struct FitOptions {
  std::size_t epochs = 1;
  std::size_t batch_size = 32;
  bool shuffle = true;
  std::uint64_t seed = 0;
  data::Binarization binarization = data::Binarization::none;  // applied to each minibatch's features
  double threshold = 0.5;                                      // static binarisation threshold

  data::BatchOptions batch_options() const;
};

/// Counters saved in checkpoints so that training continues where it stopped.
struct TrainingState {
  std::size_t epoch = 0;      // epochs completed by fit
  std::size_t iteration = 0;  // optimizer steps taken by fit
  nlohmann::json iterator;    // the fit BatchIterator's state after the last epoch (null before any)
  nlohmann::json to_json() const;
  static TrainingState from_json(const nlohmann::json& j);
};

class Network : public Module {
 public:
  Network() = default;
  explicit Network(std::vector<std::shared_ptr<Layer>> layers);
  /// Appends a layer; ShapeError when its n_in differs from the previous layer's n_out.
  Network& add(std::shared_ptr<Layer> layer);
  std::string type_name() const override { return "Network"; }

  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t i) const;
  const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }
  /// The last layer as an OutputLayer, or null when it is not one.
  OutputLayer* output_layer() const;
  DType dtype() const;

  /// The optimizer for fit (over every parameter; DL4J's updater), from a config such as {"type": "adam",
  /// "learning_rate": 1e-3} or optimizer_from_config's other forms. Pretraining uses the same config.
  void set_optimizer(const nlohmann::json& config);
  Optimizer* optimizer() const { return optimizer_.get(); }

  void add_listener(std::shared_ptr<TrainingListener> listener);
  void clear_listeners() { listeners_.clear(); }
  /// Ends fit/pretrain after the current epoch (for listeners such as EarlyStopping).
  void request_stop() { stop_requested_ = true; }

  /// Forward through every layer in the current mode, recording on the tape.
  Variable forward(const Variable& x);
  /// Inference: eval mode, no tape, in batches of `batch_size` rows (0 = all at once). [N, n_in] ->
  /// [N, last layer's output_shape()...] ([N, n_out] for a flat last layer).
  Tensor output(const Tensor& x, std::size_t batch_size = 1024);

  /// Runs options.epochs more epochs. The minibatch iterator continues the state of the previous fit (or of
  /// a loaded checkpoint) when that was made with the same seed, batch size, shuffle flag and dataset size,
  /// and starts afresh otherwise. InvalidArgument when the last layer is not an OutputLayer, the data has no
  /// labels or no optimizer is set.
  void fit(const data::Dataset& data, const FitOptions& options);
  /// Mean per-example loss of the output layer + regularisation, in inference mode.
  double score(const data::Dataset& data, std::size_t batch_size = 1024);
  Evaluation evaluate(const data::Dataset& data, std::size_t batch_size = 1024,
                      std::vector<std::string> class_names = {});

  /// pretrain_layer(i) for every pretrainable layer, in order.
  void pretrain(const data::Dataset& data, const FitOptions& options);
  void pretrain_layer(std::size_t i, const data::Dataset& data, const FitOptions& options);
  /// Mean pretrain_loss of layer i on `data` (inference mode).
  double pretrain_score(std::size_t i, const data::Dataset& data, std::size_t batch_size = 1024);

  const TrainingState& training_state() const { return state_; }
  void set_training_state(TrainingState s) { state_ = std::move(s); }

  /// {"type": "Network", "layers": [layer configs], "optimizer": config or null}.
  nlohmann::json config() const;
  /// Rebuilds the layers (layer_from_config) and the optimizer (fresh state) of config().
  static std::unique_ptr<Network> from_config(const nlohmann::json& config);
  /// One file (serialization.hpp): config(), parameters, optimizer state, training_state(), every layer's
  /// random-generator state, and `extra` (returned by load in extra()).
  void save(const std::string& path, const nlohmann::json& extra = nullptr) const;
  static std::unique_ptr<Network> load(const std::string& path);
  const nlohmann::json& extra() const { return extra_; }

 private:
  struct Epoch;
  void check_input(const char* where, const data::Dataset& data) const;
  Tensor inputs_of(std::size_t layer, const Tensor& x);
  void notify_fit_start(const FitInfo& info);
  std::vector<std::shared_ptr<Layer>> layers_;
  std::unique_ptr<Optimizer> optimizer_;
  std::vector<std::shared_ptr<TrainingListener>> listeners_;
  TrainingState state_;
  nlohmann::json extra_;
  bool stop_requested_ = false;
};

}  // namespace xgrad::nn
