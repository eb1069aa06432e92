#pragma once
// Gaussian reconstruction distribution (DL4J's GaussianReconstructionDistribution), diagonal covariance.
//
// RAW LAYOUT: for D data columns the decoder emits raw [N, 2D]; the activation is applied to ALL of it,
// then the FIRST D columns are the means mu and the LAST D columns are log(sigma^2) (log variance, not
// log sigma, not sigma):   a = activation(raw),  mu = a[:, 0:D],  log sigma^2 = a[:, D:2D].
//   log p(x|raw) = sum_j -0.5 (log 2pi + log sigma_j^2 + (x_j - mu_j)^2 / sigma_j^2)
// mean = mu; sample = mu + sigma * N(0,1). Data: any finite real. Class default activation: identity
// (DL4J's); the VariationalAutoencoder's default distribution is gaussian(tanh), as in DL4J.
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

class GaussianDistribution : public ActivationDistribution {
 public:
  explicit GaussianDistribution(Activation activation = Activation::from_name("identity"))
      : ActivationDistribution(activation) {}

  std::string name() const override { return "gaussian"; }
  std::size_t input_size(std::size_t data_size) const override { return 2 * data_size; }
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  Tensor mean(const Tensor& raw) const override;
  Tensor sample(const Tensor& raw, Generator& gen) const override;
};

}  // namespace xgrad::nn
