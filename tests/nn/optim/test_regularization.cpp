// l1/l2 penalties: values and gradients by hand (DL4J's 0.5 l2 convention), gradient check, JSON, validation.
#include "nn/optim/regularization.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

BOOST_AUTO_TEST_SUITE(regularization)

BOOST_AUTO_TEST_CASE(penalty_and_gradient_by_hand) {
  Variable W = parameter(Tensor::from({2, 2}, {1.0, -2.0, 0.5, 0.0}, DType::float64));
  Variable b = parameter(Tensor::from({2}, {1.0, -1.0}, DType::float64));
  const Regularization reg{0.1, 0.2, 0.3, 0.4};
  const Variable p = regularization_penalty(reg, {W}, {b});
  // 0.1 * 3.5 + 0.5 * 0.2 * 5.25 + 0.3 * 2 + 0.5 * 0.4 * 2 = 0.35 + 0.525 + 0.6 + 0.4
  BOOST_TEST(p.item() == 1.875, boost::test_tools::tolerance(1e-14));
  p.backward();
  // dW = 0.1 sign(W) + 0.2 W (sign(0) = 0); db = 0.3 sign(b) + 0.4 b
  test::check_close(W.grad(), {0.3, -0.5, 0.2, 0.0}, 1e-15, "dW");
  test::check_close(b.grad(), {0.7, -0.7}, 1e-15, "db");
}

BOOST_AUTO_TEST_CASE(only_l2_is_half_sum_of_squares) {
  Variable W = parameter(Tensor::from({3}, {1.0, 2.0, 3.0}, DType::float32));
  const Variable p = regularization_penalty(Regularization{0, 0.01}, {W}, {});
  BOOST_TEST(p.item() == 0.5 * 0.01 * 14, boost::test_tools::tolerance(1e-6));
  BOOST_TEST((p.dtype() == DType::float32));
}

BOOST_AUTO_TEST_CASE(none_is_a_constant_zero) {
  Variable W = parameter(Tensor::from({2}, {1.0, 2.0}, DType::float64));
  const Variable p = regularization_penalty(Regularization{}, {W}, {W});
  BOOST_TEST(p.item() == 0.0);
  BOOST_TEST(!p.requires_grad());
  BOOST_TEST((p.dtype() == DType::float64));
  BOOST_TEST((!Regularization{}.any()));
  BOOST_TEST((Regularization{0, 0, 0, 1e-3}.any()));
}

BOOST_AUTO_TEST_CASE(gradient_check) {
  const Tensor w = test::random_tensor({3, 4}, 11);
  const Tensor b = test::random_tensor({4}, 12);
  auto f = [](const std::vector<Variable>& in) {
    return regularization_penalty(Regularization{0.3, 0.7, 0.2, 0.9}, {in[0]}, {in[1]});
  };
  XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{w, b}));
}

BOOST_AUTO_TEST_CASE(json_round_trip_and_validation) {
  const Regularization reg{1e-4, 2e-4, 3e-4, 4e-4};
  BOOST_TEST((Regularization::from_json(reg.to_json()) == reg));
  BOOST_TEST(reg.to_json()["l2_bias"].get<double>() == 4e-4);
  BOOST_TEST((Regularization::from_json(nlohmann::json{{"l2", 0.5}}) == Regularization{0, 0.5, 0, 0}));
  test::check_throws_with<InvalidArgument>(
      [] {
        Regularization::from_json({{"l1", -1.0}});
      },
      {"Regularization::from_json", "l1", "-1"});
}

BOOST_AUTO_TEST_SUITE_END()
