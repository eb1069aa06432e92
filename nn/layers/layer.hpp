#pragma once
// Layer: a Module with a forward pass, used inside networks. Pretrainable layers (AutoEncoder,
// VariationalAutoencoder) also have an unsupervised objective. Every layer serialises its
// configuration to JSON ({"type": ..., options...}) and is rebuilt from it by the layer registry.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/random.hpp"
#include "autograd/variable.hpp"
#include "nn/module.hpp"

namespace xgrad::nn {

class Layer : public Module {
 public:
  /// Forward pass [N, input_shape()...] -> [N, output_shape()...]: [N, n_in] -> [N, n_out] for flat layers,
  /// [N, C, H, W] -> [N, C', H', W'] for CNN layers (cnn_geometry.hpp); behaviour may depend on is_training().
  virtual Variable forward(const Variable& x) = 0;
  /// Flattened per-example sizes of the input and the output.
  virtual std::size_t n_in() const = 0;
  virtual std::size_t n_out() const = 0;
  /// Per-example shapes of the input and the output: {n_in} / {n_out} for flat layers (the default),
  /// {C, H, W} for CNN layers. Networks check that each layer's input_shape() is its predecessor's output_shape().
  virtual Shape input_shape() const { return {n_in()}; }
  virtual Shape output_shape() const { return {n_out()}; }

  /// l1/l2 penalty of this layer's parameters (a scalar Variable; 0 when none is configured).
  virtual Variable regularization() const;

  /// Unsupervised training (AutoEncoder, VAE): the per-example-mean score to minimise on x.
  virtual bool is_pretrainable() const { return false; }
  virtual Variable pretrain_loss(const Variable& x);
  /// Parameters that only the unsupervised objective trains (held fixed by supervised fit).
  virtual std::vector<std::string> pretrain_only_parameters() const { return {}; }

  /// {"type": type_name(), ...every option}; layer_from_config(config()) rebuilds an equal layer.
  virtual nlohmann::json config() const = 0;

  /// The layer's own random engine (dropout, rrelu, corruption, sampling). Reseed it for common
  /// random numbers in gradient checks.
  Generator& rng() { return rng_; }
  void seed(std::uint64_t s) { rng_ = Generator(s); }

 private:
  Generator rng_{0};
};

/// "{32,4,4}": a shape as summary() and the layer-fit errors print it.
std::string shape_braces(const Shape& shape);

/// Throws ShapeError from `where` when `next` (layer `index` of a stack) cannot follow `prev`: for flat layers
/// "layer 1 (OutputLayer, n_in 4) does not fit layer 0 (Dense, n_out 3)", with the per-example shapes
/// ("input {512}" vs "output {32,4,4}") when either side is not flat.
void check_layers_fit(const std::string& where, std::size_t index, const Layer& prev, const Layer& next);

using LayerFactory = std::function<std::shared_ptr<Layer>(const nlohmann::json&)>;
/// Registers a layer type by name (built-ins register themselves; users may add theirs).
void register_layer_type(const std::string& type, LayerFactory factory);
/// Rebuilds a layer from its config(); throws InvalidArgument naming an unknown type.
std::shared_ptr<Layer> layer_from_config(const nlohmann::json& config);
std::vector<std::string> registered_layer_types();

}  // namespace xgrad::nn
