#include "nn/train/network.hpp"

#include <chrono>
#include <cstring>
#include <numeric>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/tape.hpp"
#include "nn/optim/optimizers.hpp"
#include "nn/train/serialization.hpp"
#include "nn/config_fields.hpp"

namespace xgrad::nn {

using data::Batch;
using data::BatchIterator;
using data::Dataset;

data::BatchOptions FitOptions::batch_options() const {
  data::BatchOptions b;
  b.batch_size = batch_size;
  b.shuffle = shuffle;
  b.seed = seed;
  b.binarization = binarization;
  b.threshold = threshold;
  return b;
}

nlohmann::json TrainingState::to_json() const {
  return {{"epoch", epoch}, {"iteration", iteration}, {"iterator", iterator}};
}

TrainingState TrainingState::from_json(const nlohmann::json& j) {
  TrainingState s;
  s.epoch = size_from_json(j.at("epoch"), "training state: epoch");
  s.iteration = size_from_json(j.at("iteration"), "training state: iteration");
  s.iterator = j.at("iterator");
  return s;
}

namespace {
// A layer's regularization() unless it is the constant 0 of a layer without penalties.
bool is_zero_constant(const Variable& r) {
  return r.is_leaf() && !r.requires_grad() && r.item() == 0;
}

Variable add_regularization(Variable loss, const Layer& layer) {
  Variable r = layer.regularization();
  return is_zero_constant(r) ? loss : add(loss, r);
}

// Rows [b, e) of a 2-D tensor.
Tensor rows(const Tensor& x, std::size_t b, std::size_t e) {
  std::vector<std::size_t> idx(e - b);
  std::iota(idx.begin(), idx.end(), b);
  return data::gather_rows(x, idx);
}

// Saves and restores every layer's training flag.
class ModeGuard {
 public:
  explicit ModeGuard(const std::vector<std::shared_ptr<Layer>>& layers) : layers_(layers) {
    for (auto& l : layers) modes_.push_back(l->is_training());
  }
  ~ModeGuard() {
    for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->train(modes_[i]);
  }
  ModeGuard(const ModeGuard&) = delete;
  ModeGuard& operator=(const ModeGuard&) = delete;

 private:
  const std::vector<std::shared_ptr<Layer>>& layers_;
  std::vector<bool> modes_;
};

// Freezes each layer's pretrain-only parameters for its lifetime (those not frozen already).
class PretrainOnlyFreeze {
 public:
  explicit PretrainOnlyFreeze(const std::vector<std::shared_ptr<Layer>>& layers) {
    for (auto& l : layers)
      for (const auto& name : l->pretrain_only_parameters()) {
        Variable v = l->parameter(name);
        if (v.requires_grad()) {
          v.set_requires_grad(false);
          v.zero_grad();
          frozen_.push_back(v);
        }
      }
  }
  ~PretrainOnlyFreeze() {
    for (auto& v : frozen_) v.set_requires_grad(true);
  }
  PretrainOnlyFreeze(const PretrainOnlyFreeze&) = delete;
  PretrainOnlyFreeze& operator=(const PretrainOnlyFreeze&) = delete;

 private:
  std::vector<Variable> frozen_;
};

std::vector<NamedParameter> prefixed(const std::string& prefix, const Module& m) {
  auto params = m.named_parameters();
  for (auto& p : params) p.name = prefix + p.name;
  return params;
}
}  // namespace

Network::Network(std::vector<std::shared_ptr<Layer>> layers) {
  for (auto& l : layers) add(std::move(l));
}

Network& Network::add(std::shared_ptr<Layer> layer) {
  if (!layer) throw InvalidArgument("Network::add: layer " + std::to_string(layers_.size()) + " is null");
  if (!layers_.empty()) check_layers_fit("Network::add", layers_.size(), *layers_.back(), *layer);
  register_module(std::to_string(layers_.size()), layer);
  layer->train(is_training());
  layers_.push_back(std::move(layer));
  return *this;
}

Layer& Network::layer(std::size_t i) const {
  if (i >= layers_.size())
    throw InvalidArgument("Network::layer: index " + std::to_string(i) + " out of range (the network has " +
                          std::to_string(layers_.size()) + " layers)");
  return *layers_[i];
}

OutputLayer* Network::output_layer() const {
  return layers_.empty() ? nullptr : dynamic_cast<OutputLayer*>(layers_.back().get());
}

DType Network::dtype() const {
  const auto params = parameters();
  return params.empty() ? DType::float32 : params.front().dtype();
}

void Network::set_optimizer(const nlohmann::json& config) {
  optimizer_ = optimizer_from_config(config, named_parameters());
}

void Network::add_listener(std::shared_ptr<TrainingListener> listener) {
  if (!listener) throw InvalidArgument("Network::add_listener: null listener");
  listeners_.push_back(std::move(listener));
}

void Network::notify_fit_start(const FitInfo& info) {
  for (auto& l : listeners_) l->on_fit_start(*this, info);
}

Variable Network::forward(const Variable& x) {
  if (layers_.empty()) throw InvalidArgument("Network::forward: the network has no layers");
  Variable h = x;
  for (auto& l : layers_) h = l->forward(h);
  return h;
}

void Network::check_input(const char* where, const Dataset& data) const {
  if (layers_.empty()) throw InvalidArgument(std::string(where) + ": the network has no layers");
  if (data.size() == 0) throw InvalidArgument(std::string(where) + ": the dataset is empty");
  if (data.dim() != layers_.front()->n_in())
    throw ShapeError(std::string(where) + ": the data has " + std::to_string(data.dim()) +
                     " features per example, layer 0 (" + layers_.front()->type_name() + ") expects n_in " +
                     std::to_string(layers_.front()->n_in()));
}

Tensor Network::output(const Tensor& x, std::size_t batch_size) {
  if (layers_.empty()) throw InvalidArgument("Network::output: the network has no layers");
  if (x.dim() != 2 || x.shape()[1] != layers_.front()->n_in())
    throw ShapeError("Network::output: input " + shape_string(x.shape()) + ", expected [N, " +
                     std::to_string(layers_.front()->n_in()) + "]");
  ModeGuard modes(layers_);
  for (auto& l : layers_) l->eval();
  NoGradGuard no_grad;
  const DType dt = dtype();
  const std::size_t n = x.shape()[0];
  const std::size_t step = batch_size == 0 ? n : batch_size;
  if (n <= step) return forward(constant(x.to(dt))).value();
  Tensor out;
  for (std::size_t b = 0; b < n; b += step) {
    const std::size_t e = std::min(n, b + step);
    Tensor y = forward(constant(rows(x, b, e).to(dt))).value();
    const std::size_t width = y.size() / (e - b);  // per-example size of a flat or an image output
    if (!out.defined()) {
      Shape shape = y.shape();
      shape[0] = n;
      out = Tensor::empty(shape, y.dtype());
    }
    out.visit([&](auto& a) {
      using T = typename std::decay_t<decltype(a)>::value_type;
      std::memcpy(a.data() + b * width, y.data<T>(), y.size() * sizeof(T));
    });
  }
  return out;
}

// The shared epoch loop of fit and pretrain_layer: minibatches from `it`, `loss_of(batch)` recorded on the
// tape, backward, one optimizer step, listeners.
struct Network::Epoch {
  template <class LossOf>
  static EpochInfo run(Network& net, BatchIterator& it, Optimizer& opt, std::size_t epoch, std::size_t& iteration,
                       LossOf loss_of) {
    const auto t0 = std::chrono::steady_clock::now();
    it.start_epoch(epoch);
    opt.set_epoch(epoch);
    Batch batch;
    double sum = 0;
    std::size_t examples = 0;
    while (it.next(batch)) {
      opt.zero_grad();
      double score;
      {
        TapeScope tape;
        Variable loss = loss_of(batch);
        score = loss.item();
        loss.backward();
      }
      opt.step();
      ++iteration;
      const std::size_t b = batch.indices.size();
      sum += score * static_cast<double>(b);
      examples += b;
      const IterationInfo info{epoch, iteration, it.position() - 1, it.num_batches(), b, score};
      for (auto& l : net.listeners_) l->on_iteration(net, info);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {epoch, iteration, sum / static_cast<double>(examples), seconds, examples};
  }
};

void Network::fit(const Dataset& data, const FitOptions& options) {
  OutputLayer* out = output_layer();
  if (!out)
    throw InvalidArgument(
        "Network::fit: the network has no supervised output layer; a VariationalAutoencoder/"
        "AutoEncoder is trained with pretrain(data, epochs)" +
        std::string(layers_.empty() ? " (the network is empty)"
                                    : " (the last layer is a " + layers_.back()->type_name() + ")"));
  check_input("Network::fit", data);
  if (!data.has_labels()) throw InvalidArgument("Network::fit: the dataset has no labels");
  if (data.num_classes() > out->n_out())
    throw ShapeError("Network::fit: the dataset has " + std::to_string(data.num_classes()) +
                     " classes, the output layer has n_out " + std::to_string(out->n_out()));
  if (!optimizer_) throw InvalidArgument("Network::fit: no optimizer; call set_optimizer({\"type\": \"adam\"}) first");
  BatchIterator it(data, options.batch_options());
  if (state_.iterator.is_object()) {
    // Continue the iterator of an earlier fit (or a checkpoint) when it was made with the same options.
    try {
      it.restore(state_.iterator);
    } catch (const InvalidArgument&) {
    }
  }
  PretrainOnlyFreeze freeze(layers_);
  ModeGuard modes(layers_);
  train();
  stop_requested_ = false;
  notify_fit_start({"fit", state_.epoch, options.epochs, it.num_batches(), data.size()});
  const DType dt = dtype();
  const std::size_t classes = out->n_out();
  const std::size_t last = layers_.size() - 1;
  auto loss_of = [&](const Batch& batch) {
    Variable h = constant(batch.features.to(dt));
    for (std::size_t j = 0; j < last; ++j) h = layers_[j]->forward(h);
    Variable loss = out->loss(h, constant(data::one_hot(batch.labels, classes, dt)));
    for (std::size_t j = 0; j < last; ++j) loss = add_regularization(loss, *layers_[j]);
    return loss;
  };
  for (std::size_t e = 0; e < options.epochs && !stop_requested_; ++e) {
    const EpochInfo info = Epoch::run(*this, it, *optimizer_, state_.epoch, state_.iteration, loss_of);
    ++state_.epoch;
    state_.iterator = it.state();
    for (auto& l : listeners_) l->on_epoch_end(*this, info);
  }
  for (auto& l : listeners_) l->on_fit_end(*this);
}

double Network::score(const Dataset& data, std::size_t batch_size) {
  OutputLayer* out = output_layer();
  if (!out) throw InvalidArgument("Network::score: the network has no supervised output layer");
  check_input("Network::score", data);
  if (!data.has_labels()) throw InvalidArgument("Network::score: the dataset has no labels");
  ModeGuard modes(layers_);
  for (auto& l : layers_) l->eval();
  NoGradGuard no_grad;
  const DType dt = dtype();
  const std::size_t n = data.size(), step = batch_size == 0 ? n : batch_size;
  double total = 0;
  for (std::size_t b = 0; b < n; b += step) {
    const std::size_t e = std::min(n, b + step);
    Variable h = constant(rows(data.features(), b, e).to(dt));
    for (std::size_t j = 0; j + 1 < layers_.size(); ++j) h = layers_[j]->forward(h);
    const std::vector<int> labels(data.labels().begin() + static_cast<std::ptrdiff_t>(b),
                                  data.labels().begin() + static_cast<std::ptrdiff_t>(e));
    total += sum(out->loss_per_example(h, constant(data::one_hot(labels, out->n_out(), dt)))).item();
  }
  double reg = 0;
  for (auto& l : layers_) reg += l->regularization().item();
  return total / static_cast<double>(n) + reg;
}

Evaluation Network::evaluate(const Dataset& data, std::size_t batch_size, std::vector<std::string> class_names) {
  check_input("Network::evaluate", data);
  if (!data.has_labels()) throw InvalidArgument("Network::evaluate: the dataset has no labels");
  const Tensor scores = output(data.features(), batch_size);
  Evaluation ev(scores.shape()[1], std::move(class_names));
  ev.add(data.labels(), scores);
  return ev;
}

Tensor Network::inputs_of(std::size_t i, const Tensor& x) {
  NoGradGuard no_grad;
  Variable h = constant(x.to(dtype()));
  for (std::size_t j = 0; j < i; ++j) h = layers_[j]->forward(h);
  return h.value();
}

void Network::pretrain(const Dataset& data, const FitOptions& options) {
  bool any = false;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i]->is_pretrainable()) {
      pretrain_layer(i, data, options);
      any = true;
    }
  if (!any) throw InvalidArgument("Network::pretrain: no layer is pretrainable (AutoEncoder, VariationalAutoencoder)");
}

void Network::pretrain_layer(std::size_t i, const Dataset& data, const FitOptions& options) {
  Layer& target = layer(i);
  if (!target.is_pretrainable())
    throw InvalidArgument("Network::pretrain_layer: layer " + std::to_string(i) + " (" + target.type_name() +
                          ") is not pretrainable; only AutoEncoder and VariationalAutoencoder layers are");
  check_input("Network::pretrain_layer", data);
  if (!optimizer_)
    throw InvalidArgument("Network::pretrain_layer: no optimizer; call set_optimizer({\"type\": \"adam\"}) first");
  // A fresh optimizer of the network's kind over this layer's parameters only.
  auto opt = optimizer_from_config(optimizer_->config(), prefixed(std::to_string(i) + ".", target));
  BatchIterator it(data, options.batch_options());
  ModeGuard modes(layers_);
  for (std::size_t j = 0; j < i; ++j) layers_[j]->eval();
  target.train();
  stop_requested_ = false;
  notify_fit_start({"pretrain layer " + std::to_string(i), 0, options.epochs, it.num_batches(), data.size()});
  auto loss_of = [&](const Batch& batch) { return target.pretrain_loss(constant(inputs_of(i, batch.features))); };
  std::size_t iteration = 0;
  for (std::size_t e = 0; e < options.epochs && !stop_requested_; ++e) {
    const EpochInfo info = Epoch::run(*this, it, *opt, e, iteration, loss_of);
    for (auto& l : listeners_) l->on_epoch_end(*this, info);
  }
  for (auto& l : listeners_) l->on_fit_end(*this);
}

double Network::pretrain_score(std::size_t i, const Dataset& data, std::size_t batch_size) {
  Layer& target = layer(i);
  if (!target.is_pretrainable())
    throw InvalidArgument("Network::pretrain_score: layer " + std::to_string(i) + " (" + target.type_name() +
                          ") is not pretrainable");
  check_input("Network::pretrain_score", data);
  ModeGuard modes(layers_);
  for (auto& l : layers_) l->eval();
  NoGradGuard no_grad;
  const std::size_t n = data.size(), step = batch_size == 0 ? n : batch_size;
  double total = 0;
  for (std::size_t b = 0; b < n; b += step) {
    const std::size_t e = std::min(n, b + step);
    total +=
        target.pretrain_loss(constant(inputs_of(i, rows(data.features(), b, e)))).item() * static_cast<double>(e - b);
  }
  return total / static_cast<double>(n);
}

nlohmann::json Network::config() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : layers_) layers.push_back(l->config());
  return {{"type", "Network"}, {"layers", layers}, {"optimizer", optimizer_ ? optimizer_->config() : nlohmann::json()}};
}

std::unique_ptr<Network> Network::from_config(const nlohmann::json& config) {
  if (!config.is_object() || config.value("type", "") != "Network" || !config.contains("layers") ||
      !config["layers"].is_array())
    throw InvalidArgument("Network::from_config: expected {\"type\": \"Network\", \"layers\": [...]}, got " +
                          config.dump().substr(0, 200));
  auto net = std::make_unique<Network>();
  for (const auto& lj : config["layers"]) net->add(layer_from_config(lj));
  if (config.contains("optimizer") && !config["optimizer"].is_null()) net->set_optimizer(config["optimizer"]);
  return net;
}

void Network::save(const std::string& path, const nlohmann::json& extra) const {
  nlohmann::json rng = nlohmann::json::array();
  for (const auto& l : layers_) rng.push_back({l->rng().seed(), l->rng().stream()});
  const nlohmann::json meta{{"training_state", state_.to_json()}, {"layer_rng", rng}, {"user", extra}};
  save_model(path, *this, config(), optimizer_.get(), meta);
}

std::unique_ptr<Network> Network::load(const std::string& path) {
  const LoadedModel m = load_model(path);
  std::unique_ptr<Network> net;
  try {
    net = from_config(m.config);
  } catch (const Error& e) {
    throw DataError("Network::load: " + path + ": the stored configuration does not build a network: " + e.what());
  }
  load_parameters_into(*net, m);
  if (net->optimizer_) {
    try {
      net->optimizer_->load_state(m.optimizer_state);
    } catch (const Error& e) {
      throw DataError("Network::load: " + path + ": the optimizer state does not match: " + e.what());
    }
  }
  if (m.extra.is_object()) {
    try {
      if (m.extra.contains("training_state")) net->state_ = TrainingState::from_json(m.extra["training_state"]);
      if (m.extra.contains("layer_rng")) {
        const auto& rng = m.extra["layer_rng"];
        if (rng.size() != net->layers_.size())
          throw DataError("Network::load: " + path + ": " + std::to_string(rng.size()) +
                          " layer generator states for " + std::to_string(net->layers_.size()) + " layers");
        for (std::size_t i = 0; i < rng.size(); ++i)
          net->layers_[i]->rng().set_state(unsigned_from_json(rng[i].at(0), "layer_rng seed"),
                                           unsigned_from_json(rng[i].at(1), "layer_rng stream"));
      }
      net->extra_ = m.extra.value("user", nlohmann::json());
    } catch (const nlohmann::json::exception& e) {
      throw DataError("Network::load: " + path + ": malformed training metadata: " + e.what());
    } catch (const InvalidArgument& e) {
      throw DataError("Network::load: " + path + ": malformed training metadata: " + e.what());
    }
  }
  return net;
}

}  // namespace xgrad::nn
