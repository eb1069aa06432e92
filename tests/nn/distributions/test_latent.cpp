// Latent distributions: diagonal Gaussian posterior and standard-normal prior (log_prob, rsample, mean), and the
// [M, K] matrix of diagonal Gaussian log-densities (against a direct loop, in float32 too, and gradient-checked).
#include "autograd/gradcheck.hpp"
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

BOOST_AUTO_TEST_CASE(log_density_matrix_against_a_direct_loop) {
  // components as a trained VAE's posteriors: small variances (e^-4 .. e^0), z near and far from the means
  Generator g(5);
  const std::size_t m = 7, k = 5, j = 32;
  const Tensor mu = g.uniform(Shape{k, j}, -3.0, 3.0, DType::float64);
  const Tensor lv = g.uniform(Shape{k, j}, -4.0, 0.0, DType::float64);
  Tensor z = g.normal(Shape{m, j}, 0.0, 1.0, DType::float64);
  for (std::size_t c = 0; c < j; ++c) z.set(c, mu.at(2 * j + c) + 0.1 * z.at(c));  // row 0 beside component 2
  std::vector<double> want;
  for (std::size_t r = 0; r < m; ++r)
    for (std::size_t q = 0; q < k; ++q) {
      double s = 0;
      for (std::size_t c = 0; c < j; ++c) s += normal_logpdf(z.at(r * j + c), mu.at(q * j + c), lv.at(q * j + c));
      want.push_back(s);
    }
  NoGradGuard guard;
  check_close(nn::diagonal_gaussian_log_density_matrix(constant(z), constant(mu), constant(lv)).value(), want, 1e-10);
  // float32: the expansion's cancellation stays within 1e-3 nats of densities of size 1e1..1e4
  const Tensor f = nn::diagonal_gaussian_log_density_matrix(
                       constant(z.to(DType::float32)), constant(mu.to(DType::float32)), constant(lv.to(DType::float32)))
                       .value();
  for (std::size_t e = 0; e < want.size(); ++e)
    BOOST_TEST(std::fabs(f.at(e) - want[e]) < 1e-3 + 2e-7 * std::fabs(want[e]),
               e << ": " << f.at(e) << " vs " << want[e]);
  check_throws_with<ShapeError>(
      [&] {
        nn::diagonal_gaussian_log_density_matrix(constant(z), constant(mu), constant(lv.reshaped(Shape{j, k})));
      },
      {"diagonal_gaussian_log_density_matrix", "[K, J]"});
}

BOOST_AUTO_TEST_CASE(log_density_matrix_gradients) {
  Generator g(6);
  const GradcheckResult r = gradcheck(
      [](const std::vector<Variable>& v) { return nn::diagonal_gaussian_log_density_matrix(v[0], v[1], v[2]); },
      {g.normal(Shape{3, 4}, 0.0, 1.0, DType::float64), g.normal(Shape{2, 4}, 0.0, 1.0, DType::float64),
       g.uniform(Shape{2, 4}, -1.0, 1.0, DType::float64)});
  BOOST_TEST(r.ok, r.message);
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
