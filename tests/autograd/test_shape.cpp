// Shape ops: transpose, reshape, slice, concat, broadcast_to — forward values and gradients by hand.
// Gradient checks live in test_registry.cpp; error messages in test_errors.cpp.
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;

namespace {
const std::vector<double> kX = {1, 2, 3, 4, 5, 6};  // [[1,2,3],[4,5,6]]
Tensor f64(const Shape& s, const std::vector<double>& v) {
  return Tensor::from(s, v, DType::float64);
}
std::vector<double> iota(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
  return v;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(shape_ops)

BOOST_AUTO_TEST_CASE(transpose_values_and_gradient) {
  Variable x = parameter(f64({2, 3}, kX));
  Variable y = transpose(x);
  BOOST_TEST(shape_string(y.shape()) == "[3,2]");
  check_close(y.value(), {1, 4, 2, 5, 3, 6}, 0, "transpose");
  y.backward(f64({3, 2}, {1, 2, 3, 4, 5, 6}));
  check_close(x.grad(), {1, 3, 5, 2, 4, 6}, 0, "gradient is the transposed seed");
  // larger than one 32x32 tile and not a multiple of it, float32
  const std::size_t m = 70, n = 45;
  const Tensor big = Tensor::from({m, n}, iota(m * n));
  const Tensor t = transpose(constant(big)).value();
  BOOST_TEST(shape_string(t.shape()) == "[45,70]");
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) BOOST_TEST_REQUIRE(t.at(j * m + i) == static_cast<double>(i * n + j));
}

BOOST_AUTO_TEST_CASE(reshape_values_and_gradient) {
  Variable x = parameter(f64({2, 3}, kX));
  Variable y = reshape(x, {3, 2});
  BOOST_TEST(shape_string(y.shape()) == "[3,2]");
  check_close(y.value(), kX, 0, "row-major order kept");
  BOOST_TEST(shape_string(reshape(x, {6}).shape()) == "[6]");
  BOOST_TEST(shape_string(reshape(x, {1, 6, 1}).shape()) == "[1,6,1]");
  y.backward(f64({3, 2}, {6, 5, 4, 3, 2, 1}));
  BOOST_TEST(shape_string(x.grad().shape()) == "[2,3]");
  check_close(x.grad(), {6, 5, 4, 3, 2, 1}, 0, "gradient reshaped back");
  BOOST_TEST(reshape(constant(Tensor::scalar(3.0)), {1, 1}).item() == 3.0);
}

BOOST_AUTO_TEST_CASE(flatten_joins_the_trailing_axes) {
  Variable x = parameter(Tensor::zeros({2, 3, 4, 5}, DType::float64));
  BOOST_TEST(shape_string(flatten(x).shape()) == "[2,60]");
  BOOST_TEST(shape_string(flatten(x, 2).shape()) == "[2,3,20]");
  BOOST_TEST(shape_string(flatten(x, -1).shape()) == "[2,3,4,5]");
  BOOST_TEST(shape_string(flatten(x, 0).shape()) == "[120]");
  BOOST_TEST(std::string(flatten(x).op_name()) == "reshape");
  sum(flatten(x)).backward();
  BOOST_TEST(shape_string(x.grad().shape()) == "[2,3,4,5]");
  xgrad::test::check_throws_with<InvalidArgument>([&] { flatten(x, 4); }, {"flatten"});
}

BOOST_AUTO_TEST_CASE(slice_values_and_gradient) {
  Variable x = parameter(f64({2, 3}, kX));
  check_close(slice(x, 1, 1, 3).value(), {2, 3, 5, 6}, 0, "axis 1 [1,3)");
  check_close(slice(x, 0, 1, 2).value(), {4, 5, 6}, 0, "axis 0 [1,2)");
  check_close(slice(x, -1, 0, 1).value(), {1, 4}, 0, "axis -1 [0,1)");
  BOOST_TEST(shape_string(slice(x, 1, 1, 1).shape()) == "[2,0]");
  BOOST_TEST(shape_string(slice(x, 0, 0, 2).shape()) == "[2,3]");
  slice(x, 1, 1, 3).backward(f64({2, 2}, {1, 2, 3, 4}));
  check_close(x.grad(), {0, 1, 2, 0, 3, 4}, 0, "gradient scattered into zeros");
  // 3-D, middle axis: x[i,j,k] = 12i + 4j + k, keep j in [1,3)
  const Variable z = constant(Tensor::from({2, 3, 4}, iota(24)));
  check_close(slice(z, 1, 1, 3).value(), {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23}, 0, "3-D");
}

BOOST_AUTO_TEST_CASE(concat_values_and_gradient) {
  Variable a = parameter(f64({2, 3}, kX));
  Variable b = parameter(f64({1, 3}, {7, 8, 9}));
  Variable c = parameter(f64({2, 1}, {10, 20}));
  Variable rows = concat({a, b}, 0);
  BOOST_TEST(shape_string(rows.shape()) == "[3,3]");
  check_close(rows.value(), {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, "axis 0");
  check_close(concat({b}, 0).value(), {7, 8, 9}, 0, "one input");
  rows.backward(Tensor::from({3, 3}, iota(9), DType::float64));
  check_close(a.grad(), {0, 1, 2, 3, 4, 5}, 0, "a's rows");
  check_close(b.grad(), {6, 7, 8}, 0, "b's row");
  a.zero_grad();
  Variable cols = concat({a, c, a}, -1);
  BOOST_TEST(shape_string(cols.shape()) == "[2,7]");
  check_close(cols.value(), {1, 2, 3, 10, 1, 2, 3, 4, 5, 6, 20, 4, 5, 6}, 0, "axis 1, three inputs");
  cols.backward(Tensor::from({2, 7}, iota(14), DType::float64));
  check_close(a.grad(), {0 + 4, 1 + 5, 2 + 6, 7 + 11, 8 + 12, 9 + 13}, 0, "a used twice: both parts");
  check_close(c.grad(), {3, 10}, 0, "c's column");
  // a constant input gets no gradient but the others do
  Variable p = parameter(f64({1, 2}, {1, 2}));
  sum(concat({constant(f64({1, 2}, {3, 4})), p}, 0)).backward();
  check_close(p.grad(), {1, 1}, 0, "mixed constant/parameter");
}

BOOST_AUTO_TEST_CASE(broadcast_to_values_and_gradient) {
  Variable r = parameter(f64({3}, {1, 2, 3}));
  Variable y = broadcast_to(r, {2, 3});
  check_close(y.value(), {1, 2, 3, 1, 2, 3}, 0, "[3] -> [2,3]");
  sum(y).backward();
  check_close(r.grad(), {2, 2, 2}, 0, "summed back");
  Variable c = parameter(f64({2, 1}, {5, 6}));
  Variable yc = broadcast_to(c, {2, 3});
  check_close(yc.value(), {5, 5, 5, 6, 6, 6}, 0, "[2,1] -> [2,3]");
  yc.backward(f64({2, 3}, {1, 2, 3, 4, 5, 6}));
  check_close(c.grad(), {6, 15}, 0, "row sums of the seed");
  check_close(broadcast_to(constant(Tensor::scalar(4.0, DType::float64)), {2, 2}).value(), {4, 4, 4, 4}, 0, "scalar");
  check_close(broadcast_to(constant(f64({1, 2}, {1, 2})), {2, 2, 2}).value(), {1, 2, 1, 2, 1, 2, 1, 2}, 0,
              "[1,2] -> [2,2,2]");
  check_close(broadcast_to(constant(f64({2, 1, 2}, {1, 2, 3, 4})), {2, 2, 2}).value(), {1, 2, 1, 2, 3, 4, 3, 4}, 0,
              "middle axis");
  check_close(broadcast_to(constant(f64({2}, {1, 2})), {2}).value(), {1, 2}, 0, "same shape");
}

BOOST_AUTO_TEST_SUITE_END()
