// Latent distributions: diagonal Gaussian posterior and standard-normal prior (log_prob, rsample, mean).
#include "distribution_helpers.hpp"
#include "nn/distributions/latent.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::DiagonalGaussian;
using nn::StandardNormal;

namespace {
constexpr double kLog2Pi = 1.8378770664093454836;
double normal_logpdf(double z, double mu, double lv) {
  return -0.5 * (kLog2Pi + lv + (z - mu) * (z - mu) * std::exp(-lv));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(latent_distributions)

BOOST_AUTO_TEST_CASE(diagonal_gaussian_log_prob_with_samples_stacked) {
  const Tensor mu = f64({2, 2}, {0.1, -0.3, 1.0, 0.5});
  const Tensor lv = f64({2, 2}, {0.0, -1.0, 0.4, 0.2});
  const DiagonalGaussian q(constant(mu), constant(lv));
  const Tensor z = f64({4, 2}, {0.0, 0.0, 1.0, 1.0, -0.5, 0.2, 2.0, -1.0});  // L = 2, N = 2
  NoGradGuard guard;
  const Tensor lp = q.log_prob(constant(z)).value();
  std::vector<double> want;
  for (std::size_t r = 0; r < 4; ++r) {
    const std::size_t n = r % 2;
    want.push_back(normal_logpdf(z.at(2 * r), mu.at(2 * n), lv.at(2 * n)) +
                   normal_logpdf(z.at(2 * r + 1), mu.at(2 * n + 1), lv.at(2 * n + 1)));
  }
  check_close(lp, want, 1e-12);
  const Tensor pz = StandardNormal(2, 2, DType::float64).log_prob(constant(z)).value();
  for (std::size_t r = 0; r < 4; ++r)
    BOOST_TEST(std::fabs(pz.at(r) - normal_logpdf(z.at(2 * r), 0, 0) - normal_logpdf(z.at(2 * r + 1), 0, 0)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(rsample_is_mu_plus_sigma_eps_with_the_right_moments) {
  const Tensor mu = f64({1, 2}, {1.0, -2.0});
  const Tensor lv = f64({1, 2}, {std::log(0.25), std::log(9.0)});
  const DiagonalGaussian q(constant(mu), constant(lv));
  const Tensor eps = f64({2, 2}, {1.0, -1.0, 0.5, 2.0});
  NoGradGuard guard;
  check_close(q.rsample(eps).value(), {1.5, -5.0, 1.25, 4.0}, 1e-12);
  Generator gen(17);
  const Tensor z = q.rsample(gen, 40000).value();
  BOOST_TEST(z.shape() == (Shape{40000, 2}));
  std::vector<double> m, sd;
  column_moments(z, m, sd);
  BOOST_TEST(std::fabs(m[0] - 1.0) < 5 * 0.5 / 200);
  BOOST_TEST(std::fabs(m[1] + 2.0) < 5 * 3.0 / 200);
  BOOST_TEST(std::fabs(sd[0] - 0.5) < 0.01);
  BOOST_TEST(std::fabs(sd[1] - 3.0) < 0.06);
  BOOST_TEST(q.mean().value().at(1) == -2.0);
}

BOOST_AUTO_TEST_CASE(log_prob_gradients) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) { return DiagonalGaussian(v[1], v[2]).log_prob(v[0]); },
      (std::vector<Tensor>{random_tensor({6, 3}, 1), random_tensor({2, 3}, 2), random_tensor({2, 3}, 3)}));
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) { return StandardNormal(2, 3, DType::float64).log_prob(v[0]); },
      std::vector<Tensor>{random_tensor({2, 3}, 4)});
}

BOOST_AUTO_TEST_CASE(prior_samples_and_mean) {
  const StandardNormal p(3, 2, DType::float64);
  Generator gen(4);
  const Tensor z = p.rsample(gen, 2).value();
  BOOST_TEST(z.shape() == (Shape{6, 2}));
  check_close(p.mean().value(), std::vector<double>(6, 0.0), 0.0);
}

BOOST_AUTO_TEST_CASE(shape_errors_name_the_type_and_shapes) {
  const DiagonalGaussian q(constant(f64({2, 2}, {0, 0, 0, 0})), constant(f64({2, 2}, {0, 0, 0, 0})));
  check_throws_with<ShapeError>(
      [&] {
        q.log_prob(constant(f64({3, 2}, {0, 0, 0, 0, 0, 0})));
      },
      {"DiagonalGaussian.log_prob", "[3,2]", "[L*2,2]"});
  check_throws_with<ShapeError>(
      [] {
        DiagonalGaussian(constant(f64({2, 2}, {0, 0, 0, 0})), constant(f64({2, 1}, {0, 0})));
      },
      {"DiagonalGaussian", "[2,2]", "[2,1]"});
  check_throws_with<InvalidArgument>(
      [&] {
        Generator g(1);
        q.rsample(g, 0);
      },
      {"samples must be >= 1"});
}

BOOST_AUTO_TEST_SUITE_END()
