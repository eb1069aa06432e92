// Layer configs from fuzz/layer_config.cpp: a negative size became 2^64-1 (nlohmann's get<std::size_t>) and
// asked for an 18-exabyte weight matrix; a field of the wrong type escaped as nlohmann's type_error, naming
// neither the function nor the config. Both are now InvalidArguments naming the layer type and the field.
#include <boost/test/unit_test.hpp>

#include "autograd/errors.hpp"
#include "nn/layers/layer.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

BOOST_AUTO_TEST_SUITE(layers_fuzz_regressions)

BOOST_AUTO_TEST_CASE(negative_sizes_are_rejected_by_name) {
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config({{"type", "Dense"}, {"n_in", -1}, {"n_out", 2}});
      },
      {"Dense config: \"n_in\"", "non-negative integer", "-1"});
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config({{"type", "AutoEncoder"}, {"n_in", 4}, {"n_out", -2}});
      },
      {"AutoEncoder config: \"n_out\"", "-2"});
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config(
            {{"type", "VariationalAutoencoder"}, {"n_in", 4}, {"n_out", 2}, {"encoder_layer_sizes", {3, -3}}});
      },
      {"VariationalAutoencoder config: \"encoder_layer_sizes\"", "-3"});
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config({{"type", "Dense"}, {"n_in", 2.5}, {"n_out", 2}});
      },
      {"\"n_in\"", "2.5"});
}

BOOST_AUTO_TEST_CASE(fields_of_the_wrong_type_name_the_layer_and_the_config) {
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config({{"type", "Dense"}, {"n_in", 3}, {"n_out", 2}, {"dropout", "half"}});
      },
      {"layer_from_config: Dense", "type must be number", "\"dropout\":\"half\""});
  // Inside a Sequential the innermost layer's message comes through unchanged.
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config(
            {{"type", "Sequential"}, {"layers", {{{"type", "Dense"}, {"n_in", 3}, {"n_out", 2}, {"seed", "x"}}}}});
      },
      {"layer_from_config: Dense", "\"seed\":\"x\""});
}

BOOST_AUTO_TEST_SUITE_END()
