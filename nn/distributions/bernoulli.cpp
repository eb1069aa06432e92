#include "nn/distributions/bernoulli.hpp"

#include "autograd/kernels.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

Variable BernoulliDistribution::log_prob(const Variable& x, const Variable& raw) const {
  check_shapes("log_prob", x.shape(), raw.shape());
  if (activation_.kind == ActivationKind::sigmoid) return bernoulli_logits_log_prob(x, raw);
  const Variable p = clamp(activation_.apply(raw), kClamp, 1.0 - kClamp);
  return sum(x * log(p) + (1.0 - x) * log(1.0 - p), 1);
}

Tensor BernoulliDistribution::mean(const Tensor& raw) const {
  return apply_activation(activation_, raw);
}

Tensor BernoulliDistribution::sample(const Tensor& raw, Generator& gen) const {
  // probabilities outside [0,1] (an activation with another range) are clipped for sampling
  const Tensor p = kernels::map(apply_activation(activation_, raw), [](auto&& a) {
    using T = kernels::value_of<decltype(a)>;
    return xt::clip(a, T(0), T(1));
  });
  return gen.bernoulli(p);
}

namespace {
const bool registered = [] {
  register_activation_distribution<BernoulliDistribution>("bernoulli", "sigmoid");
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
