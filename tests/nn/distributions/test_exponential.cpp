// Exponential reconstruction distribution: gamma = log lambda, closed form, moments, gradients,
// conformance, and rejection of negative data.
#include "distribution_helpers.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/exponential.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::ExponentialDistribution;

BOOST_AUTO_TEST_SUITE(exponential_distribution)

BOOST_AUTO_TEST_CASE(log_prob_matches_closed_form) {
  const Tensor x = f64({2, 2}, {0.5, 2.0, 0.0, 1.5});
  const Tensor raw = f64({2, 2}, {0.3, -1.0, 2.0, 0.1});
  // sum_j (gamma - e^gamma x)
  check_close(log_prob_values(ExponentialDistribution(), x, raw), {-2.11068828613089, 0.442243622886529}, 1e-6);
  check_close(log_prob_values(ExponentialDistribution(Activation::from_name("tanh")), x, raw),
              {-2.07321594454438, -0.593510509740101}, 1e-6);
}

BOOST_AUTO_TEST_CASE(mean_and_sample_moments) {
  const ExponentialDistribution d;
  const Tensor raw = f64({1, 2}, {std::log(2.0), std::log(0.5)});  // lambda 2 and 0.5
  check_close(d.mean(raw), {0.5, 2.0}, 1e-12);
  Generator gen(5);
  const Tensor draws = d.sample(nn::tile_rows(raw, 40000), gen);
  std::vector<double> m, sd;
  column_moments(draws, m, sd);
  BOOST_TEST(std::fabs(m[0] - 0.5) < 5 * 0.5 / 200);  // sd of an exponential = its mean
  BOOST_TEST(std::fabs(m[1] - 2.0) < 5 * 2.0 / 200);
  BOOST_TEST(std::fabs(sd[1] - 2.0) < 0.06);
}

BOOST_AUTO_TEST_CASE(gradients) {
  for (const char* act : {"identity", "tanh"}) {
    const ExponentialDistribution d(Activation::from_name(act));
    XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return d.log_prob(v[0], v[1]); },
                         (std::vector<Tensor>{random_tensor({3, 2}, 8, 0.0, 3.0), random_tensor({3, 2}, 9)}));
  }
}

BOOST_AUTO_TEST_CASE(conforms) {
  check_conforms(ExponentialDistribution());
  check_conforms(ExponentialDistribution(Activation::from_name("tanh")));
}

BOOST_AUTO_TEST_CASE(rejects_negative_data) {
  const ExponentialDistribution d;
  d.validate(f64({1, 2}, {0.0, 7.5}));
  check_throws_with<DataError>(
      [&] {
        d.validate(f64({3, 2}, {0, 1, 2, 3, 4, -0.5}));
      },
      {"exponential(identity)", "-0.5", "row 2", "column 1", "[0, inf)"});
}

BOOST_AUTO_TEST_SUITE_END()
