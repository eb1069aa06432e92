#pragma once
// Exponential reconstruction distribution (DL4J's ExponentialReconstructionDistribution):
// gamma = activation(raw) = log lambda, raw [N,D];
//   log p(x|raw) = sum_j (gamma_j - lambda_j x_j)      (x >= 0)
// mean = 1/lambda = e^-gamma; sample = -log(1 - U) / lambda. Class default activation: identity (DL4J's).
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

class ExponentialDistribution : public ActivationDistribution {
 public:
  explicit ExponentialDistribution(Activation activation = Activation::from_name("identity"))
      : ActivationDistribution(activation) {}

  std::string name() const override { return "exponential"; }
  std::size_t input_size(std::size_t data_size) const override { return data_size; }
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  Tensor mean(const Tensor& raw) const override;
  Tensor sample(const Tensor& raw, Generator& gen) const override;
  Support support() const override { return Support::interval(0.0, std::numeric_limits<double>::infinity()); }
};

}  // namespace xgrad::nn
