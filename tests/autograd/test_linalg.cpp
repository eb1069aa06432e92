// matmul with all four transpose combinations and the fused dense op: forward values and gradients
// by hand, float32 and float64. Gradient checks live in test_registry.cpp.
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;

namespace {
const std::vector<double> kA = {1, 2, 3, 4, 5, 6};      // A  [2,3]
const std::vector<double> kAt = {1, 4, 2, 5, 3, 6};     // A^T stored [3,2]
const std::vector<double> kB = {7, 8, 9, 10, 11, 12};   // B  [3,2]
const std::vector<double> kBt = {7, 9, 11, 8, 10, 12};  // B^T stored [2,3]
const std::vector<double> kAB = {58, 64, 139, 154};     // A·B
}  // namespace

BOOST_AUTO_TEST_SUITE(linalg)

BOOST_AUTO_TEST_CASE(matmul_all_transpose_combinations) {
  for (DType dt : {DType::float64, DType::float32}) {
    struct Combo {
      bool ta, tb;
      Shape sa, sb;
      std::vector<double> a, b;
      std::vector<double> da, db;  // gradients of sum(op(a)·op(b)) in a's and b's stored layout
    };
    // d/dA sum(A·B) = 1·B^T (rows [15,19,23]); d/dB = A^T·1 (rows [5,5],[7,7],[9,9])
    const std::vector<Combo> combos = {
        {false, false, {2, 3}, {3, 2}, kA, kB, {15, 19, 23, 15, 19, 23}, {5, 5, 7, 7, 9, 9}},
        {true, false, {3, 2}, {3, 2}, kAt, kB, {15, 15, 19, 19, 23, 23}, {5, 5, 7, 7, 9, 9}},
        {false, true, {2, 3}, {2, 3}, kA, kBt, {15, 19, 23, 15, 19, 23}, {5, 7, 9, 5, 7, 9}},
        {true, true, {3, 2}, {2, 3}, kAt, kBt, {15, 15, 19, 19, 23, 23}, {5, 7, 9, 5, 7, 9}},
    };
    for (const Combo& c : combos) {
      Variable a = parameter(Tensor::from(c.sa, c.a, dt));
      Variable b = parameter(Tensor::from(c.sb, c.b, dt));
      Variable y = matmul(a, b, c.ta, c.tb);
      const std::string what = std::string("ta=") + (c.ta ? "1" : "0") + " tb=" + (c.tb ? "1" : "0");
      BOOST_TEST(shape_string(y.shape()) == "[2,2]", what);
      BOOST_TEST((y.dtype() == dt));
      check_close(y.value(), kAB, 0, what);
      sum(y).backward();
      check_close(a.grad(), c.da, 0, what + " dA");
      check_close(b.grad(), c.db, 0, what + " dB");
    }
  }
}

BOOST_AUTO_TEST_CASE(matmul_rectangular_and_vector_shapes) {
  // [1,3]·[3,1] = 1*4 + 2*5 + 3*6 = 32 ; [3,1]·[1,2] outer product
  const Variable r = constant(Tensor::from({1, 3}, {1, 2, 3}, DType::float64));
  const Variable c = constant(Tensor::from({3, 1}, {4, 5, 6}, DType::float64));
  check_close(matmul(r, c).value(), {32}, 0, "inner");
  check_close(matmul(c, constant(Tensor::from({1, 2}, {1, -1}, DType::float64))).value(), {4, -4, 5, -5, 6, -6}, 0,
              "outer");
  check_close(matmul(r, r, false, true).value(), {14}, 0, "r·r^T");
  check_close(matmul(r, r, true, false).value(), {1, 2, 3, 2, 4, 6, 3, 6, 9}, 0, "r^T·r");
}

BOOST_AUTO_TEST_CASE(dense_is_x_w_plus_b) {
  for (DType dt : {DType::float64, DType::float32}) {
    for (const Shape& bs : {Shape{2}, Shape{1, 2}}) {
      Variable x = parameter(Tensor::from({2, 3}, kA, dt));
      Variable w = parameter(Tensor::from({3, 2}, kB, dt));
      Variable b = parameter(Tensor::from(bs, {0.5, -1}, dt));
      Variable y = dense(x, w, b);
      check_close(y.value(), {58.5, 63, 139.5, 153}, 0, "dense " + shape_string(bs));
      y.backward(Tensor::from({2, 2}, {1, 2, 3, 4}, dt));
      // dx = g·W^T, dW = x^T·g, db = column sums of g
      check_close(x.grad(), {23, 29, 35, 53, 67, 81}, 0, "dx");
      check_close(w.grad(), {13, 18, 17, 24, 21, 30}, 0, "dW");
      BOOST_TEST(shape_string(b.grad().shape()) == shape_string(bs));
      check_close(b.grad(), {4, 6}, 0, "db");
    }
  }
}

// The fused dense_activation against activation(dense(...)) as two ops, on shapes whose bias gradient runs
// in several column blocks (the last one partial): values and all three gradients, float64 and float32; and
// activations it does not fuse fall back to the two ops.
BOOST_AUTO_TEST_CASE(dense_with_activation_matches_the_two_ops) {
  std::vector<Activation> fused;
  for (const char* name : {"sigmoid", "tanh", "relu", "leakyrelu"}) fused.push_back(Activation::from_name(name));
  for (const Activation& a : fused)
    for (DType dt : {DType::float64, DType::float32}) {
      std::vector<Tensor> values, grads;
      for (int pass = 0; pass < 2; ++pass) {
        TapeScope scope;
        Variable x = parameter(xgrad::test::random_tensor({300, 70}, 1).to(dt));
        Variable w = parameter(xgrad::test::random_tensor({70, 200}, 2).to(dt));
        Variable b = parameter(xgrad::test::random_tensor({200}, 3).to(dt));
        const Variable y = pass == 0 ? dense(x, w, b, a) : a.apply(dense(x, w, b));
        BOOST_TEST(y.op_name() == std::string(pass == 0 ? "dense_activation" : a.name().c_str()));
        y.backward(xgrad::test::random_tensor(y.shape(), 4).to(dt));
        values.push_back(y.value());
        for (const Variable& v : {x, w, b}) grads.push_back(v.grad());
      }
      const double tol = dt == DType::float64 ? 1e-12 : 1e-4;
      BOOST_TEST_CONTEXT(a.name() << " " << dtype_name(dt)) {
        check_close(values[0], values[1].to_vector(), tol, "value");
        for (std::size_t i = 0; i < 3; ++i) check_close(grads[i], grads[3 + i].to_vector(), tol, "gradient");
      }
    }
  Activation negative = Activation::from_name("leakyrelu");
  negative.alpha = -0.5;  // y > 0 no longer tells the side of the kink
  for (const Activation& a : {negative, Activation::from_name("elu"), Activation::from_name("identity")}) {
    const Variable x = parameter(xgrad::test::random_tensor({3, 4}, 1));
    const Variable y =
        dense(x, constant(xgrad::test::random_tensor({4, 2}, 2)), constant(Tensor::zeros({2}, DType::float64)), a);
    BOOST_TEST(y.op_name() == std::string(a.name().c_str()), a.name() << " is not fused");
  }
}

BOOST_AUTO_TEST_SUITE_END()
