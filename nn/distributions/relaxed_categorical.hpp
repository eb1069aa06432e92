#pragma once
// The relaxed categorical latent (Concrete / Gumbel-softmax; Maddison et al. 2017, Jang et al. 2017): z [N, J]
// is G independent groups of C coordinates (J = G C), each a point of the open probability simplex.
//   sample    z_g = softmax((a_g + g_g) / lambda),  g ~ Gumbel(0, 1) = -log(-log U)    (a = logits, lambda > 0)
//   density   w.r.t. Lebesgue measure on the first C - 1 coordinates of every group (Maddison et al., eq. 5):
//     log p(z_g) = log (C-1)! + (C-1) log lambda + sum_c (a_c - (lambda+1) log z_c)
//                  - C logsumexp_c (a_c - lambda log z_c)
// It is computed from y = log z: the log_softmax of the sample (rsample_with_log_prob, stable), or log z for a
// given z (log_prob; InvalidArgument when a coordinate is <= 0, e.g. one that underflowed at a low
// temperature in float32). Registry name "relaxed_categorical" in both registries, config
// {"type": "relaxed_categorical", "groups": G, "classes": C, "temperature": lambda}:
//   posterior  the logits are the encoder's mean head mu [N, J] (the log-variance head is unused);
//              temperature 2/3 unless given
//   prior      uniform logits (a = 0), temperature 1/2 unless given; mean 1/C
// Given only one of groups / classes the other follows from J; given neither, one group of J classes (the
// prior conformance checker builds a prior that way at J = 2 and 3). Support: G simplices of C classes, so
// such a posterior pairs with a relaxed categorical or vamp prior only. No analytic KL: the VAE uses the
// Monte-Carlo KL log q(z|x) - log p(z) at its sample.
#include "nn/distributions/posterior.hpp"
#include "nn/distributions/prior.hpp"

namespace xgrad::nn {

class RelaxedCategorical : public LatentDistribution {
 public:
  /// logits [N, G*C]; InvalidArgument unless C >= 2 and temperature is finite and > 0.
  RelaxedCategorical(Variable logits, std::size_t groups, std::size_t classes, double temperature);
  const Variable& logits() const { return logits_; }
  double temperature() const { return temperature_; }
  std::string type_name() const override { return "RelaxedCategorical"; }
  std::size_t rows() const override { return logits_.shape()[0]; }
  std::size_t dim() const override { return groups_ * classes_; }
  DType dtype() const override { return logits_.dtype(); }
  /// log q(z) per row, z [L*N, J] -> [L*N] (the density above, summed over the groups).
  Variable log_prob(const Variable& z) const override;
  /// InvalidArgument: E[z] has no closed form for general logits.
  Variable mean() const override;
  bool has_rsample() const override { return true; }
  using LatentDistribution::rsample;
  /// Gumbel(0, 1) noise [L*N, J] (drawn in float64 so that U is never 0 or 1, then converted).
  Tensor draw_noise(Generator& gen, std::size_t samples = 1) const override;
  Variable rsample(const Tensor& noise) const override;
  /// z and log q(z) computed from the log_softmax of the sample.
  LatentSample rsample_with_log_prob(const Tensor& noise) const override;

 private:
  Variable tiled_logits(std::size_t m, const char* where) const;  // [M, J], row i = logits row i mod N
  Variable log_sample(const Tensor& noise) const;                 // y = log z [L*N, J]
  Variable log_density(const Variable& y) const;                  // log q at z = e^y, [M]
  Variable logits_;
  std::size_t groups_, classes_;
  double temperature_;
};

/// G, C and lambda of a relaxed categorical prior or posterior: describe "relaxed_categorical(GxC, T=lambda)",
/// config {"type": "relaxed_categorical", "groups", "classes", "temperature"}; InvalidArgument naming `owner`
/// unless G >= 1, C >= 2 and lambda is finite and > 0.
struct RelaxedCategoricalSpec {
  RelaxedCategoricalSpec(const std::string& owner, std::size_t groups, std::size_t classes, double temperature);
  std::size_t groups, classes;
  double temperature;
  std::size_t dim() const { return groups * classes; }
  LatentSupport support() const { return {groups, classes}; }
  std::string describe() const;
  nlohmann::json config() const;
};

class RelaxedCategoricalPosterior : public Posterior {
 public:
  RelaxedCategoricalPosterior(std::size_t groups, std::size_t classes, double temperature)
      : spec_("RelaxedCategoricalPosterior", groups, classes, temperature) {}
  std::string type_name() const override { return "RelaxedCategoricalPosterior"; }
  std::string name() const override { return "relaxed_categorical"; }
  std::string describe() const override { return spec_.describe(); }
  nlohmann::json config() const override { return spec_.config(); }
  std::size_t dim() const override { return spec_.dim(); }
  LatentSupport support() const override { return spec_.support(); }
  /// A RelaxedCategorical with logits mu (logvar is unused).
  std::shared_ptr<const LatentDistribution> distribution(const Variable& mu, const Variable& logvar) override;

 private:
  RelaxedCategoricalSpec spec_;
};

class RelaxedCategoricalPrior : public Prior {
 public:
  RelaxedCategoricalPrior(std::size_t groups, std::size_t classes, double temperature)
      : spec_("RelaxedCategoricalPrior", groups, classes, temperature) {}
  std::string type_name() const override { return "RelaxedCategoricalPrior"; }
  std::string name() const override { return "relaxed_categorical"; }
  std::string describe() const override { return spec_.describe(); }
  nlohmann::json config() const override { return spec_.config(); }
  std::size_t dim() const override { return spec_.dim(); }
  LatentSupport support() const override { return spec_.support(); }
  Variable log_prob(const Variable& z) override;
  Tensor sample(Generator& gen, std::size_t m, DType dtype) override;
  Tensor mean(DType dtype) override;
  /// A RelaxedCategorical with zero logits.
  std::shared_ptr<const LatentDistribution> distribution(std::size_t rows, DType dtype) override;

 private:
  RelaxedCategoricalSpec spec_;
};

}  // namespace xgrad::nn
