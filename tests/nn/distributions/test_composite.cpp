// CompositeDistribution: consecutive column ranges, log-likelihood = sum of the parts, per-part terms,
// layout of mean/sample, gradients, conformance, validation with composite column numbers, size errors,
// loss-function composites, JSON round trip (nested).
#include "distribution_helpers.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/categorical.hpp"
#include "nn/distributions/composite.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/loss_wrapper.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::CompositeDistribution;

namespace {
std::shared_ptr<CompositeDistribution> gbg() {  // Gaussian 2 + Bernoulli 2 + Gaussian(tanh) 1
  auto c = std::make_shared<CompositeDistribution>();
  c->add(2, std::make_shared<nn::GaussianDistribution>())
      .add(2, std::make_shared<nn::BernoulliDistribution>())
      .add(1, std::make_shared<nn::GaussianDistribution>(Activation::from_name("tanh")));
  return c;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(composite_distribution)

BOOST_AUTO_TEST_CASE(log_prob_is_the_sum_of_the_parts_on_their_columns) {
  const auto c = gbg();
  BOOST_TEST(c->data_size() == 5u);
  BOOST_TEST(c->input_size(5) == 4u + 2u + 2u);
  const Tensor x = f64({2, 5}, {0.3, -1.2, 1, 0, 0.4, 2.0, 0.5, 0, 1, -0.3});
  const Tensor raw = random_tensor({2, 8}, 5);
  NoGradGuard guard;
  const Tensor total = log_prob_values(*c, x, raw);
  const Tensor g1 = log_prob_values(nn::GaussianDistribution(), nn::take_columns(x, 0, 2), nn::take_columns(raw, 0, 4));
  const Tensor b = log_prob_values(nn::BernoulliDistribution(), nn::take_columns(x, 2, 4), nn::take_columns(raw, 4, 6));
  const Tensor g2 = log_prob_values(nn::GaussianDistribution(Activation::from_name("tanh")), nn::take_columns(x, 4, 5),
                                    nn::take_columns(raw, 6, 8));
  const auto parts = c->part_log_probs(constant(x), constant(raw));
  BOOST_TEST(parts.size() == 3u);
  for (std::size_t n = 0; n < 2; ++n) {
    BOOST_TEST(std::fabs(total.at(n) - (g1.at(n) + b.at(n) + g2.at(n))) < 1e-12);
    BOOST_TEST(parts[1].value().at(n) == b.at(n));
  }
}

BOOST_AUTO_TEST_CASE(mean_and_sample_put_each_part_in_its_columns) {
  const auto c = gbg();
  const Tensor raw = f64({1, 8}, {1.0, 2.0, 0.0, 0.0, 0.0, 50.0, 0.5, -30.0});
  check_close(c->mean(raw), {1.0, 2.0, 0.5, 1.0, std::tanh(0.5)}, 1e-12);
  Generator gen(1);
  const Tensor s = c->sample(nn::tile_rows(raw, 20000), gen);
  BOOST_TEST(s.shape() == (Shape{20000, 5}));
  std::vector<double> m, sd;
  column_moments(s, m, sd);
  const std::vector<double> want = {1.0, 2.0, 0.5, 1.0, std::tanh(0.5)};
  for (std::size_t k = 0; k < 5; ++k) BOOST_TEST(std::fabs(m[k] - want[k]) < 5 * sd[k] / std::sqrt(20000.0) + 1e-12);
  BOOST_TEST(std::fabs(sd[4] - std::exp(0.5 * std::tanh(-30.0))) < 0.02);
}

BOOST_AUTO_TEST_CASE(gradient_and_conformance) {
  const auto c = gbg();
  const Tensor x = f64({3, 5}, {0.3, -1.2, 1, 0, 0.4, 2.0, 0.5, 0, 1, -0.3, 0.1, 0.1, 1, 1, 0.9});
  XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return c->log_prob(constant(x), v[0]); },
                       std::vector<Tensor>{random_tensor({3, 8}, 6)});
  check_conforms(*c);
  CompositeDistribution mixed;
  mixed.add(2, std::make_shared<nn::GaussianDistribution>()).add(3, std::make_shared<nn::CategoricalDistribution>());
  check_conforms(mixed);
}

BOOST_AUTO_TEST_CASE(validate_reports_the_composite_column) {
  const auto c = gbg();
  c->validate(f64({1, 5}, {-7, 7, 0, 1, 3}));
  check_throws_with<DataError>(
      [&] {
        c->validate(f64({2, 5}, {0, 0, 0, 0, 0, 0, 0, 0, 1.5, 0}));
      },
      {"bernoulli(sigmoid)", "1.5", "row 1", "column 3"});
}

BOOST_AUTO_TEST_CASE(sizes_must_add_up_to_the_data_width) {
  const auto c = gbg();
  check_throws_with<ShapeError>([&] { c->input_size(6); },
                                {"the data has 6 columns but the parts add up to 5 (2 + 2 + 1)"});
  check_throws_with<ShapeError>(
      [&] {
        log_prob_values(*c, random_tensor({2, 4}, 1), random_tensor({2, 8}, 2));
      },
      {"parts add up to 5"});
  check_throws_with<InvalidArgument>(
      [] { CompositeDistribution().add(0, std::make_shared<nn::BernoulliDistribution>()); },
      {"CompositeDistribution::add", "size >= 1"});
  check_throws_with<InvalidArgument>([] { CompositeDistribution().input_size(3); }, {"no parts"});
}

BOOST_AUTO_TEST_CASE(loss_function_only_when_every_part_is_one) {
  auto mse = std::make_shared<nn::LossFunctionWrapper>(Activation::from_name("identity"), nn::Loss::MSE);
  CompositeDistribution all, some;
  all.add(2, mse).add(1, mse);
  some.add(2, mse).add(1, std::make_shared<nn::BernoulliDistribution>());
  BOOST_TEST(all.has_loss_function());
  BOOST_TEST(!some.has_loss_function());
}

BOOST_AUTO_TEST_CASE(json_round_trip_including_nested_composites) {
  auto inner = gbg();
  CompositeDistribution outer;
  outer.add(5, inner).add(3, std::make_shared<nn::CategoricalDistribution>());
  const nlohmann::json j = nlohmann::json::parse(outer.config().dump());
  const auto back = nn::distribution_from_config(j);
  BOOST_TEST(back->config() == outer.config());
  BOOST_TEST(back->describe() ==
             "composite(composite(gaussian(identity):2, bernoulli(sigmoid):2, gaussian(tanh):1):5, categorical:3)");
  BOOST_TEST(back->input_size(8) == 11u);
  check_throws_with<InvalidArgument>(
      [] {
        nn::distribution_from_config({{"type", "composite"}});
      },
      {"non-empty \"parts\""});
}

BOOST_AUTO_TEST_SUITE_END()
