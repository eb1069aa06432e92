#pragma once
// MixtureOfGaussiansPrior: p(z) = sum_k pi_k N(z; m_k, diag e^lv_k), K learnable diagonal components
// (registry name "mog", config {"type": "mog", "components": K, "init_scale": s}). Parameters, in this
// order: "means" [K, J] (initialised N(0, s^2), s = 1 by default, so the components start apart),
// "log_variances" [K, J] (0: unit variances), "logits" [K] (0: equal weights pi = softmax(logits)).
// log p(z) by logsumexp over the components (DiagonalGaussianMixture::log_prob); no analytic KL with a
// Gaussian posterior exists, so a VAE with this prior uses the Monte-Carlo KL log q(z|x) - log p(z).
#include "nn/distributions/gaussian_mixture.hpp"
#include "nn/distributions/prior.hpp"

namespace xgrad::nn {

class MixtureOfGaussiansPrior : public Prior {
 public:
  /// Throws InvalidArgument unless dim, components >= 1 and init_scale is finite and >= 0.
  MixtureOfGaussiansPrior(std::size_t dim, std::size_t components, Generator& gen, DType dtype = DType::float32,
                          double init_scale = 1.0);
  std::string type_name() const override { return "MixtureOfGaussiansPrior"; }
  std::string name() const override { return "mog"; }
  std::string describe() const override;
  nlohmann::json config() const override;
  std::size_t dim() const override { return dim_; }
  std::size_t components() const { return components_; }
  Variable log_prob(const Variable& z) override;
  Tensor sample(Generator& gen, std::size_t m, DType dtype) override;
  Tensor mean(DType dtype) override;
  /// A DiagonalGaussianMixture over the prior's parameters.
  std::shared_ptr<const LatentDistribution> distribution(std::size_t rows, DType dtype) override;

 private:
  std::size_t dim_, components_;
  double init_scale_;
  Variable means_, log_variances_, logits_;
};

}  // namespace xgrad::nn
