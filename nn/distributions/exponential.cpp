#include "nn/distributions/exponential.hpp"

#include "autograd/kernels.hpp"
#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

Variable ExponentialDistribution::log_prob(const Variable& x, const Variable& raw) const {
  check_shapes("log_prob", x.shape(), raw.shape());
  return exponential_log_prob(x, activation_.apply(raw));
}

Tensor ExponentialDistribution::mean(const Tensor& raw) const {
  return kernels::map(apply_activation(activation_, raw), [](auto&& g) { return xt::exp(-g); });
}

Tensor ExponentialDistribution::sample(const Tensor& raw, Generator& gen) const {
  const Tensor gamma = apply_activation(activation_, raw);
  const Tensor u = gen.uniform(gamma.shape(), 0.0, 1.0, gamma.dtype());
  return kernels::map2(gamma, u, [](auto&& g, auto&& uu) {
    using T = kernels::value_of<decltype(g)>;
    return -xt::log(T(1) - uu) * xt::exp(-g);  // 1 - U in (0, 1]: finite
  });
}

namespace {
const bool registered = [] {
  register_activation_distribution<ExponentialDistribution>("exponential", "identity");
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
