#pragma once
// Posterior: the family of q(z|x) of a VAE, a Module (flows carry learnable parameters). The encoder's two
// DL4J heads give mu = pZXMean(h) and logvar = pZXLogStd2(h), both [N, J]; distribution(mu, logvar) turns
// them into q(z|x) for the batch, a LatentDistribution with the one vocabulary (log_prob, rsample from
// given noise, rsample_with_log_prob, mean, entropy where known). config() = {"type": name(), ...options};
// posterior_from_config(config, context) rebuilds one; register_posterior adds a type.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/distributions/prior.hpp"

namespace xgrad::nn {

class Posterior : public Module {
 public:
  /// Registry name ("diagonal_gaussian"): config()["type"].
  virtual std::string name() const = 0;
  virtual std::string describe() const { return name(); }
  virtual nlohmann::json config() const = 0;
  /// J.
  virtual std::size_t dim() const = 0;
  /// q(z|x) from the encoder heads mu, logvar [N, J].
  virtual std::shared_ptr<const LatentDistribution> distribution(const Variable& mu, const Variable& logvar) = 0;
  /// q(z|x) as a density known at every z, for mixtures over encoded inputs (VampPrior): distribution()
  /// itself by default; a flow posterior gives its base Gaussian (a flow's density needs its inverse).
  virtual std::shared_ptr<const LatentDistribution> component(const Variable& mu, const Variable& logvar) {
    return distribution(mu, logvar);
  }
  /// Where its samples live (R^J unless overridden).
  virtual LatentSupport support() const { return {}; }
};

/// q(z|x) = N(mu, diag e^logvar): the VAE's default posterior (registry name "diagonal_gaussian", no options,
/// no parameters); distribution() is a DiagonalGaussian (analytic KL against N(0, I)).
class DiagonalGaussianPosterior : public Posterior {
 public:
  explicit DiagonalGaussianPosterior(std::size_t dim);
  std::string type_name() const override { return "DiagonalGaussianPosterior"; }
  std::string name() const override { return "diagonal_gaussian"; }
  nlohmann::json config() const override { return {{"type", name()}}; }
  std::size_t dim() const override { return dim_; }
  std::shared_ptr<const LatentDistribution> distribution(const Variable& mu, const Variable& logvar) override;

 private:
  std::size_t dim_;
};

using PosteriorPtr = std::shared_ptr<Posterior>;
using PosteriorFactory = std::function<PosteriorPtr(const nlohmann::json& config, const LatentContext& context)>;

/// Registers a posterior type by name (built-ins register themselves; re-registering replaces).
void register_posterior(const std::string& name, PosteriorFactory factory);
/// Builds a posterior from config() or a bare name; InvalidArgument naming an unknown type (listing the
/// registered ones), a zero latent width, or a bad option.
PosteriorPtr posterior_from_config(const nlohmann::json& config, const LatentContext& context);
std::vector<std::string> registered_posteriors();

}  // namespace xgrad::nn
