#pragma once
// BatchNormalization, Deeplearning4j's batch-normalisation layer
// (autograd/ops/normalization.hpp):
//   y = activation(gamma * (x - mu) / sqrt(var + eps) + beta), per channel c of
//   x [N, C, H, W] (statistics over N*H*W) or per feature of x [N, C] (over N).
// Training (is_training()): mu, var are the batch's mean and biased variance,
// and the running statistics are updated in place: mean <- decay * mean + (1 -
// decay) * mu, var likewise (is_minibatch false: decay 0, the running
// statistics become the batch's, for full-batch training). Inference: mu, var
// are the running statistics. Parameters as DL4J's
// BatchNormalizationParamInitializer: "gamma" [C], "beta" [C] (trained; absent
// when lock_gamma_beta, then gamma and beta are the fixed option values),
// "mean" [C] (init 0) and "var" [C] (init 1), the running statistics, which
// never require gradients (so no optimizer touches them) but are saved and
// loaded with the other parameters and counted by summary() as frozen. (DL4J
// >= 1.0.0-beta stores log10(std) when useLogStd; xgrad stores the variance.)
// Defaults are DL4J's: decay 0.9, eps 1e-5, gamma 1, beta 0, identity.
// Registered as layer type "BatchNormalization".
#include "autograd/activation.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::nn {

struct BatchNormalizationOptions {
  Shape input{}; // per-example shape: {C} (after a dense layer) or {C, H, W}
  double decay = 0.9;
  double eps = 1e-5;
  bool lock_gamma_beta = false;
  double gamma = 1.0, beta = 0.0; // initial (or, when locked, fixed) values
  bool is_minibatch = true;
  Activation activation{ActivationKind::identity};
  DType dtype = DType::float32;

  void validate(const std::string &where) const;
  /// Keys input, decay, eps, lock_gamma_beta, gamma, beta, is_minibatch,
  /// activation.
  void write(nlohmann::json &j) const;
  static BatchNormalizationOptions read(const nlohmann::json &j);
};

class BatchNormalization : public Layer {
public:
  explicit BatchNormalization(BatchNormalizationOptions options);
  std::string type_name() const override { return "BatchNormalization"; }
  /// x must be [N, input...] (ShapeError naming the layer and the shapes).
  Variable forward(const Variable &x) override;
  std::size_t n_in() const override;
  std::size_t n_out() const override { return n_in(); }
  Shape input_shape() const override { return options_.input; }
  Shape output_shape() const override { return options_.input; }
  nlohmann::json config() const override;
  const BatchNormalizationOptions &options() const { return options_; }
  /// Undefined when lock_gamma_beta.
  Variable gamma() const { return gamma_; }
  Variable beta() const { return beta_; }
  Variable running_mean() const { return mean_; }
  Variable running_var() const { return var_; }

private:
  BatchNormalizationOptions options_;
  Variable gamma_, beta_, mean_, var_;
};

} // namespace xgrad::nn
