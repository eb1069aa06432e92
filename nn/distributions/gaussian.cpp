#include "nn/distributions/gaussian.hpp"

#include "autograd/kernels.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

Variable GaussianDistribution::log_prob(const Variable& x, const Variable& raw) const {
  check_shapes("log_prob", x.shape(), raw.shape());
  return gaussian_log_prob(x, activation_.apply(raw));
}

Tensor GaussianDistribution::mean(const Tensor& raw) const {
  const std::size_t d = data_size_of("mean", raw.shape(), 2);
  return take_columns(apply_activation(activation_, raw), 0, d);
}

Tensor GaussianDistribution::sample(const Tensor& raw, Generator& gen) const {
  const std::size_t d = data_size_of("sample", raw.shape(), 2);
  const Tensor a = apply_activation(activation_, raw);
  const Tensor mu = take_columns(a, 0, d);
  const Tensor lv = take_columns(a, d, 2 * d);
  const Tensor eps = gen.normal(mu.shape(), 0.0, 1.0, mu.dtype());
  return kernels::map3(mu, lv, eps, [](auto&& m, auto&& l, auto&& e) {
    using T = kernels::value_of<decltype(m)>;
    return m + xt::exp(T(0.5) * l) * e;
  });
}

namespace {
const bool registered = [] {
  register_activation_distribution<GaussianDistribution>("gaussian", "identity");
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
