#pragma once
// KL(q || p) between latent distributions, per example ([N]), dispatched on the pair of dynamic types:
// an analytic formula when one is registered for (typeid(q), typeid(p)), else a Monte-Carlo estimate
//   KL ~= (1/L) sum_l [log q(z_l) - log p(z_l)],  z_l = q.rsample()   (needs options.gen and q.has_rsample()),
// else an InvalidArgument naming both types. Built-in analytic pairs:
//   DiagonalGaussian || StandardNormal:   0.5 sum_j (mu^2 + e^lv - 1 - lv)              (fused op)
//   DiagonalGaussian || DiagonalGaussian: 0.5 sum_j (lv_p - lv_q + (e^lv_q + (mu_q - mu_p)^2) e^-lv_p - 1)
//   StandardNormal || DiagonalGaussian, StandardNormal || StandardNormal (the same formula, mu = lv = 0).
#include <functional>
#include <typeindex>

#include "nn/distributions/latent.hpp"

namespace xgrad::nn {

using KlFunction = std::function<Variable(const LatentDistribution& q, const LatentDistribution& p)>;

/// Registers (or replaces) the analytic KL for the pair (q's type, p's type).
void register_kl(std::type_index q_type, std::type_index p_type, KlFunction f);
template <class Q, class P, class F>
void register_kl(F f) {
  register_kl(typeid(Q), typeid(P), [f](const LatentDistribution& q, const LatentDistribution& p) {
    return f(static_cast<const Q&>(q), static_cast<const P&>(p));
  });
}
bool has_analytic_kl(const LatentDistribution& q, const LatentDistribution& p);

struct KlOptions {
  Generator* gen = nullptr;        // enables the Monte-Carlo fallback
  std::size_t samples = 1;         // L for the fallback
  bool force_monte_carlo = false;  // use the estimate even when an analytic KL exists (for checks)
};

/// KL(q || p) per example, [N]. Throws InvalidArgument naming both types when neither path applies.
Variable kl_divergence(const LatentDistribution& q, const LatentDistribution& p, const KlOptions& options = {});
/// The KL term of an objective whose z were drawn from q (s = q.rsample_with_log_prob(noise), `samples` = L
/// draws per example, z [L*N, J]): kl [N] = the analytic KL(q || p) when one is registered for the pair, else
/// the Monte-Carlo estimate (1/L) sum_l [log q(z_l) - log p(z_l)] at those same z (so the ELBO's two terms
/// share their samples; log q from log_q_of). log_p = log p(z) [L*N] is returned either way (for ElboTerms).
struct SampledKl {
  Variable kl;     // [N]
  Variable log_p;  // [L*N]
  bool analytic = false;
};
SampledKl kl_at_samples(const LatentDistribution& q, const LatentDistribution& p, const LatentSample& s,
                        std::size_t samples);

/// The Monte-Carlo estimate alone, [N].
Variable monte_carlo_kl(const LatentDistribution& q, const LatentDistribution& p, Generator& gen,
                        std::size_t samples = 1);

}  // namespace xgrad::nn
