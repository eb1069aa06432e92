#pragma once
// Bernoulli reconstruction distribution (DL4J's BernoulliReconstructionDistribution): p = activation(raw),
// raw [N,D], log p(x|raw) = sum_j [x_j log p_j + (1 - x_j) log(1 - p_j)]. Data in [0,1] (binary data, or
// intensities as in Kingma & Welling's MNIST experiments, where it is "BCE", not a normalised density).
// With the default sigmoid it is computed from the logits, x r - softplus(r), exact and stable for any r.
// With another activation (DL4J allows e.g. hardsigmoid) p is clamped to [1e-5, 1 - 1e-5] before the logs
// (DL4J's binary cross-entropy clip), so log 0 never occurs; the gradient is 0 where the clamp is active.
// mean = p; sample = 1 with probability p.
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

class BernoulliDistribution : public ActivationDistribution {
 public:
  static constexpr double kClamp = 1e-5;
  explicit BernoulliDistribution(Activation activation = Activation::from_name("sigmoid"))
      : ActivationDistribution(activation) {}

  std::string name() const override { return "bernoulli"; }
  std::size_t input_size(std::size_t data_size) const override { return data_size; }
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  Tensor mean(const Tensor& raw) const override;
  Tensor sample(const Tensor& raw, Generator& gen) const override;
  Support support() const override { return Support::discrete({0.0, 1.0}, 0.0, 1.0); }
};

}  // namespace xgrad::nn
