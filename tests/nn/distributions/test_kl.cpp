// KL registry: analytic Gaussian KLs against closed forms and Monte-Carlo estimates, the Monte-Carlo
// fallback for unregistered pairs, user registration, and the error naming both types.
#include "distribution_helpers.hpp"
#include "nn/distributions/kl.hpp"
#include "nn/ops/vae_ops.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::DiagonalGaussian;
using nn::StandardNormal;

namespace {
// A latent type the registry does not know: N(mu, I) shifted, with a reparameterised sampler.
class UnitNormal : public nn::LatentDistribution {
 public:
  explicit UnitNormal(Variable mu) : mu_(std::move(mu)) {}
  std::string type_name() const override { return "UnitNormal"; }
  std::size_t rows() const override { return mu_.shape()[0]; }
  std::size_t dim() const override { return mu_.shape()[1]; }
  DType dtype() const override { return mu_.dtype(); }
  Variable log_prob(const Variable& z) const override {
    return DiagonalGaussian(mu_, constant(Tensor::zeros(mu_.shape(), mu_.dtype()))).log_prob(z);
  }
  Variable mean() const override { return mu_; }
  bool has_rsample() const override { return true; }
  Variable rsample(Generator& gen, std::size_t samples) const override {
    return DiagonalGaussian(mu_, constant(Tensor::zeros(mu_.shape(), mu_.dtype()))).rsample(gen, samples);
  }

 private:
  Variable mu_;
};
// ...and one without a sampler
class NoSampler : public UnitNormal {
 public:
  using UnitNormal::UnitNormal;
  std::string type_name() const override { return "NoSampler"; }
  bool has_rsample() const override { return false; }
};

Tensor values(const Variable& v) {
  return v.value();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(kl_registry)

BOOST_AUTO_TEST_CASE(gaussian_vs_standard_normal_closed_form_and_monte_carlo) {
  const Tensor mu = f64({2, 2}, {0.5, -1.0, 0.0, 2.0});
  const Tensor lv = f64({2, 2}, {0.3, -0.5, 1.0, 0.0});
  const DiagonalGaussian q(constant(mu), constant(lv));
  const StandardNormal p(2, 2, DType::float64);
  BOOST_TEST(nn::has_analytic_kl(q, p));
  NoGradGuard guard;
  const Tensor kl = values(nn::kl_divergence(q, p));
  for (std::size_t n = 0; n < 2; ++n) {
    double want = 0;
    for (std::size_t j = 0; j < 2; ++j) {
      const double m = mu.at(2 * n + j), l = lv.at(2 * n + j);
      want += 0.5 * (m * m + std::exp(l) - 1 - l);
    }
    BOOST_TEST(std::fabs(kl.at(n) - want) < 1e-12);
  }
  Generator gen(99);
  nn::KlOptions mc{&gen, 200000, true};
  const Tensor est = values(nn::kl_divergence(q, p, mc));
  // the per-sample log-ratio has sd < 3 here: 5 standard errors of 200000 draws < 0.034
  for (std::size_t n = 0; n < 2; ++n) BOOST_TEST(std::fabs(est.at(n) - kl.at(n)) < 0.034);
}

BOOST_AUTO_TEST_CASE(gaussian_vs_gaussian_and_standard_normal_pairs) {
  const Tensor mq = f64({1, 2}, {0.5, -1.0}), lq = f64({1, 2}, {0.3, -0.5});
  const Tensor mp = f64({1, 2}, {-0.2, 0.4}), lp = f64({1, 2}, {0.1, 0.6});
  const DiagonalGaussian q(constant(mq), constant(lq)), p(constant(mp), constant(lp));
  NoGradGuard guard;
  double want = 0;
  for (std::size_t j = 0; j < 2; ++j)
    want +=
        0.5 * (lp.at(j) - lq.at(j) + (std::exp(lq.at(j)) + std::pow(mq.at(j) - mp.at(j), 2)) / std::exp(lp.at(j)) - 1);
  BOOST_TEST(std::fabs(values(nn::kl_divergence(q, p)).at(0) - want) < 1e-12);
  Generator gen(5);
  BOOST_TEST(std::fabs(values(nn::kl_divergence(q, p, {&gen, 200000, true})).at(0) - want) < 0.02);
  const StandardNormal s(1, 2, DType::float64);
  const DiagonalGaussian unit(constant(f64({1, 2}, {0, 0})), constant(f64({1, 2}, {0, 0})));
  BOOST_TEST(std::fabs(values(nn::kl_divergence(s, p)).at(0) - values(nn::kl_divergence(unit, p)).at(0)) < 1e-12);
  BOOST_TEST(values(nn::kl_divergence(s, s)).at(0) == 0.0);
}

BOOST_AUTO_TEST_CASE(analytic_gradients) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return nn::kl_divergence(DiagonalGaussian(v[0], v[1]), DiagonalGaussian(v[2], v[3]));
      },
      (std::vector<Tensor>{random_tensor({2, 3}, 1), random_tensor({2, 3}, 2), random_tensor({2, 3}, 3),
                           random_tensor({2, 3}, 4)}));
}

BOOST_AUTO_TEST_CASE(monte_carlo_fallback_for_unregistered_pairs) {
  const Tensor m = f64({1, 2}, {1.0, -1.0});
  const UnitNormal q(constant(m));
  const StandardNormal p(1, 2, DType::float64);
  BOOST_TEST(!nn::has_analytic_kl(q, p));
  Generator gen(3);
  NoGradGuard guard;
  // KL(N(m, I) || N(0, I)) = |m|^2 / 2 = 1
  BOOST_TEST(std::fabs(values(nn::kl_divergence(q, p, {&gen, 100000})).at(0) - 1.0) < 0.03);
}

BOOST_AUTO_TEST_CASE(error_names_both_types_when_neither_path_applies) {
  const UnitNormal q(constant(f64({1, 2}, {1.0, -1.0})));
  const StandardNormal p(1, 2, DType::float64);
  check_throws_with<InvalidArgument>([&] { nn::kl_divergence(q, p); },
                                     {"UnitNormal || StandardNormal", "no analytic KL", "Generator"});
  const NoSampler r(constant(f64({1, 2}, {1.0, -1.0})));
  Generator gen(1);
  check_throws_with<InvalidArgument>(
      [&] {
        nn::kl_divergence(r, p, {&gen, 10});
      },
      {"NoSampler || StandardNormal", "cannot draw reparameterised samples"});
}

BOOST_AUTO_TEST_CASE(user_registered_pair_is_used) {
  nn::register_kl<NoSampler, StandardNormal>(
      [](const NoSampler& q, const StandardNormal&) { return 0.5 * sum(square(q.mean()), 1); });
  const NoSampler q(constant(f64({1, 2}, {1.0, 2.0})));
  NoGradGuard guard;
  BOOST_TEST(values(nn::kl_divergence(q, StandardNormal(1, 2, DType::float64))).at(0) == 2.5);
}

BOOST_AUTO_TEST_SUITE_END()
