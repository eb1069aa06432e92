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
  /// Forward pass [N, n_in] -> [N, n_out]; behaviour may depend on is_training() (dropout, ...).
  virtual Variable forward(const Variable& x) = 0;
  virtual std::size_t n_in() const = 0;
  virtual std::size_t n_out() const = 0;

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

using LayerFactory = std::function<std::shared_ptr<Layer>(const nlohmann::json&)>;
/// Registers a layer type by name (built-ins register themselves; users may add theirs).
void register_layer_type(const std::string& type, LayerFactory factory);
/// Rebuilds a layer from its config(); throws InvalidArgument naming an unknown type.
std::shared_ptr<Layer> layer_from_config(const nlohmann::json& config);
std::vector<std::string> registered_layer_types();

}  // namespace xgrad::nn
