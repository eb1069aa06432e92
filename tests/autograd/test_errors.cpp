// Error paths: each bad input raises its exception family before xtensor is called, with a message
// that names the op and the shapes, axis, bounds or dtypes involved.
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;

namespace {
Variable ones(const Shape& s, DType dt = DType::float32) {
  return parameter(Tensor::full(s, 1.0, dt));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(matmul_inner_dimension_message_is_exact) {
  try {
    (void)matmul(ones({2, 3}), ones({4, 5}));
    BOOST_ERROR("no exception");
  } catch (const ShapeError& e) {
    BOOST_TEST(std::string(e.what()) == "matmul: [2,3] x [4,5]: inner 3 != 4");
  }
}

BOOST_AUTO_TEST_CASE(matmul_and_dense_shapes) {
  check_throws_with<ShapeError>(
      [] {
        (void)matmul(ones({2, 3}), ones({2, 3}), false, false);
      },
      {"matmul: [2,3] x [2,3]: inner 3 != 2"});
  check_throws_with<ShapeError>(
      [] {
        (void)matmul(ones({3, 2}), ones({3, 2}), true, true);
      },
      {"matmul: [3,2]^T x [3,2]^T: inner 3 != 2"});
  check_throws_with<ShapeError>([] { (void)matmul(ones({2, 3, 1}), ones({3, 2})); }, {"matmul", "[2,3,1]", "2-D"});
  check_throws_with<ShapeError>(
      [] {
        (void)dense(ones({2, 3}), ones({4, 2}), ones({2}));
      },
      {"dense: [2,3] x [4,2]: inner 3 != 4"});
  check_throws_with<ShapeError>(
      [] {
        (void)dense(ones({2, 3}), ones({3, 2}), ones({3}));
      },
      {"dense", "bias [3]", "width 2"});
}

BOOST_AUTO_TEST_CASE(broadcast_mismatch_names_both_shapes) {
  check_throws_with<ShapeError>([] { (void)add(ones({2, 3}), ones({4})); }, {"add", "[2,3]", "[4]", "broadcast"});
  check_throws_with<ShapeError>([] { (void)mul(ones({2, 3}), ones({3, 2})); }, {"mul", "[2,3]", "[3,2]"});
  check_throws_with<ShapeError>([] { (void)maximum(ones({5}), ones({2, 4})); }, {"maximum", "[5]", "[2,4]"});
  check_throws_with<ShapeError>(
      [] {
        (void)broadcast_to(ones({2, 3}), {3});
      },
      {"broadcast_to", "cannot broadcast [2,3] to [3]"});
  check_throws_with<ShapeError>([] { (void)broadcast_to(ones({2, 3}), {4, 3}); }, {"broadcast_to", "[2,3]", "[4,3]"});
}

BOOST_AUTO_TEST_CASE(axis_out_of_range) {
  check_throws_with<InvalidArgument>([] { (void)sum(ones({2, 3}), 2); }, {"sum: axis 2 out of range for rank 2"});
  check_throws_with<InvalidArgument>([] { (void)mean(ones({2, 3}), -3); }, {"mean: axis -3 out of range for rank 2"});
  check_throws_with<InvalidArgument>([] { (void)max(ones({2, 3}), 5); }, {"max: axis 5 out of range"});
  check_throws_with<InvalidArgument>([] { (void)softmax(ones({2, 3}), 2); }, {"softmax: axis 2 out of range"});
  check_throws_with<InvalidArgument>([] { (void)log_softmax(ones({4}), -2); }, {"log_softmax: axis -2 out of range"});
  check_throws_with<InvalidArgument>([] { (void)logsumexp(ones({2, 3}), 3); }, {"logsumexp: axis 3 out of range"});
  check_throws_with<InvalidArgument>([] { (void)slice(ones({2, 3}), 2, 0, 1); }, {"slice: axis 2 out of range"});
  check_throws_with<InvalidArgument>([] { (void)concat({ones({2, 3})}, -3); }, {"concat: axis -3 out of range"});
  check_throws_with<InvalidArgument>([] { (void)softmax(constant(Tensor::scalar(1.0))); },
                                     {"softmax: axis -1 out of range for rank 0"});
}

BOOST_AUTO_TEST_CASE(slice_bounds) {
  check_throws_with<InvalidArgument>(
      [] {
        (void)slice(ones({2, 3}), 1, -1, 2);
      },
      {"slice: negative bound (begin -1, end 2)", "[2,3]"});
  check_throws_with<InvalidArgument>([] { (void)slice(ones({2, 3}), 1, 0, -1); }, {"slice: negative bound"});
  check_throws_with<InvalidArgument>(
      [] {
        (void)slice(ones({2, 3}), 1, 1, 4);
      },
      {"slice: bounds [1, 4) out of range for axis 1 of [2,3]", "<= 3"});
  check_throws_with<InvalidArgument>([] { (void)slice(ones({2, 3}), 0, 2, 1); }, {"slice: bounds [2, 1)"});
}

BOOST_AUTO_TEST_CASE(shape_op_mismatches) {
  check_throws_with<ShapeError>(
      [] {
        (void)reshape(ones({2, 3}), {4, 2});
      },
      {"reshape: cannot reshape [2,3] (6 elements) to [4,2] (8 elements)"});
  check_throws_with<ShapeError>([] { (void)transpose(ones({2, 3, 4})); }, {"transpose", "2-D", "[2,3,4]"});
  check_throws_with<ShapeError>(
      [] {
        (void)concat({ones({2, 3}), ones({2, 4})}, 0);
      },
      {"concat: input 1 has shape [2,4]", "input 0 [2,3]", "axis 0"});
  check_throws_with<ShapeError>([] { (void)concat({ones({2, 3}), ones({6})}, 0); }, {"concat", "[6]"});
  check_throws_with<InvalidArgument>([] { (void)concat({}, 0); }, {"concat: no inputs"});
}

BOOST_AUTO_TEST_CASE(backward_on_non_scalar_needs_a_seed) {
  Variable y = tanh(ones({2, 3}));
  check_throws_with<GraphError>([&] { y.backward(); }, {"backward", "[2,3]", "seed"});
  check_throws_with<ShapeError>([&] { y.backward(Tensor::full({3}, 1.0)); }, {"backward", "seed [3]", "[2,3]"});
  y.backward(Tensor::full({2, 3}, 1.0));  // with a seed it works
}

BOOST_AUTO_TEST_CASE(dtype_mix) {
  const Variable a = ones({2}, DType::float32), b = ones({2}, DType::float64);
  check_throws_with<InvalidArgument>([&] { (void)add(a, b); },
                                     {"add: operands have different dtypes (float32 vs float64)"});
  check_throws_with<InvalidArgument>(
      [&] {
        (void)matmul(ones({2, 2}), ones({2, 2}, DType::float64));
      },
      {"matmul", "float32", "float64"});
  check_throws_with<InvalidArgument>([&] { (void)concat({a, b}, 0); }, {"concat", "float32 vs float64"});
  check_throws_with<InvalidArgument>([&] { (void)where(Tensor::full({2}, 1.0, DType::float64), a, a); },
                                     {"where", "dtypes"});
}

BOOST_AUTO_TEST_CASE(invalid_arguments) {
  check_throws_with<InvalidArgument>([] { (void)clamp(ones({2}), 1.0, -1.0); }, {"clamp", "lo=1", "hi=-1"});
  Generator gen(1);
  check_throws_with<InvalidArgument>([&] { (void)rrelu(ones({2}), true, gen, -0.1, 0.3); }, {"rrelu", "lower"});
  check_throws_with<InvalidArgument>([] { (void)Activation::from_name("tanhh"); },
                                     {"Activation::from_name", "'tanhh'", "known", "rationaltanh"});
}

BOOST_AUTO_TEST_SUITE_END()
