// Arithmetic ops: forward values against hand-computed numbers (with NumPy broadcasting and scalar
// operands on either side), and gradients reduced back to each input's shape, by value.
// Gradient checks live in test_registry.cpp.
#include <cmath>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;

namespace {
Tensor f64(const Shape& s, const std::vector<double>& v) {
  return Tensor::from(s, v, DType::float64);
}
Variable c64(const Shape& s, const std::vector<double>& v) {
  return constant(f64(s, v));
}
const std::vector<double> kA = {1, 2, 3, 4, 5, 6};  // a = [[1,2,3],[4,5,6]]
}  // namespace

BOOST_AUTO_TEST_SUITE(arithmetic)

BOOST_AUTO_TEST_CASE(binary_ops_with_broadcasting) {
  const Variable a = c64({2, 3}, kA);
  const Variable row = c64({3}, {10, 20, 30});
  const Variable col = c64({2, 1}, {2, 4});
  const Variable s = c64({}, {2});
  check_close(add(a, row).value(), {11, 22, 33, 14, 25, 36}, 0, "a + [3]");
  check_close(add(row, a).value(), {11, 22, 33, 14, 25, 36}, 0, "[3] + a");
  check_close(sub(a, row).value(), {-9, -18, -27, -6, -15, -24}, 0, "a - [3]");
  check_close(sub(row, a).value(), {9, 18, 27, 6, 15, 24}, 0, "[3] - a");
  check_close(mul(a, col).value(), {2, 4, 6, 16, 20, 24}, 0, "a * [2,1]");
  check_close(mul(col, a).value(), {2, 4, 6, 16, 20, 24}, 0, "[2,1] * a");
  check_close(div(a, row).value(), {0.1, 0.1, 0.1, 0.4, 0.25, 0.2}, 1e-16, "a / [3]");
  check_close(div(s, a).value(), {2, 1, 2.0 / 3, 0.5, 0.4, 1.0 / 3}, 1e-16, "scalar / a");
  check_close(div(a, s).value(), {0.5, 1, 1.5, 2, 2.5, 3}, 0, "a / scalar");
  const Variable r13 = c64({1, 3}, {1, 0, -1});
  check_close(add(col, r13).value(), {3, 2, 1, 5, 4, 3}, 0, "[2,1] + [1,3] -> [2,3]");
  BOOST_TEST(shape_string(add(col, r13).shape()) == "[2,3]");
  BOOST_TEST(shape_string(add(c64({2, 1, 3}, kA), c64({4, 1}, {0, 0, 0, 0})).shape()) == "[2,4,3]");
}

BOOST_AUTO_TEST_CASE(unary_ops) {
  check_close(neg(c64({3}, {1, -2, 0})).value(), {-1, 2, 0}, 0, "neg");
  check_close(pow(c64({2}, {-2, 4}), 3).value(), {-8, 64}, 0, "pow 3");
  check_close(pow(c64({2}, {4, 9}), 0.5).value(), {2, 3}, 1e-15, "pow 0.5");
  check_close(pow(c64({2}, {2, 4}), -1).value(), {0.5, 0.25}, 0, "pow -1");
  check_close(square(c64({3}, {-3, 0.5, 2})).value(), {9, 0.25, 4}, 0, "square");
  check_close(sqrt(c64({3}, {4, 9, 2})).value(), {2, 3, 1.4142135623730951}, 1e-15, "sqrt");
  check_close(exp(c64({3}, {0, 1, -1})).value(), {1, 2.718281828459045, 0.36787944117144233}, 1e-15, "exp");
  check_close(log(c64({3}, {1, 2.718281828459045, 0.5})).value(), {0, 1, -0.6931471805599453}, 1e-15, "log");
  check_close(log1p(c64({3}, {0, 1e-12, 1})).value(), {0, 1e-12, 0.6931471805599453}, 1e-24, "log1p");
  check_close(expm1(c64({3}, {0, 1e-12, 1})).value(), {0, 1e-12, 1.718281828459045}, 1e-15, "expm1");
  check_close(abs(c64({3}, {-2, 0, 3})).value(), {2, 0, 3}, 0, "abs");
  check_close(clamp(c64({4}, {-2, 0.5, 3, -1}), -1, 1).value(), {-1, 0.5, 1, -1}, 0, "clamp");
}

BOOST_AUTO_TEST_CASE(scalar_operand_ops_and_operators) {
  const Variable a = c64({2, 3}, kA);
  check_close(add_scalar(a, 0.5).value(), {1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, 0, "add_scalar");
  check_close(mul_scalar(a, -2).value(), {-2, -4, -6, -8, -10, -12}, 0, "mul_scalar");
  check_close(rsub_scalar(10, a).value(), {9, 8, 7, 6, 5, 4}, 0, "rsub_scalar");
  check_close(rdiv_scalar(6, a).value(), {6, 3, 2, 1.5, 1.2, 1}, 1e-15, "rdiv_scalar");
  check_close((a + 1.0).value(), {2, 3, 4, 5, 6, 7}, 0, "a + 1");
  check_close((1.0 + a).value(), {2, 3, 4, 5, 6, 7}, 0, "1 + a");
  check_close((a - 1.0).value(), {0, 1, 2, 3, 4, 5}, 0, "a - 1");
  check_close((1.0 - a).value(), {0, -1, -2, -3, -4, -5}, 0, "1 - a");
  check_close((a * 2.0).value(), {2, 4, 6, 8, 10, 12}, 0, "a * 2");
  check_close((2.0 * a).value(), {2, 4, 6, 8, 10, 12}, 0, "2 * a");
  check_close((a / 2.0).value(), {0.5, 1, 1.5, 2, 2.5, 3}, 0, "a / 2");
  check_close((3.0 / a).value(), {3, 1.5, 1, 0.75, 0.6, 0.5}, 1e-15, "3 / a");
  check_close((-a).value(), {-1, -2, -3, -4, -5, -6}, 0, "-a");
  BOOST_TEST((add_scalar(constant(Tensor::scalar(1.0)), 2).dtype() == DType::float32));
}

BOOST_AUTO_TEST_CASE(maximum_minimum_where) {
  const Variable p = c64({3}, {1, 5, 2}), q = c64({3}, {3, 2, 2});
  check_close(maximum(p, q).value(), {3, 5, 2}, 0, "maximum");
  check_close(minimum(p, q).value(), {1, 2, 2}, 0, "minimum");
  check_close(maximum(c64({2, 3}, kA), c64({}, {3.5})).value(), {3.5, 3.5, 3.5, 4, 5, 6}, 0, "maximum broadcast");
  check_close(minimum(c64({2, 1}, {0, 9}), c64({3}, {1, 2, 3})).value(), {0, 0, 0, 1, 2, 3}, 0, "minimum broadcast");
  const Tensor mask = f64({3}, {1, 0, 1});
  check_close(where(mask, c64({2, 3}, kA), c64({}, {0})).value(), {1, 0, 3, 4, 0, 6}, 0, "where");
  check_close(where(f64({2, 1}, {0, 1}), c64({3}, {7, 8, 9}), c64({2, 3}, kA)).value(), {1, 2, 3, 7, 8, 9}, 0,
              "where column mask");
  // ties send the gradient to a
  Variable a = parameter(f64({2}, {2, 1})), b = parameter(f64({2}, {2, 3}));
  sum(maximum(a, b)).backward();
  check_close(a.grad(), {1, 0}, 0, "maximum grad a");
  check_close(b.grad(), {0, 1}, 0, "maximum grad b");
  Variable m = parameter(f64({3}, {1, 2, 3})), n = parameter(f64({3}, {4, 5, 6}));
  sum(where(mask, m, n)).backward();
  check_close(m.grad(), {1, 0, 1}, 0, "where grad a");
  check_close(n.grad(), {0, 1, 0}, 0, "where grad b");
}

BOOST_AUTO_TEST_CASE(gradients_are_reduced_to_each_input_shape) {
  Variable a = parameter(f64({2, 3}, kA));
  Variable row = parameter(f64({3}, {10, 20, 30}));
  Variable col = parameter(f64({2, 1}, {2, 4}));
  Variable s = parameter(f64({}, {3}));
  sum(a * row + col * s).backward();
  check_close(a.grad(), {10, 20, 30, 10, 20, 30}, 0, "d/da");
  check_close(row.grad(), {5, 7, 9}, 0, "d/drow = column sums of a");
  BOOST_TEST(shape_string(col.grad().shape()) == "[2,1]");
  check_close(col.grad(), {9, 9}, 0, "d/dcol = 3 * s");
  BOOST_TEST(shape_string(s.grad().shape()) == "[]");
  check_close(s.grad(), {18}, 0, "d/ds = sum of broadcast col");
  // div: d(a/b)/db = -a/b^2
  Variable x = parameter(f64({2}, {3, 4})), y = parameter(f64({2}, {2, 8}));
  sum(x / y).backward();
  check_close(x.grad(), {0.5, 0.125}, 0, "d(x/y)/dx");
  check_close(y.grad(), {-0.75, -0.0625}, 0, "d(x/y)/dy");
}

BOOST_AUTO_TEST_CASE(float32_forward_and_backward) {
  Variable x = parameter(Tensor::from({3}, {0.5, 1.0, 2.0}));
  Variable y = sum(exp(x) * 2.0 + sqrt(x));
  BOOST_TEST((y.dtype() == DType::float32));
  const double expect = 2 * (std::exp(0.5) + std::exp(1.0) + std::exp(2.0)) + std::sqrt(0.5) + 1 + std::sqrt(2.0);
  BOOST_TEST(std::fabs(y.item() - expect) < 1e-4);
  y.backward();
  BOOST_TEST((x.grad().dtype() == DType::float32));
  check_close(
      x.grad(),
      {2 * std::exp(0.5) + 0.5 / std::sqrt(0.5), 2 * std::exp(1.0) + 0.5, 2 * std::exp(2.0) + 0.5 / std::sqrt(2.0)},
      1e-5, "float32 gradient");
}

BOOST_AUTO_TEST_SUITE_END()
