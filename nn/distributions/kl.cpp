#include "nn/distributions/kl.hpp"

#include <map>
#include <mutex>
#include <utility>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

namespace {
struct Registry {
  std::mutex mutex;
  std::map<std::pair<std::type_index, std::type_index>, KlFunction> table;
};
Registry& registry() {
  static Registry r;
  return r;
}

KlFunction find(const LatentDistribution& q, const LatentDistribution& p) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.table.find({std::type_index(typeid(q)), std::type_index(typeid(p))});
  return it == r.table.end() ? KlFunction() : it->second;
}

void check_pair(const LatentDistribution& q, const LatentDistribution& p) {
  if (q.rows() != p.rows() || q.dim() != p.dim())
    throw ShapeError("kl_divergence(" + q.type_name() + " || " + p.type_name() + "): shapes [" +
                     std::to_string(q.rows()) + "," + std::to_string(q.dim()) + "] and [" + std::to_string(p.rows()) +
                     "," + std::to_string(p.dim()) + "] differ");
}

// 0.5 sum_j (lv_p - lv_q + (e^lv_q + (mu_q - mu_p)^2) e^-lv_p - 1)
Variable gaussian_kl(const Variable& mq, const Variable& lq, const Variable& mp, const Variable& lp) {
  return 0.5 * sum(lp - lq + (exp(lq) + square(mq - mp)) * exp(-lp) - 1.0, 1);
}

const bool registered = [] {
  register_kl<DiagonalGaussian, StandardNormal>(
      [](const DiagonalGaussian& q, const StandardNormal&) { return gaussian_kl_standard(q.mu(), q.logvar()); });
  register_kl<DiagonalGaussian, DiagonalGaussian>([](const DiagonalGaussian& q, const DiagonalGaussian& p) {
    return gaussian_kl(q.mu(), q.logvar(), p.mu(), p.logvar());
  });
  register_kl<StandardNormal, DiagonalGaussian>([](const StandardNormal& q, const DiagonalGaussian& p) {
    const Variable zero = q.mean();
    return gaussian_kl(zero, zero, p.mu(), p.logvar());
  });
  register_kl<StandardNormal, StandardNormal>([](const StandardNormal& q, const StandardNormal&) {
    return constant(Tensor::zeros(Shape{q.rows()}, q.dtype()));
  });
  return true;
}();
}  // namespace

void register_kl(std::type_index q_type, std::type_index p_type, KlFunction f) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.table[{q_type, p_type}] = std::move(f);
}

bool has_analytic_kl(const LatentDistribution& q, const LatentDistribution& p) {
  return static_cast<bool>(find(q, p));
}

Variable monte_carlo_kl(const LatentDistribution& q, const LatentDistribution& p, Generator& gen, std::size_t samples) {
  check_pair(q, p);
  if (!q.has_rsample())
    throw InvalidArgument("monte_carlo_kl(" + q.type_name() + " || " + p.type_name() + "): " + q.type_name() +
                          " has no reparameterised sampler (rsample)");
  const Variable z = q.rsample(gen, samples);
  return sample_mean(q.log_prob(z) - p.log_prob(z), samples);
}

SampledKl kl_at_samples(const LatentDistribution& q, const LatentDistribution& p, const LatentSample& s,
                        std::size_t samples) {
  check_pair(q, p);
  SampledKl out;
  out.log_p = p.log_prob(s.z);
  if (KlFunction f = find(q, p)) {
    out.kl = f(q, p);
    out.analytic = true;
  } else {
    out.kl = sample_mean(log_q_of(q, s) - out.log_p, samples);
  }
  return out;
}

Variable kl_divergence(const LatentDistribution& q, const LatentDistribution& p, const KlOptions& options) {
  check_pair(q, p);
  if (!options.force_monte_carlo)
    if (KlFunction f = find(q, p)) return f(q, p);
  if (options.gen != nullptr && q.has_rsample()) return monte_carlo_kl(q, p, *options.gen, options.samples);
  throw InvalidArgument("kl_divergence(" + q.type_name() + " || " + p.type_name() +
                        "): no analytic KL is registered for this pair (register_kl), and the Monte-Carlo fallback " +
                        (q.has_rsample() ? std::string("needs a Generator (KlOptions::gen)")
                                         : q.type_name() + " cannot draw reparameterised samples"));
}

}  // namespace xgrad::nn
