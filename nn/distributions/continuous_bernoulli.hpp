#pragma once
// Continuous Bernoulli (Loaiza-Ganem & Cunningham 2019): a normalised density on [0,1] for [0,1]-valued
// data such as pixel intensities. raw [N,D] are logits r, lambda = sigmoid(r):
//   log p(x|r) = sum_j [x r - softplus(r) + log C(r)],   C = 2 atanh(1 - 2 lambda) / (1 - 2 lambda) = r / tanh(r/2)
// (C = 2 at lambda = 0.5; a Taylor series is used for |r| < 1e-2, so it is smooth and exact there).
// mean = lambda / (2 lambda - 1) + 1 / (2 atanh(1 - 2 lambda)) = 1/2 + coth(r/2)/2 - 1/r (1/2 at r = 0);
// sample by the inverse CDF x = log(1 + U (e^r - 1)) / r.
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

class ContinuousBernoulliDistribution : public ReconstructionDistribution {
 public:
  std::string name() const override { return "continuous_bernoulli"; }
  std::size_t input_size(std::size_t data_size) const override { return data_size; }
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  Tensor mean(const Tensor& raw) const override;
  Tensor sample(const Tensor& raw, Generator& gen) const override;
  Support support() const override { return Support::interval(0.0, 1.0); }
  nlohmann::json config() const override { return {{"type", name()}}; }
};

}  // namespace xgrad::nn
