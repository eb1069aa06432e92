// Bernoulli reconstruction distribution: closed form from logits and from clamped probabilities,
// stability for extreme logits, gradients, moments, conformance, data validation.
#include "distribution_helpers.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/columns.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::BernoulliDistribution;

BOOST_AUTO_TEST_SUITE(bernoulli_distribution)

BOOST_AUTO_TEST_CASE(log_prob_matches_closed_form) {
  const Tensor x = f64({2, 3}, {1, 0, 1, 0, 0, 1});
  const Tensor raw = f64({2, 3}, {0.3, -2.0, 4.0, 1.0, -0.5, -3.0});
  check_close(log_prob_values(BernoulliDistribution(), x, raw), {-0.699433183429309, -4.83592602327207}, 1e-6);
  // hardsigmoid: p = clamp(0.2 r + 0.5, 1e-5, 1 - 1e-5); the last p is clamped to 1e-5
  check_close(log_prob_values(BernoulliDistribution(Activation::from_name("hardsigmoid")), x, raw),
              {-0.685189010960769, -13.2277238930622}, 1e-6);
  // intensities in [0,1] (the "BCE" of Kingma & Welling)
  check_close(log_prob_values(BernoulliDistribution(), f64({1, 2}, {0.25, 0.9}), f64({1, 2}, {0.7, -1.3})),
              {-2.33919450271845}, 1e-6);
}

BOOST_AUTO_TEST_CASE(stable_for_extreme_logits) {
  const Tensor x = f64({1, 4}, {1, 0, 1, 0});
  const Tensor raw = f64({1, 4}, {1000, 1000, -1000, -1000});
  // log sigmoid(1000) = 0, log(1 - sigmoid(1000)) = -1000, log sigmoid(-1000) = -1000, log(1 - sigmoid(-1000)) = 0
  check_close(log_prob_values(BernoulliDistribution(), x, raw), {-2000.0}, 1e-9);
  Variable r = parameter(raw);
  BernoulliDistribution().log_prob(constant(x), r).backward(Tensor::full({1}, 1.0, DType::float64));
  check_close(r.grad(), {0.0, -1.0, 1.0, 0.0}, 1e-12);  // x - sigmoid(r)
  const Tensor r32 = raw.to(DType::float32);
  BOOST_TEST(log_prob_values(BernoulliDistribution(), x.to(DType::float32), r32).at(0) == -2000.0);
}

BOOST_AUTO_TEST_CASE(gradients) {
  const Tensor x = random_tensor({3, 4}, 3, 0.0, 1.0);
  for (const char* act : {"sigmoid", "hardsigmoid"}) {
    const BernoulliDistribution d(Activation::from_name(act));
    XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return d.log_prob(v[0], v[1]); },
                         (std::vector<Tensor>{x, random_tensor({3, 4}, 4, -2.0, 2.0)}));
  }
}

BOOST_AUTO_TEST_CASE(mean_and_sample_moments) {
  const BernoulliDistribution d;
  const Tensor raw = f64({1, 2}, {0.0, 2.0});
  const double p1 = 1.0 / (1.0 + std::exp(-2.0));
  check_close(d.mean(raw), {0.5, p1}, 1e-12);
  Generator gen(3);
  const Tensor draws = d.sample(nn::tile_rows(raw, 40000), gen);
  std::vector<double> m, sd;
  column_moments(draws, m, sd);
  BOOST_TEST(std::fabs(m[0] - 0.5) < 5 * std::sqrt(0.25 / 40000));
  BOOST_TEST(std::fabs(m[1] - p1) < 5 * std::sqrt(p1 * (1 - p1) / 40000));
  for (std::size_t i = 0; i < draws.size(); ++i) BOOST_TEST_REQUIRE((draws.at(i) == 0.0 || draws.at(i) == 1.0));
}

BOOST_AUTO_TEST_CASE(conforms) {
  check_conforms(BernoulliDistribution());
  check_conforms(BernoulliDistribution(Activation::from_name("hardsigmoid")));
}

BOOST_AUTO_TEST_CASE(rejects_data_outside_unit_interval) {
  const BernoulliDistribution d;
  d.validate(f64({1, 3}, {0.0, 0.5, 1.0}));
  check_throws_with<DataError>(
      [&] {
        d.validate(f64({2, 3}, {0, 1, 0, 0, 1.5, 0}));
      },
      {"bernoulli(sigmoid)", "1.5", "row 1", "column 1", "[0, 1]"});
  check_throws_with<DataError>([&] { d.validate(f64({1, 2}, {-0.25, 0})); }, {"-0.25", "row 0", "column 0"});
}

BOOST_AUTO_TEST_SUITE_END()
