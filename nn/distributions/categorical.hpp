#pragma once
// Categorical distribution over one group of K one-hot columns (a categorical feature of tabular data;
// use one per group inside a CompositeDistribution). raw [N,K] are logits; softmax over the group:
//   log p(x|raw) = sum_k x_k log_softmax(raw)_k     (x one-hot: the log-probability of the observed class)
// mean = softmax(raw) (the class probabilities); sample = a one-hot row drawn from them.
// validate() requires every row to be one-hot (entries 0 or 1, exactly one 1).
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

class CategoricalDistribution : public ReconstructionDistribution {
 public:
  std::string name() const override { return "categorical"; }
  std::size_t input_size(std::size_t data_size) const override { return data_size; }
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  Tensor mean(const Tensor& raw) const override;
  Tensor sample(const Tensor& raw, Generator& gen) const override;
  Support support() const override { return Support::one_hot(); }
  void validate(const Tensor& x, std::size_t first_column = 0) const override;
  nlohmann::json config() const override { return {{"type", name()}}; }
};

}  // namespace xgrad::nn
