#pragma once
// DiagonalGaussianMixture: a mixture of K diagonal Gaussians over z [., J], the same for every one of the
// N rows (a prior such as the mixture-of-Gaussians prior):
//   log p(z) = logsumexp_k [ log pi_k + log N(z; m_k, diag e^lv_k) ],   pi = softmax(logits)
//   log N(z; m_k, e^lv_k) = -0.5 sum_j (log 2pi + lv_kj + (z_j - m_kj)^2 e^-lv_kj)
// means, log_variances [K, J], logits [K]; differentiable in all three and in z. mean = sum_k pi_k m_k.
// No reparameterised sampler (the component choice is discrete): sample() draws k ~ pi, then N(m_k, e^lv_k).
#include "nn/distributions/latent.hpp"

namespace xgrad::nn {

class DiagonalGaussianMixture : public LatentDistribution {
 public:
  /// Throws ShapeError unless means and log_variances are [K, J] and logits [K], K, J >= 1.
  DiagonalGaussianMixture(std::size_t rows, Variable means, Variable log_variances, Variable logits);
  const Variable& means() const { return means_; }
  const Variable& log_variances() const { return log_variances_; }
  const Variable& logits() const { return logits_; }
  std::size_t components() const { return means_.shape()[0]; }

  std::string type_name() const override { return "DiagonalGaussianMixture"; }
  std::size_t rows() const override { return rows_; }
  std::size_t dim() const override { return means_.shape()[1]; }
  DType dtype() const override { return means_.dtype(); }
  Variable log_prob(const Variable& z) const override;
  Variable mean() const override;
  /// log pi_k + log N(z; m_k, e^lv_k) per row and component, z [M, J] -> [M, K] (log_prob = its logsumexp).
  Variable joint_log_prob(const Variable& z) const;
  /// m draws [m, J] from gen (no gradient).
  Tensor sample(Generator& gen, std::size_t m) const;

 private:
  std::size_t rows_;
  Variable means_, log_variances_, logits_;
};

}  // namespace xgrad::nn
