// Categorical distribution over a one-hot column group: log-softmax, class probabilities, sampling,
// gradients, conformance, one-hot validation.
#include "distribution_helpers.hpp"
#include "nn/distributions/categorical.hpp"
#include "nn/distributions/columns.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::CategoricalDistribution;

BOOST_AUTO_TEST_SUITE(categorical_distribution)

BOOST_AUTO_TEST_CASE(log_prob_is_log_softmax_of_the_observed_class) {
  const Tensor raw = f64({2, 3}, {1.0, 2.0, 3.0, 0.0, 0.0, 0.0});
  const Tensor x = f64({2, 3}, {0, 1, 0, 0, 0, 1});
  const double lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  check_close(log_prob_values(CategoricalDistribution(), x, raw), {2.0 - lse, -std::log(3.0)}, 1e-12);
}

BOOST_AUTO_TEST_CASE(mean_is_softmax_and_samples_are_one_hot_with_those_frequencies) {
  const CategoricalDistribution d;
  const Tensor raw = f64({1, 3}, {0.0, std::log(2.0), std::log(5.0)});  // p = 1/8, 2/8, 5/8
  check_close(d.mean(raw), {0.125, 0.25, 0.625}, 1e-12);
  Generator gen(2);
  const Tensor draws = d.sample(nn::tile_rows(raw, 40000), gen);
  d.validate(draws);  // every row one-hot
  std::vector<double> m, sd;
  column_moments(draws, m, sd);
  for (std::size_t k = 0; k < 3; ++k) {
    const double p = d.mean(raw).at(k);
    BOOST_TEST(std::fabs(m[k] - p) < 5 * std::sqrt(p * (1 - p) / 40000));
  }
}

BOOST_AUTO_TEST_CASE(gradient) {
  const Tensor x = f64({3, 4}, {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1});
  const CategoricalDistribution d;
  XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return d.log_prob(constant(x), v[0]); },
                       std::vector<Tensor>{random_tensor({3, 4}, 31, -2, 2)});
}

BOOST_AUTO_TEST_CASE(conforms) {
  check_conforms(CategoricalDistribution());
}

BOOST_AUTO_TEST_CASE(rejects_rows_that_are_not_one_hot) {
  const CategoricalDistribution d;
  check_throws_with<DataError>(
      [&] {
        d.validate(f64({2, 3}, {0, 1, 0, 1, 1, 0}));
      },
      {"categorical", "row 1", "2 ones", "one-hot"});
  check_throws_with<DataError>(
      [&] {
        d.validate(f64({1, 3}, {0, 0.5, 0.5}));
      },
      {"categorical", "0.5 at row 0", "column 1"});
  check_throws_with<DataError>([&] { d.validate(f64({1, 3}, {0, 0, 0}), 4); }, {"row 0", "columns 4..6", "0 ones"});
}

BOOST_AUTO_TEST_SUITE_END()
