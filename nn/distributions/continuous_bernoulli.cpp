#include "nn/distributions/continuous_bernoulli.hpp"

#include <cmath>

#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

namespace {
double cb_mean(double r) {
  if (std::fabs(r) < 1e-2) {  // 1/2 + r/12 - r^3/720 + r^5/30240
    const double q = r * r;
    return 0.5 + r * (1.0 / 12 + q * (-1.0 / 720 + q / 30240));
  }
  return 0.5 + 0.5 / std::tanh(0.5 * r) - 1.0 / r;
}

double cb_inverse_cdf(double r, double u) {
  if (r == 0) return u;
  if (r < 0) return std::log1p(u * std::expm1(r)) / r;
  return 1.0 + std::log(u + (1.0 - u) * std::exp(-r)) / r;  // same value, no overflow of e^r
}

template <class F>
Tensor elementwise(const Tensor& a, const Tensor* b, F f) {
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  a.visit([&](const auto& arr) {
    using T = std::decay_t<decltype(*arr.data())>;
    const T* p = arr.data();
    const T* q = b ? b->data<T>() : nullptr;
    T* o = out.data<T>();
    for (std::size_t i = 0; i < arr.size(); ++i) o[i] = static_cast<T>(f(p[i], q ? static_cast<double>(q[i]) : 0.0));
  });
  return out;
}
}  // namespace

Variable ContinuousBernoulliDistribution::log_prob(const Variable& x, const Variable& raw) const {
  check_shapes("log_prob", x.shape(), raw.shape());
  return continuous_bernoulli_log_prob(x, raw);
}

Tensor ContinuousBernoulliDistribution::mean(const Tensor& raw) const {
  return elementwise(raw, nullptr, [](double r, double) { return cb_mean(r); });
}

Tensor ContinuousBernoulliDistribution::sample(const Tensor& raw, Generator& gen) const {
  const Tensor u = gen.uniform(raw.shape(), 0.0, 1.0, raw.dtype());
  return elementwise(raw, &u, [](double r, double uu) { return std::min(1.0, std::max(0.0, cb_inverse_cdf(r, uu))); });
}

namespace {
const bool registered = [] {
  register_plain_distribution<ContinuousBernoulliDistribution>("continuous_bernoulli");
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
