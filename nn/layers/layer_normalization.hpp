#pragma once
// LayerNormalization (DL4J's SameDiff LayerNorm as a layer; PyTorch's LayerNorm
// over the whole example):
//   y = activation(gain * (x - mu) / sqrt(var + eps) + bias) with mu, var the
//   mean and biased variance of each
// example's D = prod(input) values (autograd/ops/normalization.hpp layer_norm),
// the same in training and inference. x is [N, input...] with input {D} (dense)
// or {C, H, W}; parameters "gain" and, when has_bias, "bias", both of the
// per-example shape (init 1 and 0; DL4J's SameDiff names). Defaults: eps 1e-5,
// has_bias, identity. Registered as layer type "LayerNormalization".
#include "autograd/activation.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::nn {

struct LayerNormalizationOptions {
  Shape input{}; // per-example shape: {D} or {C, H, W}
  double eps = 1e-5;
  bool has_bias = true;
  Activation activation{ActivationKind::identity};
  DType dtype = DType::float32;

  void validate(const std::string &where) const;
  /// Keys input, eps, has_bias, activation.
  void write(nlohmann::json &j) const;
  static LayerNormalizationOptions read(const nlohmann::json &j);
};

class LayerNormalization : public Layer {
public:
  explicit LayerNormalization(LayerNormalizationOptions options);
  std::string type_name() const override { return "LayerNormalization"; }
  /// x must be [N, input...] (ShapeError naming the layer and the shapes).
  Variable forward(const Variable &x) override;
  std::size_t n_in() const override { return gain_.size(); }
  std::size_t n_out() const override { return gain_.size(); }
  Shape input_shape() const override { return options_.input; }
  Shape output_shape() const override { return options_.input; }
  nlohmann::json config() const override;
  const LayerNormalizationOptions &options() const { return options_; }
  Variable gain() const { return gain_; }
  /// Undefined when has_bias is false.
  Variable bias() const { return bias_; }

private:
  LayerNormalizationOptions options_;
  Variable gain_, bias_;
};

} // namespace xgrad::nn
