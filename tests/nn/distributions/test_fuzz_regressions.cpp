// Distribution configs from fuzz/distribution_config.cpp: a composite part of size -1 became 2^64-1 columns;
// a "size" of the wrong type escaped as nlohmann's type_error.
#include <boost/test/unit_test.hpp>

#include "autograd/errors.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

BOOST_AUTO_TEST_SUITE(distributions_fuzz_regressions)

BOOST_AUTO_TEST_CASE(composite_part_sizes_must_be_non_negative_integers) {
  check_throws_with<InvalidArgument>(
      [] {
        nn::distribution_from_config(
            {{"type", "composite"}, {"parts", {{{"size", -1}, {"distribution", "bernoulli"}}}}});
      },
      {"composite part \"size\"", "non-negative integer", "-1"});
  check_throws_with<InvalidArgument>(
      [] {
        nn::distribution_from_config(
            {{"type", "composite"}, {"parts", {{{"size", "2"}, {"distribution", "bernoulli"}}}}});
      },
      {"composite part \"size\"", "\"2\""});
}

BOOST_AUTO_TEST_CASE(fields_of_the_wrong_type_name_the_distribution) {
  check_throws_with<InvalidArgument>(
      [] {
        nn::distribution_from_config({{"type", "loss_function"}, {"activation", "sigmoid"}, {"loss", 3}});
      },
      {"distribution_from_config: loss_function", "\"loss\":3"});
}

BOOST_AUTO_TEST_SUITE_END()
