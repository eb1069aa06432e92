#pragma once
// Dense (fully connected) layer, Deeplearning4j's DenseLayer: out = activation(dropout(x) . W + b) with
// x [N, n_in], W [n_in, n_out], b [n_out] (parameters named "W" and "b" as DL4J). The affine part is the
// fused dense op. Dropout follows DL4J: applied to the layer's INPUT, `dropout` is the RETAIN probability
// (DL4J's dropOut(p)), 0 = off, inverted scaling, training mode only, drawn from the layer's rng().
// Registered as layer type "Dense".
#include <cstdint>

#include "autograd/activation.hpp"
#include "nn/layers/init.hpp"
#include "nn/layers/layer.hpp"
#include "nn/optim/regularization.hpp"

namespace xgrad::nn {

struct DenseOptions {
  std::size_t n_in = 0, n_out = 0;
  Activation activation{ActivationKind::sigmoid};  // DL4J's default layer activation
  WeightInitConfig weight_init{};                  // XAVIER
  double bias_init = 0;
  Regularization reg{};
  double dropout = 0;  // RETAIN probability (DL4J dropOut); 0 = no dropout
  std::uint64_t seed = 0;
  DType dtype = DType::float32;

  /// Throws InvalidArgument naming `where` and the option (n_in/n_out >= 1, dropout in [0,1], reg >= 0).
  void validate(const std::string& where) const;
  /// Writes/reads the fields above into/from a layer config object (keys n_in, n_out, activation,
  /// weight_init, bias_init, l1, l2, l1_bias, l2_bias, dropout, seed; dtype is not part of the config).
  void write(nlohmann::json& j) const;
  static DenseOptions read(const nlohmann::json& j);
};

class Dense : public Layer {
 public:
  explicit Dense(DenseOptions options);
  std::string type_name() const override { return "Dense"; }
  /// activation(preoutput(x)); x must be [N, n_in] (ShapeError naming the layer and both shapes).
  Variable forward(const Variable& x) override;
  /// dropout(x) . W + b, before the activation.
  Variable preoutput(const Variable& x);
  std::size_t n_in() const override { return options_.n_in; }
  std::size_t n_out() const override { return options_.n_out; }
  /// regularization_penalty(reg, {W}, {b}).
  Variable regularization() const override;
  nlohmann::json config() const override;

  const DenseOptions& options() const { return options_; }
  const Activation& activation() const { return options_.activation; }
  Variable weight() const { return W_; }
  Variable bias() const { return b_; }

 protected:
  /// Checks x is [N, n_in]; `where` names the caller in the error.
  void check_input(const char* where, const Variable& x) const;
  DenseOptions options_;

 private:
  /// x after dropout (DL4J's retain probability options_.dropout, training only).
  Variable dropped(const Variable& x);
  Variable W_, b_;
};

}  // namespace xgrad::nn
