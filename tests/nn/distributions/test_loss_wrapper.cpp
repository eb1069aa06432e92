// LossFunctionWrapper: log_prob = -loss per example, deterministic mean/sample, has_loss_function.
#include "distribution_helpers.hpp"
#include "nn/distributions/loss_wrapper.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::Loss;
using nn::LossFunctionWrapper;

BOOST_AUTO_TEST_SUITE(loss_function_wrapper)

BOOST_AUTO_TEST_CASE(log_prob_is_minus_the_per_example_loss) {
  const Tensor x = f64({2, 2}, {0.5, -0.25, 1.0, 0.0});
  const Tensor raw = f64({2, 2}, {0.2, -0.4, 0.0, 3.0});
  // MSE with tanh: (1/K) sum (x - tanh(raw))^2 ; MAE with identity: (1/K) sum |x - raw|
  const LossFunctionWrapper mse(Activation::from_name("tanh"), Loss::MSE);
  const double a = (std::pow(0.5 - std::tanh(0.2), 2) + std::pow(-0.25 - std::tanh(-0.4), 2)) / 2;
  const double b = (std::pow(1.0, 2) + std::pow(std::tanh(3.0), 2)) / 2;
  check_close(log_prob_values(mse, x, raw), {-a, -b}, 1e-12);
  const LossFunctionWrapper mae(Activation::from_name("identity"), Loss::MEAN_ABSOLUTE_ERROR);
  check_close(log_prob_values(mae, x, raw), {-(0.3 + 0.15) / 2, -(1.0 + 3.0) / 2}, 1e-12);
}

BOOST_AUTO_TEST_CASE(deterministic_output_and_loss_flag) {
  const LossFunctionWrapper d(Activation::from_name("sigmoid"), Loss::XENT);
  BOOST_TEST(d.has_loss_function());
  const Tensor raw = f64({1, 2}, {0.0, 1.0});
  Generator gen(1);
  check_close(d.mean(raw), {0.5, 1.0 / (1.0 + std::exp(-1.0))}, 1e-12);
  check_close(d.sample(raw, gen), {0.5, 1.0 / (1.0 + std::exp(-1.0))}, 1e-12);
  BOOST_TEST(d.describe() == "loss_function(sigmoid, XENT)");
}

BOOST_AUTO_TEST_CASE(gradients) {
  const LossFunctionWrapper mse(Activation::from_name("tanh"), Loss::MSE);
  const LossFunctionWrapper mae(Activation::from_name("identity"), Loss::MEAN_ABSOLUTE_ERROR);
  for (const auto* d : {&mse, &mae})
    XGRAD_CHECK_GRADIENT([&](const std::vector<Variable>& v) { return d->log_prob(v[0], v[1]); },
                         (std::vector<Tensor>{random_tensor({3, 3}, 41), random_tensor({3, 3}, 42)}));
}

BOOST_AUTO_TEST_CASE(conforms) {
  check_conforms(LossFunctionWrapper(Activation::from_name("tanh"), Loss::MSE));
  check_conforms(LossFunctionWrapper(Activation::from_name("identity"), Loss::MEAN_ABSOLUTE_ERROR));
}

BOOST_AUTO_TEST_SUITE_END()
