// Activations: forward values against hand-computed numbers (float64 and float32), numerical
// stability at +-1000, axis-wise softmax family, rrelu's training/inference slopes, one tape node per
// activation, and Activation by DL4J name. Gradient checks live in test_registry.cpp.
#include <cmath>
#include <functional>
#include <map>

#include "autograd/kernels.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;

namespace {
// f(x) at x = -2, -0.5, 0, 0.5, 2, computed independently (Python's math module, DL4J's formulas).
const std::map<std::string, std::vector<double>>& expected_values() {
  static const std::map<std::string, std::vector<double>> v = {
      {"identity", {-2, -0.5, 0, 0.5, 2}},
      {"sigmoid", {0.119202922022, 0.377540668798, 0.5, 0.622459331202, 0.880797077978}},
      {"tanh", {-0.964027580076, -0.46211715726, 0, 0.46211715726, 0.964027580076}},
      {"relu", {0, 0, 0, 0.5, 2}},
      {"relu6", {0, 0, 0, 0.5, 2}},
      {"leakyrelu", {-0.02, -0.005, 0, 0.5, 2}},
      {"elu", {-0.864664716763, -0.393469340287, 0, 0.5, 2}},
      {"selu", {-1.5201664686, -0.691758187803, 0, 0.525350493678, 2.10140197471}},
      {"gelu", {-0.0454023059122, -0.154285990175, 0, 0.345714009825, 1.95459769409}},
      {"swish", {-0.238405844044, -0.188770334399, 0, 0.311229665601, 1.76159415596}},
      {"mish", {-0.252501482696, -0.220743774652, 0, 0.375245211305, 1.94395895953}},
      {"softplus", {0.126928011043, 0.47407698418, 0.69314718056, 0.97407698418, 2.12692801104}},
      {"softsign", {-0.666666666667, -0.333333333333, 0, 0.333333333333, 0.666666666667}},
      {"hardsigmoid", {0.1, 0.4, 0.5, 0.6, 0.9}},
      {"hardtanh", {-1, -0.5, 0, 0.5, 1}},
      {"cube", {-8, -0.125, 0, 0.125, 8}},
      {"rationaltanh", {-1.51609312513, -0.542178781369, 0, 0.542178781369, 1.51609312513}},
      {"rectifiedtanh", {0, 0, 0, 0.46211715726, 0.964027580076}},
      {"thresholdedrelu", {0, 0, 0, 0, 2}},
      {"log_sigmoid", {-2.12692801104, -0.97407698418, -0.69314718056, -0.47407698418, -0.126928011043}},
  };
  return v;
}

using Unary = std::function<Variable(const Variable&)>;
// Every elementwise activation by its op name (rrelu in inference mode).
const std::map<std::string, Unary>& elementwise() {
  static Generator gen(1);
  static const std::map<std::string, Unary> f = {
      {"identity", [](const Variable& x) { return identity(x); }},
      {"sigmoid", [](const Variable& x) { return sigmoid(x); }},
      {"tanh", [](const Variable& x) { return xgrad::tanh(x); }},
      {"relu", [](const Variable& x) { return relu(x); }},
      {"relu6", [](const Variable& x) { return relu6(x); }},
      {"leakyrelu", [](const Variable& x) { return leaky_relu(x); }},
      {"rrelu", [](const Variable& x) { return rrelu(x, false, gen); }},
      {"elu", [](const Variable& x) { return elu(x); }},
      {"selu", [](const Variable& x) { return selu(x); }},
      {"gelu", [](const Variable& x) { return gelu(x); }},
      {"swish", [](const Variable& x) { return swish(x); }},
      {"mish", [](const Variable& x) { return mish(x); }},
      {"softplus", [](const Variable& x) { return softplus(x); }},
      {"softsign", [](const Variable& x) { return softsign(x); }},
      {"hardsigmoid", [](const Variable& x) { return hard_sigmoid(x); }},
      {"hardtanh", [](const Variable& x) { return hard_tanh(x); }},
      {"cube", [](const Variable& x) { return cube(x); }},
      {"rationaltanh", [](const Variable& x) { return rational_tanh(x); }},
      {"rectifiedtanh", [](const Variable& x) { return rectified_tanh(x); }},
      {"thresholdedrelu", [](const Variable& x) { return thresholded_relu(x); }},
      {"log_sigmoid", [](const Variable& x) { return log_sigmoid(x); }},
  };
  return f;
}

const std::vector<double> kPoints = {-2, -0.5, 0, 0.5, 2};
}  // namespace

BOOST_AUTO_TEST_SUITE(activations)

BOOST_AUTO_TEST_CASE(forward_values_float64_and_float32) {
  for (const auto& [name, values] : expected_values()) {
    const Unary& f = elementwise().at(name);
    check_close(f(constant(Tensor::from({5}, kPoints, DType::float64))).value(), values, 1e-10, name + " float64");
    const Variable y32 = f(constant(Tensor::from({5}, kPoints, DType::float32)));
    BOOST_TEST((y32.dtype() == DType::float32), name);
    check_close(y32.value(), values, 2e-6, name + " float32");
  }
}

BOOST_AUTO_TEST_CASE(parameterised_activations) {
  const Tensor x = Tensor::from({4}, {-2, -0.5, 0.5, 2}, DType::float64);
  check_close(leaky_relu(constant(x), 0.2).value(), {-0.4, -0.1, 0.5, 2}, 1e-15, "leakyrelu 0.2");
  check_close(elu(constant(x), 0.5).value(), {0.5 * std::expm1(-2.0), 0.5 * std::expm1(-0.5), 0.5, 2}, 1e-15,
              "elu 0.5");
  check_close(thresholded_relu(constant(x), 0.25).value(), {0, 0, 0.5, 2}, 0, "thresholdedrelu 0.25");
  check_close(thresholded_relu(constant(x), -1.0).value(), {0, -0.5, 0.5, 2}, 0, "thresholdedrelu -1");
  check_close(relu6(constant(Tensor::from({3}, {5.5, 6, 7}, DType::float64))).value(), {5.5, 6, 6}, 0, "relu6");
}

BOOST_AUTO_TEST_CASE(hand_computed_derivatives) {
  // sigmoid' = s(1-s), tanh' = 1 - t^2, softplus' = sigmoid, log_sigmoid' = 1 - sigmoid at x = 0.5
  const double s = 1.0 / (1.0 + std::exp(-0.5)), t = std::tanh(0.5);
  const std::vector<std::pair<std::string, double>> d = {{"sigmoid", s * (1 - s)},
                                                         {"tanh", 1 - t * t},
                                                         {"softplus", s},
                                                         {"log_sigmoid", 1 - s},
                                                         {"relu", 1.0},
                                                         {"cube", 0.75},
                                                         {"hardsigmoid", 0.2},
                                                         {"swish", s + 0.5 * s * (1 - s)}};
  for (const auto& [name, expected] : d) {
    Variable x = parameter(Tensor::scalar(0.5, DType::float64));
    elementwise().at(name)(x).backward();
    BOOST_TEST(std::fabs(x.grad().item() - expected) < 1e-12, name << ": " << x.grad().item() << " vs " << expected);
  }
}

BOOST_AUTO_TEST_CASE(stable_at_plus_minus_1000_in_float32) {
  for (DType dt : {DType::float32, DType::float64}) {
    for (const auto& [name, f] : elementwise()) {
      Variable x = parameter(Tensor::from({4}, {-1000, -30, 30, 1000}, dt));
      Variable y = f(x);
      sum(y).backward();
      BOOST_TEST(kernels::first_non_finite(y.value()) == y.size(), name << " forward: " << y.value().str());
      BOOST_TEST(kernels::first_non_finite(x.grad()) == x.size(), name << " backward: " << x.grad().str());
    }
    const Tensor ext = Tensor::from({2}, {-1000, 1000}, dt);
    check_close(sigmoid(constant(ext)).value(), {0, 1}, 0, "sigmoid");
    check_close(softplus(constant(ext)).value(), {0, 1000}, 0, "softplus");
    check_close(log_sigmoid(constant(ext)).value(), {-1000, 0}, 0, "log_sigmoid");
    check_close(softmax(constant(ext)).value(), {0, 1}, 0, "softmax");
    check_close(log_softmax(constant(ext)).value(), {-2000, 0}, 0, "log_softmax");
    check_close(logsumexp(constant(Tensor::from({2}, {1000, 1000}, dt))).value(), {1000 + std::log(2.0)}, 1e-4,
                "logsumexp +1000");
    check_close(logsumexp(constant(Tensor::from({2}, {-1000, -1000}, dt))).value(), {-1000 + std::log(2.0)}, 1e-4,
                "logsumexp -1000");
    Variable x = parameter(ext);
    sum(log_sigmoid(x) + softplus(x) + sigmoid(x)).backward();
    // d/dx: log_sigmoid' = 1 - s, softplus' = s, sigmoid' = s (1 - s): 1 at both ends
    check_close(x.grad(), {1, 1}, 0, "gradients at +-1000");
  }
}

BOOST_AUTO_TEST_CASE(softmax_family_along_each_axis) {
  const Tensor x = Tensor::from({2, 3}, {1, 2, 3, -1, 0, 4}, DType::float64);
  check_close(softmax(constant(x), 1).value(),
              {0.0900305731704, 0.244728471055, 0.665240955775, 0.00657326318531, 0.0178679818703, 0.975558754944},
              1e-12, "softmax axis 1");
  check_close(softmax(constant(x)).value(), softmax(constant(x), 1).value().to_vector(), 0, "default axis is last");
  check_close(softmax(constant(x), 0).value(),
              {0.880797077978, 0.880797077978, 0.26894142137, 0.119202922022, 0.119202922022, 0.73105857863}, 1e-12,
              "softmax axis 0");
  check_close(log_softmax(constant(x), -1).value(),
              {-2.40760596444, -1.40760596444, -0.407605964444, -5.02474489014, -4.02474489014, -0.0247448901388},
              1e-11, "log_softmax axis 1");
  check_close(logsumexp(constant(x), 1).value(), {3.40760596444, 4.02474489014}, 1e-11, "logsumexp axis 1");
  check_close(logsumexp(constant(x), 0).value(), {1.12692801104, 2.12692801104, 4.31326168752}, 1e-11,
              "logsumexp axis 0");
  const Variable k = logsumexp(constant(x), 0, true);
  BOOST_TEST(shape_string(k.shape()) == "[1,3]");
  BOOST_TEST(shape_string(logsumexp(constant(x), 1, true).shape()) == "[2,1]");
  BOOST_TEST(shape_string(logsumexp(constant(x), 1).shape()) == "[2]");
}

BOOST_AUTO_TEST_CASE(softmax_on_a_middle_axis_and_large_rows) {
  // [2,3,2] along axis 1: strided lanes, against the formula element by element
  Tensor x = xgrad::test::random_tensor({2, 3, 2}, 5, -3, 3);
  const Tensor y = softmax(constant(x), 1).value();
  const Tensor l = log_softmax(constant(x), 1).value();
  const Tensor z = logsumexp(constant(x), 1).value();
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t k = 0; k < 2; ++k) {
      double s = 0;
      for (std::size_t j = 0; j < 3; ++j) s += std::exp(x.at(i * 6 + j * 2 + k));
      BOOST_TEST(std::fabs(z.at(i * 2 + k) - std::log(s)) < 1e-12);
      for (std::size_t j = 0; j < 3; ++j) {
        const std::size_t f = i * 6 + j * 2 + k;
        BOOST_TEST(std::fabs(y.at(f) - std::exp(x.at(f)) / s) < 1e-12);
        BOOST_TEST(std::fabs(l.at(f) - (x.at(f) - std::log(s))) < 1e-12);
      }
    }
  // [300,100] float32 (above the parallel grain): every row sums to 1, rows match the formula
  Generator gen(3);
  const Tensor big = gen.uniform({300, 100}, -5, 5);
  const Tensor p = softmax(constant(big), 1).value();
  for (std::size_t r = 0; r < 300; ++r) {
    double s = 0, e = 0;
    for (std::size_t c = 0; c < 100; ++c) {
      s += p.at(r * 100 + c);
      e += std::exp(big.at(r * 100 + c));
    }
    BOOST_TEST_REQUIRE(std::fabs(s - 1) < 1e-5, "row " << r);
    BOOST_TEST_REQUIRE(std::fabs(p.at(r * 100 + 7) - std::exp(big.at(r * 100 + 7)) / e) < 1e-6, "row " << r);
  }
}

BOOST_AUTO_TEST_CASE(rrelu_training_draws_slopes_inference_uses_the_mean) {
  const Tensor x = Tensor::from({6}, {-4, -2, -1, 0, 1, 3}, DType::float64);
  Generator a(42), b(42);
  const Tensor y1 = rrelu(constant(x), true, a).value();
  const Tensor y2 = rrelu(constant(x), true, b).value();
  check_close(y1, y2.to_vector(), 0, "same seed, same slopes");
  const Tensor y3 = rrelu(constant(x), true, a).value();  // next stream: other slopes
  bool differs = false;
  for (std::size_t i = 0; i < 3; ++i) {
    const double slope = y1.at(i) / x.at(i);
    BOOST_TEST((slope >= 1.0 / 8 && slope <= 1.0 / 3), "slope " << slope);
    differs = differs || y3.at(i) != y1.at(i);
  }
  BOOST_TEST(differs);
  check_close(y1, {y1.at(0), y1.at(1), y1.at(2), 0, 1, 3}, 0, "non-negative inputs pass through");
  const double mean = (1.0 / 8 + 1.0 / 3) / 2;
  check_close(rrelu(constant(x), false, a).value(), {-4 * mean, -2 * mean, -mean, 0, 1, 3}, 1e-15, "inference");
  // the training gradient uses the drawn slopes
  Variable p = parameter(x);
  Generator c(42);
  sum(rrelu(p, true, c)).backward();
  check_close(p.grad(), {y1.at(0) / -4, y1.at(1) / -2, y1.at(2) / -1, 1, 1, 1}, 1e-15, "rrelu gradient");
  check_throws_with<InvalidArgument>([&] { rrelu(constant(x), true, a, 0.5, 0.1); }, {"rrelu", "lower", "upper"});
}

BOOST_AUTO_TEST_CASE(each_activation_is_one_tape_node) {
  TapeScope scope;
  Variable x = parameter(Tensor::from({2, 2}, {-1, 0.5, 1, 2}));
  std::size_t expected = 0;
  for (const auto& [name, f] : elementwise()) {
    Variable y = f(x);
    BOOST_TEST(scope.tape().size() == ++expected, name);
    BOOST_TEST(std::string(y.op_name()) == name);
  }
  (void)softmax(x);
  (void)log_softmax(x);
  (void)logsumexp(x);
  BOOST_TEST(scope.tape().size() == expected + 3);
}

BOOST_AUTO_TEST_CASE(activation_by_dl4j_name) {
  BOOST_TEST(activation_names().size() == 21u);
  for (const std::string& n : activation_names()) BOOST_TEST(Activation::from_name(n).name() == n);
  const Activation lr = Activation::from_name("LeakyReLU");
  BOOST_TEST((lr.kind == ActivationKind::leakyrelu));
  BOOST_TEST(lr.alpha == 0.01);
  BOOST_TEST(Activation::from_name("ELU").alpha == 1.0);
  BOOST_TEST((Activation::from_name("leaky_relu").kind == ActivationKind::leakyrelu));
  BOOST_TEST((Activation::from_name("SoftMax").kind == ActivationKind::softmax));
  check_throws_with<InvalidArgument>([] { Activation::from_name("swishy"); },
                                     {"unknown activation 'swishy'", "identity", "leakyrelu", "softmax"});

  const Tensor x = Tensor::from({2, 3}, {-2, -0.5, 0, 0.5, 2, 3}, DType::float64);
  for (const auto& [name, f] : elementwise()) {
    if (name == "log_sigmoid") continue;  // not a DL4J activation
    check_close(Activation::from_name(name).apply(constant(x)).value(), f(constant(x)).value().to_vector(), 0, name);
  }
  check_close(Activation::from_name("softmax").apply(constant(x)).value(), softmax(constant(x)).value().to_vector(), 0,
              "softmax");
  Activation a = Activation::from_name("leakyrelu");
  a.alpha = 0.3;
  check_close(a.apply(constant(x)).value(), leaky_relu(constant(x), 0.3).value().to_vector(), 0, "alpha used");
  Activation r = Activation::from_name("rrelu");
  check_throws_with<InvalidArgument>([&] { r.apply(constant(x), true, nullptr); }, {"rrelu", "Generator"});
  Generator g1(9), g2(9);
  check_close(r.apply(constant(x), true, &g1).value(), rrelu(constant(x), true, g2).value().to_vector(), 0,
              "rrelu training via apply");

  BOOST_TEST(Activation::from_name("sigmoid").unit_interval());
  BOOST_TEST(Activation::from_name("softmax").unit_interval());
  BOOST_TEST(!Activation::from_name("tanh").unit_interval());
  BOOST_TEST((Activation::from_name("elu") == Activation::from_name("ELU")));
  BOOST_TEST(!(a == Activation::from_name("leakyrelu")));
  BOOST_TEST(!(Activation::from_name("relu") == Activation::from_name("relu6")));
}

BOOST_AUTO_TEST_SUITE_END()
