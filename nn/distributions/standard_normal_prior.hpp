#pragma once
// StandardNormalPrior: p(z) = N(0, I_J), the VAE's default prior (registry name "standard_normal", no
// options, no parameters). distribution() is a StandardNormal, so KL(DiagonalGaussian || it) is the
// registry's analytic, fused gaussian_kl_standard: a VAE with this prior computes DL4J's model bit for bit.
#include "nn/distributions/prior.hpp"

namespace xgrad::nn {

class StandardNormalPrior : public Prior {
 public:
  explicit StandardNormalPrior(std::size_t dim);
  std::string type_name() const override { return "StandardNormalPrior"; }
  std::string name() const override { return "standard_normal"; }
  nlohmann::json config() const override { return {{"type", name()}}; }
  std::size_t dim() const override { return dim_; }
  Variable log_prob(const Variable& z) override;
  Tensor sample(Generator& gen, std::size_t m, DType dtype) override;
  Tensor mean(DType dtype) override { return Tensor::zeros(Shape{dim_}, dtype); }
  std::shared_ptr<const LatentDistribution> distribution(std::size_t rows, DType dtype) override;

 private:
  std::size_t dim_;
};

}  // namespace xgrad::nn
