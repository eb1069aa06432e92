// Distribution registry: JSON round trips of every built-in, bare names, unknown names, user types.
#include "distribution_helpers.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/categorical.hpp"
#include "nn/distributions/continuous_bernoulli.hpp"
#include "nn/distributions/exponential.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/loss_wrapper.hpp"

using namespace xgrad;
using namespace xgrad::test;

BOOST_AUTO_TEST_SUITE(distribution_registry)

BOOST_AUTO_TEST_CASE(every_builtin_round_trips_through_json) {
  Activation leaky = Activation::from_name("leakyrelu");
  leaky.alpha = 0.2;
  const std::vector<nn::DistributionPtr> all = {
      std::make_shared<nn::GaussianDistribution>(Activation::from_name("tanh")),
      std::make_shared<nn::BernoulliDistribution>(),
      std::make_shared<nn::BernoulliDistribution>(Activation::from_name("hardsigmoid")),
      std::make_shared<nn::ExponentialDistribution>(leaky),
      std::make_shared<nn::ContinuousBernoulliDistribution>(),
      std::make_shared<nn::CategoricalDistribution>(),
      std::make_shared<nn::LossFunctionWrapper>(Activation::from_name("sigmoid"), nn::Loss::XENT)};
  for (const auto& d : all) {
    const nlohmann::json j = nlohmann::json::parse(d->config().dump());
    const nn::DistributionPtr back = nn::distribution_from_config(j);
    BOOST_TEST(back->config() == d->config(), j.dump());
    BOOST_TEST(back->describe() == d->describe());
  }
  BOOST_TEST(nn::GaussianDistribution().config().dump() == R"({"activation":"identity","type":"gaussian"})");
  const auto e = nn::distribution_from_config(nn::ExponentialDistribution(leaky).config());
  BOOST_TEST(dynamic_cast<const nn::ExponentialDistribution&>(*e).activation().alpha == 0.2);
}

BOOST_AUTO_TEST_CASE(bare_names_give_dl4j_defaults) {
  BOOST_TEST(nn::distribution_from_config("bernoulli")->describe() == "bernoulli(sigmoid)");
  BOOST_TEST(nn::distribution_from_config("gaussian")->describe() == "gaussian(identity)");
  BOOST_TEST(nn::distribution_from_config("exponential")->describe() == "exponential(identity)");
}

BOOST_AUTO_TEST_CASE(unknown_names_and_bad_configs_are_rejected) {
  check_throws_with<InvalidArgument>(
      [] { nn::distribution_from_config("poisson"); },
      {"unknown distribution 'poisson'", "gaussian", "bernoulli", "register_distribution"});
  check_throws_with<InvalidArgument>(
      [] {
        nn::distribution_from_config(nlohmann::json{{"activation", "tanh"}});
      },
      {"\"type\""});
  check_throws_with<InvalidArgument>(
      [] {
        nn::distribution_from_config(nlohmann::json{{"type", "loss_function"}});
      },
      {"loss_function needs"});
}

BOOST_AUTO_TEST_CASE(user_types_can_be_registered) {
  nn::register_distribution("test_half_gaussian", [](const nlohmann::json&) -> nn::DistributionPtr {
    return std::make_shared<nn::GaussianDistribution>(Activation::from_name("softsign"));
  });
  const auto names = nn::registered_distributions();
  BOOST_TEST((std::find(names.begin(), names.end(), "test_half_gaussian") != names.end()));
  BOOST_TEST(nn::distribution_from_config("test_half_gaussian")->describe() == "gaussian(softsign)");
}

BOOST_AUTO_TEST_SUITE_END()
