#pragma once
// FlowPosterior: q(z|x) = the diagonal Gaussian of the encoder heads followed by K normalizing flows,
//   z_0 = mu + e^(logvar/2) eps,  z_K = f_K o ... o f_1(z_0),
//   log q(z_K|x) = log N(z_0; mu, e^logvar) - sum_k log|det df_k/dz_(k-1)|      (change of variables)
// Registry name "planar", config {"type": "planar", "flows": K, "init_scale": s}: K PlanarFlow steps,
// children "0", "1", ... (in a VAE: parameters "posterior.0.u", "posterior.0.w", "posterior.0.b", ...).
// Registry name "iaf", config {"type": "iaf", "flows": K, "hidden": H, "init_scale": s, "sigma_bias": b,
// "context": "none" | "heads"}: K IafFlow steps (iaf_flow.hpp; H = max(16, 2J) by default), the variable order
// reversed in every odd step (parameters "posterior.0.W1", ...); "heads" amortises every step by x through the
// context [mu, logvar] of each row (as the paper's h), "none" (the default, and configs without the key) keeps
// them global. Planar flows are global. Its distribution is a FlowGaussian: no analytic KL, so a VAE uses the
// Monte-Carlo KL at its samples; its density is known only along its own samples.
#include <memory>
#include <vector>

#include "nn/distributions/flow.hpp"
#include "nn/distributions/posterior.hpp"

namespace xgrad::nn {

/// The distribution of z_K (see above) for one batch; holds the flows by pointer (the posterior outlives it).
class FlowGaussian : public LatentDistribution {
 public:
  FlowGaussian(DiagonalGaussian base, std::vector<Flow*> flows, std::string describe);
  const DiagonalGaussian& base() const { return base_; }
  std::string type_name() const override { return "FlowGaussian(" + describe_ + ")"; }
  std::size_t rows() const override { return base_.rows(); }
  std::size_t dim() const override { return base_.dim(); }
  DType dtype() const override { return base_.dtype(); }
  /// InvalidArgument: a flow's density is known only at its own samples (rsample_with_log_prob).
  Variable log_prob(const Variable& z) const override;
  /// InvalidArgument: E[z_K] has no closed form.
  Variable mean() const override;
  bool has_rsample() const override { return true; }
  using LatentDistribution::rsample;
  Tensor draw_noise(Generator& gen, std::size_t samples = 1) const override { return base_.draw_noise(gen, samples); }
  Variable rsample(const Tensor& noise) const override { return rsample_with_log_prob(noise).z; }
  /// z_K, log q(z_K) and sum_k log|det| [L*N].
  LatentSample rsample_with_log_prob(const Tensor& noise) const override;

 private:
  Variable context_rows(std::size_t rows) const;  // [mu, logvar] [N, 2J] repeated for `rows` = L*N samples
  DiagonalGaussian base_;
  std::vector<Flow*> flows_;
  std::string describe_;
};

class FlowPosterior : public Posterior {
 public:
  /// `name` is the registry name the config carries; throws InvalidArgument when a flow's width is not dim.
  FlowPosterior(std::string name, std::size_t dim, std::vector<std::shared_ptr<Flow>> flows, nlohmann::json options);
  std::string type_name() const override { return "FlowPosterior"; }
  std::string name() const override { return name_; }
  std::string describe() const override;
  nlohmann::json config() const override;
  std::size_t dim() const override { return dim_; }
  std::size_t flow_count() const { return flows_.size(); }
  Flow& flow(std::size_t k) const { return *flows_.at(k); }
  std::shared_ptr<const LatentDistribution> distribution(const Variable& mu, const Variable& logvar) override;
  /// The base DiagonalGaussian N(mu, e^logvar): the flows' density at an arbitrary z needs their inverse.
  std::shared_ptr<const LatentDistribution> component(const Variable& mu, const Variable& logvar) override;

 private:
  std::string name_;
  std::size_t dim_;
  std::vector<std::shared_ptr<Flow>> flows_;
  nlohmann::json options_;  // the config's options besides "type"
};

}  // namespace xgrad::nn
