// Distribution specs: parsing, composite configs, the remainder part, and the error messages.
#include <boost/test/unit_test.hpp>

#include "test_helpers.hpp"
#include "trainer/distribution_spec.hpp"
#include "trainer/exit_codes.hpp"

using namespace xgrad::trainer;
using xgrad::test::check_throws_with;

BOOST_AUTO_TEST_SUITE(trainer_distribution_spec)

BOOST_AUTO_TEST_CASE(single_distribution_with_activation) {
  const auto parts = parse_distribution_spec(" gaussian(tanh) ");
  BOOST_REQUIRE(parts.size() == 1u);
  BOOST_TEST(parts[0].name == "gaussian");
  BOOST_TEST(parts[0].activation == "tanh");
  BOOST_TEST(parts[0].columns == 0u);
  BOOST_TEST(distribution_config("bernoulli", 784) == nlohmann::json({{"type", "bernoulli"}}));
  BOOST_TEST(distribution_config("gaussian(tanh)", 784) ==
             nlohmann::json({{"type", "gaussian"}, {"activation", "tanh"}}));
  BOOST_TEST(distribution_config("loss_function(sigmoid, mse)", 784) ==
             nlohmann::json({{"type", "loss_function"}, {"activation", "sigmoid"}, {"loss", "mse"}}));
}

BOOST_AUTO_TEST_CASE(composite_parts_and_remainder) {
  const nlohmann::json c = distribution_config("gaussian:200,bernoulli:584", 784);
  BOOST_TEST(c["type"] == "composite");
  BOOST_TEST(c["parts"].size() == 2u);
  BOOST_TEST(c["parts"][0]["size"] == 200);
  BOOST_TEST(c["parts"][1]["distribution"]["type"] == "bernoulli");
  const nlohmann::json r = distribution_config("gaussian(tanh):100,bernoulli", 784);
  BOOST_TEST(r["parts"][1]["size"] == 684);
  BOOST_TEST(r["parts"][0]["distribution"]["activation"] == "tanh");
}

BOOST_AUTO_TEST_CASE(errors_say_what_is_wrong) {
  check_throws_with<UsageError>([] { distribution_config("gaussian:200,bernoulli:500", 784); },
                                {"add up to 700", "784"});
  check_throws_with<UsageError>([] { distribution_config("poisson", 784); },
                                {"unknown distribution 'poisson'", "bernoulli"});
  check_throws_with<UsageError>([] { distribution_config("gaussian,bernoulli", 784); }, {"only one part"});
  check_throws_with<UsageError>([] { parse_distribution_spec("gaussian:x"); }, {"'x' is not a positive integer"});
  check_throws_with<UsageError>([] { parse_distribution_spec("gaussian(tanh"); }, {"unbalanced '('"});
  check_throws_with<UsageError>([] { make_distribution("bernoulli(nosuch)", 784); }, {"bernoulli(nosuch)"});
}

BOOST_AUTO_TEST_CASE(make_distribution_builds_it) {
  const auto d = make_distribution("bernoulli", 784);
  BOOST_TEST(d->name() == "bernoulli");
  BOOST_TEST(d->input_size(784) == 784u);
  const auto g = make_distribution("gaussian", 784);
  BOOST_TEST(g->input_size(784) == 1568u);
  const auto c = make_distribution("gaussian:200,bernoulli", 784);  // [mu | log sigma^2] for 200 columns + 584
  BOOST_TEST(c->name() == "composite");
  BOOST_TEST(c->input_size(784) == 400u + 584u);
}

BOOST_AUTO_TEST_SUITE_END()
