// Reductions: sum, mean, max over all elements or one axis (negative axes, keepdims), forward values
// and gradients by hand, and accumulation in double. Gradient checks live in test_registry.cpp.
#include <cmath>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;

namespace {
Variable x23() {
  return constant(Tensor::from({2, 3}, {1, 5, 3, 4, 2, 6}, DType::float64));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(reductions)

BOOST_AUTO_TEST_CASE(sum_mean_max_values) {
  const Variable x = x23();  // [[1,5,3],[4,2,6]]
  check_close(sum(x).value(), {21}, 0, "sum");
  BOOST_TEST(x.dim() == 2u);
  BOOST_TEST(sum(x).dim() == 0u);
  check_close(sum(x, 0).value(), {5, 7, 9}, 0, "sum axis 0");
  check_close(sum(x, 1).value(), {9, 12}, 0, "sum axis 1");
  check_close(sum(x, -1).value(), {9, 12}, 0, "sum axis -1");
  BOOST_TEST(shape_string(sum(x, 1, true).shape()) == "[2,1]");
  BOOST_TEST(shape_string(sum(x, -2, true).shape()) == "[1,3]");
  BOOST_TEST(shape_string(sum(x, 1).shape()) == "[2]");
  check_close(mean(x).value(), {3.5}, 0, "mean");
  check_close(mean(x, 0).value(), {2.5, 3.5, 4.5}, 0, "mean axis 0");
  check_close(mean(x, 1, true).value(), {3, 4}, 0, "mean axis 1 keepdims");
  check_close(max(x).value(), {6}, 0, "max");
  check_close(max(x, 0).value(), {4, 5, 6}, 0, "max axis 0");
  check_close(max(x, 1).value(), {5, 6}, 0, "max axis 1");
  BOOST_TEST(shape_string(max(x, 0, true).shape()) == "[1,3]");
}

BOOST_AUTO_TEST_CASE(three_d_middle_axis) {
  std::vector<double> v(24);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i);  // x[i,j,k] = 12i + 4j + k
  const Variable x = constant(Tensor::from({2, 3, 4}, v, DType::float64));
  // sum over j: 36i + 3k + 12
  check_close(sum(x, 1).value(), {12, 15, 18, 21, 48, 51, 54, 57}, 0, "sum axis 1");
  check_close(mean(x, 1).value(), {4, 5, 6, 7, 16, 17, 18, 19}, 0, "mean axis 1");
  check_close(max(x, 1).value(), {8, 9, 10, 11, 20, 21, 22, 23}, 0, "max axis 1");
  check_close(sum(x, 2).value(), {6, 22, 38, 54, 70, 86}, 0, "sum axis 2");
  check_close(sum(x, 0).value(), {12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34}, 0, "sum axis 0");
}

BOOST_AUTO_TEST_CASE(gradients_by_hand) {
  Variable x = parameter(Tensor::from({2, 3}, {1, 5, 3, 4, 2, 6}, DType::float64));
  sum(x).backward();
  check_close(x.grad(), {1, 1, 1, 1, 1, 1}, 0, "sum");
  x.zero_grad();
  mean(x).backward();
  check_close(x.grad(), std::vector<double>(6, 1.0 / 6), 1e-16, "mean");
  x.zero_grad();
  mean(x, 0).backward(Tensor::from({3}, {1, 2, 3}, DType::float64));
  check_close(x.grad(), {0.5, 1, 1.5, 0.5, 1, 1.5}, 0, "mean axis 0 with seed");
  x.zero_grad();
  sum(x, 1, true).backward(Tensor::from({2, 1}, {2, -1}, DType::float64));
  check_close(x.grad(), {2, 2, 2, -1, -1, -1}, 0, "sum axis 1 keepdims");
  x.zero_grad();
  max(x, 1).backward(Tensor::from({2}, {1, 10}, DType::float64));
  check_close(x.grad(), {0, 1, 0, 0, 0, 10}, 0, "max axis 1");
  // ties: the first maximal element gets the gradient
  Variable t = parameter(Tensor::from({3}, {3, 7, 7}, DType::float64));
  max(t).backward();
  check_close(t.grad(), {0, 1, 0}, 0, "max tie");
}

BOOST_AUTO_TEST_CASE(float32_sums_accumulate_in_double) {
  // a float accumulator would drift to ~100958 here; double gives 100000.0015 -> 100000 in float
  const Variable x = constant(Tensor::full({1000000}, 0.1));
  BOOST_TEST(std::fabs(sum(x).item() - 100000.0) < 0.01, sum(x).item());
  BOOST_TEST(std::fabs(mean(x).item() - 0.1) < 1e-7);
  const Variable r = constant(Tensor::full({2, 500000}, 0.1));
  check_close(sum(r, 1).value(), {50000, 50000}, 0.01, "row sums");
}

BOOST_AUTO_TEST_SUITE_END()
