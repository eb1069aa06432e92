#pragma once
// VampPrior (Tomczak & Welling 2018): p(z) = (1/K) sum_k q(z | u_k), a mixture of the VAE's own posterior
// at K learnable pseudo-inputs u_k (parameter "pseudo_inputs" [K, D], D = the VAE's input width; in a VAE
// "prior.pseudo_inputs", saved and trained with the model), passed through the model's encoder:
//   log p(z) = logsumexp_k log q(z | u_k) - log K
// q(.|u_k) is Posterior::component: the posterior itself (diagonal Gaussian, relaxed categorical), or for a
// flow posterior its base Gaussian N(mu(u_k), sigma^2(u_k)) (a flow's density at any z needs its inverse).
// Registry name "vamp", config {"type": "vamp", "components": K, "init_scale": s}; u ~ N(0, s^2) at start
// (s = 0.1 by default). It needs the encoder: LatentContext::encoder, which the VariationalAutoencoder sets
// when it builds its prior (prior_from_config without it raises). log_prob runs the encoder on the K
// pseudo-inputs at every call (in the model's training mode, so batch norm sees them as a batch); gradients
// reach the pseudo-inputs and the encoder's parameters. No analytic KL: the VAE uses the Monte-Carlo KL.
#include "nn/distributions/prior.hpp"

namespace xgrad::nn {

class VampPrior : public Prior {
 public:
  /// Throws InvalidArgument unless dim, components >= 1, encoder is set and init_scale is finite and >= 0.
  VampPrior(std::size_t dim, std::size_t components, LatentEncoder* encoder, Generator& gen,
            DType dtype = DType::float32, double init_scale = 0.1);
  std::string type_name() const override { return "VampPrior"; }
  std::string name() const override { return "vamp"; }
  std::string describe() const override;
  nlohmann::json config() const override;
  std::size_t dim() const override { return dim_; }
  std::size_t components() const { return components_; }
  /// log p(z) [M] from the K components evaluated at every z (the encoder runs once per call).
  Variable log_prob(const Variable& z) override;
  /// A uniformly chosen component per draw, then a reparameterised draw of it (no gradient).
  Tensor sample(Generator& gen, std::size_t m, DType dtype) override;
  /// (1/K) sum_k E[z | u_k]; InvalidArgument when the component has no closed-form mean.
  Tensor mean(DType dtype) override;
  LatentSupport support() const override { return encoder_->support(); }

 private:
  std::shared_ptr<const LatentDistribution> components_density();  // q(.|u) over the K pseudo-inputs
  std::size_t dim_, components_;
  LatentEncoder* encoder_;
  double init_scale_;
  Variable pseudo_inputs_;
};

}  // namespace xgrad::nn
