// Continuous Bernoulli: normalised density on [0,1] with log C(lambda), exact near lambda = 1/2 (Taylor
// branch), mean, sampling, gradients, conformance and data validation.
#include "distribution_helpers.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/continuous_bernoulli.hpp"
#include "nn/ops/vae_ops.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::ContinuousBernoulliDistribution;

BOOST_AUTO_TEST_SUITE(continuous_bernoulli_distribution)

BOOST_AUTO_TEST_CASE(log_prob_matches_closed_form) {
  // x log lambda + (1 - x) log(1 - lambda) + log(2 atanh(1 - 2 lambda) / (1 - 2 lambda)), mpmath reference
  const std::vector<std::array<double, 3>> cases = {{0.3, 0.0, 0.0},
                                                    {0.3, 0.004, -0.00080066666657777786},
                                                    {0.8, -0.02, -0.0060166666111114649},
                                                    {0.1, 2.5, -1.2480587843838067},
                                                    {0.95, -7.0, -4.7031775529618473},
                                                    {0.5, 30.0, -11.598802618337751},
                                                    {0.2, 1e-7, -3.0000000416666664e-8}};
  const ContinuousBernoulliDistribution d;
  for (const auto& [x, r, want] : cases)
    check_close(log_prob_values(d, f64({1, 1}, {x}), f64({1, 1}, {r})), {want}, 1e-12,
                "x=" + std::to_string(x) + " r=" + std::to_string(r));
}

BOOST_AUTO_TEST_CASE(normaliser_is_continuous_across_the_taylor_branch) {
  for (double r : {1e-2, -1e-2}) {
    const double below = r * (1 - 1e-12), above = r * (1 + 1e-12);
    BOOST_TEST(std::fabs(nn::continuous_bernoulli_log_norm(below) - nn::continuous_bernoulli_log_norm(above)) < 1e-14);
    BOOST_TEST(std::fabs(nn::continuous_bernoulli_log_norm_grad(below) -
                         nn::continuous_bernoulli_log_norm_grad(above)) < 1e-13);
  }
  BOOST_TEST(nn::continuous_bernoulli_log_norm(0.0) == std::log(2.0));
  BOOST_TEST(nn::continuous_bernoulli_log_norm_grad(0.0) == 0.0);
  BOOST_TEST(std::isfinite(nn::continuous_bernoulli_log_norm(800.0)));
}

BOOST_AUTO_TEST_CASE(mean_matches_closed_form_and_samples) {
  const ContinuousBernoulliDistribution d;
  check_close(d.mean(f64({1, 5}, {0.0, 0.004, -0.02, 2.5, -7.0})),
              {0.5, 0.50033333324444448, 0.49833334444433863, 0.68942548983385201, 0.14194442860392112}, 1e-12);
  const Tensor raw = f64({1, 2}, {2.5, -7.0});
  Generator gen(11);
  const Tensor draws = d.sample(nn::tile_rows(raw, 40000), gen);
  std::vector<double> m, sd;
  column_moments(draws, m, sd);
  BOOST_TEST(std::fabs(m[0] - 0.68942548983385201) < 5 * sd[0] / 200);
  BOOST_TEST(std::fabs(m[1] - 0.14194442860392112) < 5 * sd[1] / 200);
  for (std::size_t i = 0; i < draws.size(); ++i) BOOST_TEST_REQUIRE((draws.at(i) >= 0.0 && draws.at(i) <= 1.0));
}

BOOST_AUTO_TEST_CASE(gradients_near_and_far_from_one_half) {
  const ContinuousBernoulliDistribution d;
  const Tensor x = random_tensor({3, 4}, 21, 0.0, 1.0);
  for (double scale : {0.015, 3.0})
    XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return d.log_prob(v[0], v[1]); },
                         (std::vector<Tensor>{x, random_tensor({3, 4}, 22, -scale, scale)}));
}

BOOST_AUTO_TEST_CASE(conforms) {
  check_conforms(ContinuousBernoulliDistribution());
}

BOOST_AUTO_TEST_CASE(rejects_data_outside_unit_interval) {
  check_throws_with<DataError>(
      [] {
        ContinuousBernoulliDistribution().validate(f64({1, 2}, {0.5, 1.2}));
      },
      {"continuous_bernoulli", "1.2", "row 0", "column 1"});
}

BOOST_AUTO_TEST_SUITE_END()
