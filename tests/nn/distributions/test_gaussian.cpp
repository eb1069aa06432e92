// Gaussian reconstruction distribution: closed-form densities, the [mu | log sigma^2] layout, moments,
// gradients, conformance, errors.
#include "distribution_helpers.hpp"
#include "nn/distributions/gaussian.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::GaussianDistribution;

BOOST_AUTO_TEST_SUITE(gaussian_distribution)

BOOST_AUTO_TEST_CASE(log_prob_matches_closed_form_identity_and_tanh) {
  const Tensor x = f64({2, 2}, {0.3, -1.2, 2.0, 0.5});
  const Tensor raw = f64({2, 4}, {0.1, -0.5, 0.2, -0.7, 1.5, 0.25, -1.0, 0.4});
  // sum_j -0.5 (log 2pi + lv + (x - mu)^2 e^-lv), reference values from mpmath
  check_close(log_prob_values(GaussianDistribution(), x, raw), {-2.09762109480117, -1.89860979640534}, 1e-6);
  check_close(log_prob_values(GaussianDistribution(Activation::from_name("tanh")), x, raw),
              {-2.14906989938965, -2.95292472034432}, 1e-6);
}

BOOST_AUTO_TEST_CASE(layout_is_mean_then_log_variance) {
  const GaussianDistribution d;
  BOOST_TEST(d.input_size(3) == 6u);
  const Tensor raw = f64({1, 4}, {1.0, 2.0, std::log(4.0), std::log(0.25)});
  check_close(d.mean(raw), {1.0, 2.0}, 0.0);
  Generator gen(7);
  const Tensor draws = d.sample(nn::tile_rows(raw, 40000), gen);
  std::vector<double> m, sd;
  column_moments(draws, m, sd);
  // mean within 5 standard errors; sd = e^(lv/2) = 2 and 0.5
  BOOST_TEST(std::fabs(m[0] - 1.0) < 5 * 2.0 / 200);
  BOOST_TEST(std::fabs(m[1] - 2.0) < 5 * 0.5 / 200);
  BOOST_TEST(std::fabs(sd[0] - 2.0) < 0.03);
  BOOST_TEST(std::fabs(sd[1] - 0.5) < 0.0075);
}

BOOST_AUTO_TEST_CASE(gradients_in_raw_and_x) {
  for (const char* act : {"identity", "tanh"}) {
    const GaussianDistribution d(Activation::from_name(act));
    XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return d.log_prob(v[0], v[1]); },
                         (std::vector<Tensor>{random_tensor({3, 2}, 1), random_tensor({3, 4}, 2)}));
  }
}

BOOST_AUTO_TEST_CASE(conforms) {
  check_conforms(GaussianDistribution());
  check_conforms(GaussianDistribution(Activation::from_name("tanh")));
}

BOOST_AUTO_TEST_CASE(wrong_raw_width_is_a_shape_error) {
  const GaussianDistribution d;
  check_throws_with<ShapeError>(
      [&] {
        log_prob_values(d, f64({2, 2}, {0, 0, 0, 0}), f64({2, 2}, {0, 0, 0, 0}));
      },
      {"gaussian(identity).log_prob", "[2,2]", "expected [2,4]"});
  check_throws_with<ShapeError>([&] { d.mean(f64({1, 3}, {0, 0, 0})); }, {"gaussian(identity).mean", "[1,3]"});
}

BOOST_AUTO_TEST_CASE(accepts_any_finite_value_rejects_nan) {
  const GaussianDistribution d;
  d.validate(f64({1, 3}, {-1e6, 0.0, 1e6}));
  check_throws_with<DataError>(
      [&] {
        d.validate(f64({2, 2}, {0, 0, 0, std::nan("")}));
      },
      {"gaussian(identity)", "nan", "row 1", "column 1"});
}

BOOST_AUTO_TEST_SUITE_END()
