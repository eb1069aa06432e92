// Optimizer configs from fuzz/optimizer_config.cpp: {"weight_decay": {"apply_lr": "None"}} escaped as
// nlohmann's type_error ("type must be boolean, but is string"), which named neither the function nor the field.
#include <boost/test/unit_test.hpp>

#include "autograd/errors.hpp"
#include "autograd/xgrad.hpp"
#include "nn/optim/optimizers.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

BOOST_AUTO_TEST_SUITE(optim_fuzz_regressions)

BOOST_AUTO_TEST_CASE(fields_of_the_wrong_type_name_the_optimizer_and_the_config) {
  std::vector<nn::NamedParameter> params{{"W", parameter(Tensor::full({2, 2}, 0.5))}};
  check_throws_with<InvalidArgument>(
      [&] {
        nn::optimizer_from_config({{"type", "NoOp"}, {"weight_decay", {{"apply_lr", "None"}, {"coeff", 5.0}}}}, params);
      },
      {"optimizer_from_config: NoOp", "type must be boolean", "\"apply_lr\":\"None\""});
}

BOOST_AUTO_TEST_SUITE_END()
