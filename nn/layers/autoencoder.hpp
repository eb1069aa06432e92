#pragma once
// AutoEncoder: Deeplearning4j's (denoising) AutoEncoder layer with DL4J's defects fixed.
// Parameters (DL4J's names): W [n_in, n_out], hidden bias b [n_out], visible bias vb [n_in]; tied weights.
//   corrupt   x~ = x * m, m_ij ~ Bernoulli(1 - corruption_level)   (masking noise; training only; fresh
//             every call; drawn from the layer's rng())
//   encode    y = act(x~ W + b)                      (forward(x) = act(x W + b): the code, no corruption)
//   decode    x^ = act(y W^T + vb)                   (the output activation is applied once, inside the loss)
//   score     mean_n loss(x_n, x^_n) + beta * sum_j KL(rho || rho^_j) + l1/l2
// The reconstruction target is the CLEAN input x (DL4J reconstructs the corrupted one). The sparsity
// penalty (active when sparsity = rho > 0) uses rho^_j = mean over the batch of y_j, clamped to
// [1e-6, 1 - 1e-6], KL(rho || r) = rho log(rho / r) + (1 - rho) log((1 - rho) / (1 - r)); it needs an activation
// with range (0,1) (sigmoid, hardsigmoid). Gradients are autograd's. Registered as layer type "AutoEncoder".
#include <cstdint>

#include "autograd/activation.hpp"
#include "nn/layers/init.hpp"
#include "nn/layers/layer.hpp"
#include "nn/layers/losses.hpp"
#include "nn/optim/regularization.hpp"

namespace xgrad::nn {

struct AutoEncoderOptions {
  std::size_t n_in = 0, n_out = 0;
  Activation activation{ActivationKind::sigmoid};  // DL4J's default layer activation
  Loss loss = Loss::XENT;                          // DL4J's RECONSTRUCTION_CROSSENTROPY (binary cross-entropy)
  double corruption_level = 0.3;                   // DL4J corruptionLevel: probability of zeroing each input element
  double sparsity = 0.0;                           // target mean activation rho of the KL sparsity penalty; 0 = off
  double sparsity_beta = 1.0;                      // weight beta of the sparsity penalty
  WeightInitConfig weight_init{};                  // XAVIER
  Regularization reg{};
  std::uint64_t seed = 0;
  DType dtype = DType::float32;

  /// Throws InvalidArgument naming `where` and the option: n_in, n_out >= 1, corruption_level in [0,1),
  /// sparsity in [0,1) (> 0 needs an activation with range (0,1)), sparsity_beta >= 0, regularisation >= 0.
  void validate(const std::string& where) const;
  /// Keys n_in, n_out, activation, loss, corruption_level, sparsity, sparsity_beta, weight_init, l1, l2,
  /// l1_bias, l2_bias, seed.
  void write(nlohmann::json& j) const;
  static AutoEncoderOptions read(const nlohmann::json& j);
};

class AutoEncoder : public Layer {
 public:
  explicit AutoEncoder(AutoEncoderOptions options);
  std::string type_name() const override { return "AutoEncoder"; }
  std::size_t n_in() const override { return options_.n_in; }
  std::size_t n_out() const override { return options_.n_out; }
  const AutoEncoderOptions& options() const { return options_; }

  /// The code act(x W + b), [N, n_out] (no corruption).
  Variable forward(const Variable& x) override;
  /// Masking noise: each element zeroed with probability corruption_level, from rng().
  Tensor corrupt(const Tensor& x);
  /// act(x W + b)
  Variable encode(const Variable& x);
  /// y W^T + vb: the reconstruction before the output activation, [N, n_in].
  Variable decode_preoutput(const Variable& y);
  /// act(decode_preoutput(encode(x))): the reconstruction of x without corruption.
  Variable reconstruct(const Variable& x);
  /// beta * sum_j KL(rho || mean_n y_nj) for codes y [N, n_out]; a constant 0 when sparsity is 0.
  Variable sparsity_penalty(const Variable& y) const;
  /// mean_n loss(clean_n, reconstruction of corrupted_n) + sparsity_penalty(encode(corrupted)).
  Variable score(const Variable& clean, const Variable& corrupted);

  bool is_pretrainable() const override { return true; }
  /// score(x, corrupt(x)) in training mode (score(x, x) in eval mode) + regularization().
  Variable pretrain_loss(const Variable& x) override;
  std::vector<std::string> pretrain_only_parameters() const override { return {"vb"}; }
  Variable regularization() const override;
  nlohmann::json config() const override;

 private:
  void check_x(const char* where, const Variable& x) const;
  AutoEncoderOptions options_;
  Variable W_, b_, vb_;
};

}  // namespace xgrad::nn
