// A float64 gradient check for every registered op. GRADCHECK_CASE(op, ident) puts the case into one
// table (std::map op name -> case function) and makes it its own Boost test case; the table is the
// single place where cases are listed. `every_registered_op_has_a_case` enumerates registered_ops()
// and fails naming each op without a case. Binary ops are checked with broadcasting ([N,D] with [D],
// [1,D], [N,1], a scalar, and the reverse); ops with kinks are checked at points away from them.
#include <functional>
#include <map>
#include <set>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::random_tensor;

namespace {
using CaseFunction = void (*)();
std::map<std::string, CaseFunction>& case_table() {
  static std::map<std::string, CaseFunction> table;
  return table;
}
bool add_case(const std::string& op, CaseFunction f) {
  if (!case_table().emplace(op, f).second) throw std::logic_error("two gradcheck cases for op " + op);
  return true;
}

// Ops registered by other libraries, each gradient-checked in that library's tests. They show up here
// only when the library is loaded into this executable (e.g. when linking without --as-needed).
const std::set<std::string> kCheckedElsewhere = {
    "gradcheck_module_bridge",            // tests/nn
    "l1_l2_penalty",                      // tests/nn
    "vae_bernoulli_logits_log_prob",      // tests/nn
    "vae_gaussian_log_prob",              // tests/nn
    "vae_exponential_log_prob",           // tests/nn
    "vae_continuous_bernoulli_log_prob",  // tests/nn
    "vae_gaussian_kl_standard",           // tests/nn
    "vae_reparameterize",                 // tests/nn
    "vae_diagonal_gaussian_log_prob",     // tests/nn
    "vae_sample_mean",                    // tests/nn
    "vae_sample_log_mean_exp",            // tests/nn
};

using Fn = std::function<Variable(const std::vector<Variable>&)>;

/// Uniform in [lo, hi) with every value at least `margin` away from each kink.
Tensor away_from(const Shape& shape, std::uint64_t seed, const std::vector<double>& kinks, double lo = -2.5,
                 double hi = 2.5, double margin = 0.05) {
  Tensor t = random_tensor(shape, seed, lo, hi);
  for (std::size_t i = 0; i < t.size(); ++i)
    for (double k : kinks) {
      const double v = t.at(i);
      if (std::fabs(v - k) < margin) t.set(i, v >= k ? k + margin : k - margin);
    }
  return t;
}

/// f(a, b) with a [3,4] against b of every broadcast shape, and the reverse; b's values in [lo, hi).
void check_binary(const Fn& f, double lo = -1, double hi = 1) {
  const Shape full{3, 4};
  const std::vector<Shape> others = {{3, 4}, {4}, {1, 4}, {3, 1}, {}};
  std::uint64_t seed = 100;
  for (const Shape& s : others) {
    BOOST_TEST_CONTEXT("a " << shape_string(full) << ", b " << shape_string(s)) {
      XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor(full, ++seed), random_tensor(s, ++seed, lo, hi)}));
    }
    BOOST_TEST_CONTEXT("a " << shape_string(s) << ", b " << shape_string(full)) {
      XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor(s, ++seed), random_tensor(full, ++seed, lo, hi)}));
    }
  }
  BOOST_TEST_CONTEXT("a [3,1], b [1,4]") {
    XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor({3, 1}, 7), random_tensor({1, 4}, 8, lo, hi)}));
  }
}

/// g(x) on [3,4] at points away from `kinks` (x in [lo, hi)).
void check_unary(const std::function<Variable(const Variable&)>& g, const std::vector<double>& kinks = {},
                 double lo = -2.5, double hi = 2.5) {
  const Fn f = [g](const std::vector<Variable>& v) { return g(v[0]); };
  XGRAD_CHECK_GRADIENT(f, std::vector<Tensor>{away_from({3, 4}, 11, kinks, lo, hi)});
  XGRAD_CHECK_GRADIENT(f, std::vector<Tensor>{away_from({5}, 12, kinks, lo, hi)});
}

/// g(x, axis) on [3,4] for both axes (and -1) and on [2,3,4] along the middle axis.
void check_axis(const std::function<Variable(const Variable&, int)>& g) {
  for (int axis : {0, 1, -1}) {
    BOOST_TEST_CONTEXT("axis " << axis) {
      const Fn f = [g, axis](const std::vector<Variable>& v) { return g(v[0], axis); };
      XGRAD_CHECK_GRADIENT(f, std::vector<Tensor>{random_tensor({3, 4}, 20 + axis, -2, 2)});
    }
  }
  const Fn f3 = [g](const std::vector<Variable>& v) { return g(v[0], 1); };
  XGRAD_CHECK_GRADIENT(f3, std::vector<Tensor>{random_tensor({2, 3, 4}, 30, -2, 2)});
}
}  // namespace

#define GRADCHECK_CASE(op_name, ident)                                   \
  void gradcheck_##ident();                                              \
  const bool registered_##ident = add_case(op_name, &gradcheck_##ident); \
  BOOST_AUTO_TEST_CASE(op_##ident) {                                     \
    gradcheck_##ident();                                                 \
  }                                                                      \
  void gradcheck_##ident()

BOOST_AUTO_TEST_SUITE(gradcheck_every_op)

// ---- arithmetic
GRADCHECK_CASE("add", add) {
  check_binary([](const std::vector<Variable>& v) { return add(v[0], v[1]); });
}
GRADCHECK_CASE("sub", sub) {
  check_binary([](const std::vector<Variable>& v) { return sub(v[0], v[1]); });
}
GRADCHECK_CASE("mul", mul) {
  check_binary([](const std::vector<Variable>& v) { return mul(v[0], v[1]); });
}
GRADCHECK_CASE("div", div) {
  check_binary([](const std::vector<Variable>& v) { return div(v[0], v[1]); }, 0.5, 2.0);
  check_binary([](const std::vector<Variable>& v) { return div(v[0], v[1]); }, -2.0, -0.5);
}
GRADCHECK_CASE("maximum", maximum) {
  check_binary([](const std::vector<Variable>& v) { return maximum(v[0], v[1]); });
}
GRADCHECK_CASE("minimum", minimum) {
  check_binary([](const std::vector<Variable>& v) { return minimum(v[0], v[1]); });
}
GRADCHECK_CASE("where", where) {
  const Tensor mask = Tensor::from({4}, {1, 0, 0, 1}, DType::float64);
  const Fn f = [mask](const std::vector<Variable>& v) { return where(mask, v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor({3, 4}, 1), random_tensor({3, 4}, 2)}));
  XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor({3, 1}, 3), random_tensor({}, 4)}));
  const Tensor col_mask = Tensor::from({3, 1}, {0, 1, 1}, DType::float64);
  const Fn g = [col_mask](const std::vector<Variable>& v) { return where(col_mask, v[0], v[1]); };
  XGRAD_CHECK_GRADIENT(g, (std::vector<Tensor>{random_tensor({4}, 5), random_tensor({3, 4}, 6)}));
}
GRADCHECK_CASE("neg", neg) {
  check_unary([](const Variable& x) { return neg(x); });
}
GRADCHECK_CASE("add_scalar", add_scalar) {
  check_unary([](const Variable& x) { return add_scalar(x, 1.5); });
}
GRADCHECK_CASE("mul_scalar", mul_scalar) {
  check_unary([](const Variable& x) { return mul_scalar(x, -2.5); });
}
GRADCHECK_CASE("rsub_scalar", rsub_scalar) {
  check_unary([](const Variable& x) { return rsub_scalar(3.0, x); });
}
GRADCHECK_CASE("rdiv_scalar", rdiv_scalar) {
  check_unary([](const Variable& x) { return rdiv_scalar(2.0, x); }, {0.0}, -2.5, 2.5);
}
GRADCHECK_CASE("pow", pow) {
  check_unary([](const Variable& x) { return pow(x, 3.0); });
  check_unary([](const Variable& x) { return pow(x, 0.5); }, {}, 0.2, 3);
  check_unary([](const Variable& x) { return pow(x, -1.5); }, {}, 0.2, 3);
}
GRADCHECK_CASE("square", square) {
  check_unary([](const Variable& x) { return square(x); });
}
GRADCHECK_CASE("sqrt", sqrt) {
  check_unary([](const Variable& x) { return sqrt(x); }, {}, 0.1, 4);
}
GRADCHECK_CASE("exp", exp) {
  check_unary([](const Variable& x) { return exp(x); });
}
GRADCHECK_CASE("log", log) {
  check_unary([](const Variable& x) { return log(x); }, {}, 0.1, 4);
}
GRADCHECK_CASE("log1p", log1p) {
  check_unary([](const Variable& x) { return log1p(x); }, {}, -0.9, 3);
}
GRADCHECK_CASE("expm1", expm1) {
  check_unary([](const Variable& x) { return expm1(x); });
}
GRADCHECK_CASE("abs", abs) {
  check_unary([](const Variable& x) { return abs(x); }, {0.0});
}
GRADCHECK_CASE("clamp", clamp) {
  check_unary([](const Variable& x) { return clamp(x, -1.0, 0.5); }, {-1.0, 0.5});
}

// ---- linear algebra
GRADCHECK_CASE("matmul", matmul) {
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      BOOST_TEST_CONTEXT("ta " << ta << " tb " << tb) {
        const Fn f = [ta, tb](const std::vector<Variable>& v) { return matmul(v[0], v[1], ta, tb); };
        const Shape sa = ta ? Shape{4, 3} : Shape{3, 4};  // op(a) is [3,4]
        const Shape sb = tb ? Shape{5, 4} : Shape{4, 5};  // op(b) is [4,5]
        XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor(sa, 1), random_tensor(sb, 2)}));
      }
    }
}
GRADCHECK_CASE("dense", dense) {
  const Fn f = [](const std::vector<Variable>& v) { return dense(v[0], v[1], v[2]); };
  XGRAD_CHECK_GRADIENT(
      f, (std::vector<Tensor>{random_tensor({3, 4}, 1), random_tensor({4, 2}, 2), random_tensor({2}, 3)}));
  XGRAD_CHECK_GRADIENT(
      f, (std::vector<Tensor>{random_tensor({3, 4}, 4), random_tensor({4, 2}, 5), random_tensor({1, 2}, 6)}));
}

// Pre-activations x·W + b stay in [0.5, 2.5] (column 0) and [-2.5, -0.5] (column 1): both sides of the relu
// kink, away from it.
GRADCHECK_CASE("dense_activation", dense_activation) {
  std::vector<Activation> fused;
  for (const char* name : {"sigmoid", "tanh", "relu", "leakyrelu"}) fused.push_back(Activation::from_name(name));
  Activation steep = Activation::from_name("leakyrelu");
  steep.alpha = 0.3;
  fused.push_back(steep);
  for (const Activation& a : fused)
    for (const Shape& bias_shape : {Shape{2}, Shape{1, 2}}) {
      const Fn f = [a](const std::vector<Variable>& v) { return dense(v[0], v[1], v[2], a); };
      Tensor b = Tensor::from(bias_shape, {1.5, -1.5}, DType::float64);
      BOOST_TEST_CONTEXT(a.name() << " bias " << shape_string(bias_shape)) {
        BOOST_TEST(
            f({parameter(random_tensor({3, 4}, 1)), constant(random_tensor({4, 2}, 2)), constant(b)}).op_name() ==
            std::string("dense_activation"));
        XGRAD_CHECK_GRADIENT(f,
                             (std::vector<Tensor>{random_tensor({3, 4}, 1), random_tensor({4, 2}, 2, -0.25, 0.25), b}));
      }
    }
}
// ---- reductions
GRADCHECK_CASE("sum", sum) {
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return sum(v[0]); },
                       std::vector<Tensor>{random_tensor({3, 4}, 1)});
  check_axis([](const Variable& x, int a) { return sum(x, a); });
  check_axis([](const Variable& x, int a) { return sum(x, a, true); });
}
GRADCHECK_CASE("mean", mean) {
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return mean(v[0]); },
                       std::vector<Tensor>{random_tensor({3, 4}, 1)});
  check_axis([](const Variable& x, int a) { return mean(x, a); });
  check_axis([](const Variable& x, int a) { return mean(x, a, true); });
}
GRADCHECK_CASE("max", max) {
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return max(v[0]); },
                       std::vector<Tensor>{random_tensor({3, 4}, 1)});
  check_axis([](const Variable& x, int a) { return max(x, a); });
  check_axis([](const Variable& x, int a) { return max(x, a, true); });
}

// ---- activations
GRADCHECK_CASE("identity", identity) {
  check_unary([](const Variable& x) { return identity(x); });
}
GRADCHECK_CASE("sigmoid", sigmoid) {
  check_unary([](const Variable& x) { return sigmoid(x); }, {}, -6, 6);
}
GRADCHECK_CASE("tanh", tanh) {
  check_unary([](const Variable& x) { return xgrad::tanh(x); });
}
GRADCHECK_CASE("relu", relu) {
  check_unary([](const Variable& x) { return relu(x); }, {0.0});
}
GRADCHECK_CASE("relu6", relu6) {
  check_unary([](const Variable& x) { return relu6(x); }, {0.0, 6.0}, -2, 8);
}
GRADCHECK_CASE("leakyrelu", leakyrelu) {
  check_unary([](const Variable& x) { return leaky_relu(x); }, {0.0});
  check_unary([](const Variable& x) { return leaky_relu(x, 0.3); }, {0.0});
}
GRADCHECK_CASE("rrelu", rrelu) {
  check_unary(
      [](const Variable& x) {
        Generator gen(77);  // the same slopes in every evaluation
        return rrelu(x, true, gen);
      },
      {0.0});
  check_unary(
      [](const Variable& x) {
        Generator gen(1);
        return rrelu(x, false, gen);
      },
      {0.0});
}
GRADCHECK_CASE("elu", elu) {
  check_unary([](const Variable& x) { return elu(x); }, {0.0});
  check_unary([](const Variable& x) { return elu(x, 0.4); }, {0.0});
}
GRADCHECK_CASE("selu", selu) {
  check_unary([](const Variable& x) { return selu(x); }, {0.0});
}
GRADCHECK_CASE("gelu", gelu) {
  check_unary([](const Variable& x) { return gelu(x); }, {}, -4, 4);
}
GRADCHECK_CASE("swish", swish) {
  check_unary([](const Variable& x) { return swish(x); }, {}, -5, 5);
}
GRADCHECK_CASE("mish", mish) {
  check_unary([](const Variable& x) { return mish(x); }, {}, -5, 5);
}
GRADCHECK_CASE("softplus", softplus) {
  check_unary([](const Variable& x) { return softplus(x); }, {}, -6, 6);
}
GRADCHECK_CASE("softsign", softsign) {
  check_unary([](const Variable& x) { return softsign(x); }, {0.0});
}
GRADCHECK_CASE("hardsigmoid", hardsigmoid) {
  check_unary([](const Variable& x) { return hard_sigmoid(x); }, {-2.5, 2.5}, -4, 4);
}
GRADCHECK_CASE("hardtanh", hardtanh) {
  check_unary([](const Variable& x) { return hard_tanh(x); }, {-1.0, 1.0});
}
GRADCHECK_CASE("cube", cube) {
  check_unary([](const Variable& x) { return cube(x); });
}
GRADCHECK_CASE("rationaltanh", rationaltanh) {
  check_unary([](const Variable& x) { return rational_tanh(x); }, {0.0}, -4, 4);
}
GRADCHECK_CASE("rectifiedtanh", rectifiedtanh) {
  check_unary([](const Variable& x) { return rectified_tanh(x); }, {0.0});
}
GRADCHECK_CASE("thresholdedrelu", thresholdedrelu) {
  check_unary([](const Variable& x) { return thresholded_relu(x); }, {1.0});
  check_unary([](const Variable& x) { return thresholded_relu(x, -0.5); }, {-0.5});
}
GRADCHECK_CASE("log_sigmoid", log_sigmoid) {
  check_unary([](const Variable& x) { return log_sigmoid(x); }, {}, -6, 6);
}
GRADCHECK_CASE("softmax", softmax) {
  check_axis([](const Variable& x, int a) { return softmax(x, a); });
}
GRADCHECK_CASE("log_softmax", log_softmax) {
  check_axis([](const Variable& x, int a) { return log_softmax(x, a); });
}
GRADCHECK_CASE("logsumexp", logsumexp) {
  check_axis([](const Variable& x, int a) { return logsumexp(x, a); });
  check_axis([](const Variable& x, int a) { return logsumexp(x, a, true); });
}

// ---- shape
GRADCHECK_CASE("transpose", transpose) {
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return transpose(v[0]); },
                       std::vector<Tensor>{random_tensor({3, 5}, 1)});
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return transpose(v[0]); },
                       std::vector<Tensor>{random_tensor({40, 35}, 2)}, GradcheckOptions{1e-6, 1e-3, 1e-8, 12345, 64});
}
GRADCHECK_CASE("reshape", reshape) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return reshape(v[0], {2, 6});
      },
      std::vector<Tensor>{random_tensor({3, 4}, 1)});
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return reshape(v[0], {12}); },
                       std::vector<Tensor>{random_tensor({3, 4}, 2)});
}
GRADCHECK_CASE("slice", slice) {
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return slice(v[0], 0, 1, 3); },
                       std::vector<Tensor>{random_tensor({3, 4}, 1)});
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return slice(v[0], -1, 0, 2); },
                       std::vector<Tensor>{random_tensor({3, 4}, 2)});
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return slice(v[0], 1, 1, 2); },
                       std::vector<Tensor>{random_tensor({2, 3, 4}, 3)});
}
GRADCHECK_CASE("concat", concat) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return concat({v[0], v[1]}, 0);
      },
      (std::vector<Tensor>{random_tensor({2, 4}, 1), random_tensor({3, 4}, 2)}));
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return concat({v[0], v[1], v[0]}, 1);
      },
      (std::vector<Tensor>{random_tensor({3, 2}, 3), random_tensor({3, 1}, 4)}));
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return concat({v[0], v[1]}, 1);
      },
      (std::vector<Tensor>{random_tensor({2, 1, 3}, 5), random_tensor({2, 2, 3}, 6)}));
}
GRADCHECK_CASE("broadcast_to", broadcast_to) {
  const std::vector<std::pair<Shape, Shape>> cases = {{{4}, {3, 4}},          {{3, 1}, {3, 4}},    {{}, {2, 3}},
                                                      {{2, 1, 3}, {2, 4, 3}}, {{1, 3}, {2, 2, 3}}, {{3, 4}, {3, 4}}};
  std::uint64_t seed = 1;
  for (const auto& [from, to] : cases) {
    BOOST_TEST_CONTEXT(shape_string(from) << " -> " << shape_string(to)) {
      const Shape target = to;
      XGRAD_CHECK_GRADIENT([target](const std::vector<Variable>& v) { return broadcast_to(v[0], target); },
                           std::vector<Tensor>{random_tensor(from, ++seed)});
    }
  }
}

// ---- convolutions: stride, padding, Same-mode extra end padding, dilation, groups, output_padding, odd sizes,
// batch 1 and 3, with and without bias
GRADCHECK_CASE("conv2d", conv2d) {
  struct Case {
    Shape x, w;
    Conv2dOptions o;
  };
  const std::vector<Case> cases = {
      {{1, 1, 5, 5}, {2, 1, 3, 3}, {}},
      {{3, 2, 7, 6}, {3, 2, 3, 2}, {{2, 1}, {1, 0}}},
      {{1, 2, 7, 5}, {2, 2, 2, 2}, {{1, 2}, {1, 1}, {1, 0}, {2, 1}}},
      {{3, 4, 5, 5}, {2, 2, 3, 3}, {{2, 2}, {1, 1}, {0, 1}, {1, 1}, 2}},
  };
  std::uint64_t seed = 10;
  for (const Case& c : cases)
    for (bool with_bias : {true, false}) {
      BOOST_TEST_CONTEXT("x " << shape_string(c.x) << " w " << shape_string(c.w) << " bias " << with_bias) {
        const Conv2dOptions o = c.o;
        std::vector<Tensor> in = {random_tensor(c.x, ++seed), random_tensor(c.w, ++seed)};
        if (with_bias) in.push_back(random_tensor({c.w[0]}, ++seed));
        XGRAD_CHECK_GRADIENT(
            [o](const std::vector<Variable>& v) { return conv2d(v[0], v[1], v.size() > 2 ? v[2] : Variable(), o); },
            in);
      }
    }
}
GRADCHECK_CASE("conv_transpose2d", conv_transpose2d) {
  struct Case {
    Shape x, w;
    ConvTranspose2dOptions o;
  };
  std::vector<Case> cases(4);
  cases[0] = {{1, 1, 3, 3}, {1, 2, 3, 3}, {}};
  cases[1] = {{3, 2, 4, 3}, {2, 2, 3, 2}, {}};
  cases[1].o.stride = {2, 1}, cases[1].o.padding = {1, 0}, cases[1].o.output_padding = {1, 0};
  cases[2] = {{1, 2, 3, 4}, {2, 1, 2, 3}, {}};
  cases[2].o.stride = {2, 2}, cases[2].o.dilation = {3, 1}, cases[2].o.output_padding = {2, 1};
  cases[2].o.extra_end_padding = {1, 0};
  cases[3] = {{3, 4, 3, 3}, {4, 2, 3, 3}, {}};
  cases[3].o.groups = 2, cases[3].o.stride = {2, 2}, cases[3].o.padding = {1, 1};
  std::uint64_t seed = 40;
  for (const Case& c : cases)
    for (bool with_bias : {true, false}) {
      BOOST_TEST_CONTEXT("x " << shape_string(c.x) << " w " << shape_string(c.w) << " bias " << with_bias) {
        const ConvTranspose2dOptions o = c.o;
        const Shape ys = conv_transpose2d_output_shape(c.x, c.w, o);
        std::vector<Tensor> in = {random_tensor(c.x, ++seed), random_tensor(c.w, ++seed)};
        if (with_bias) in.push_back(random_tensor({ys[1]}, ++seed));
        XGRAD_CHECK_GRADIENT(
            [o](const std::vector<Variable>& v) {
              return conv_transpose2d(v[0], v[1], v.size() > 2 ? v[2] : Variable(), o);
            },
            in);
      }
    }
}

// ---- pooling and upsampling: kernel, stride, padding, Same-mode extra end padding, dilation, odd sizes, batch 1
// and 3
namespace {
std::vector<Pool2dOptions> pool_cases() {
  std::vector<Pool2dOptions> cases(4);
  cases[1].kernel = {3, 2}, cases[1].stride = {2, 1}, cases[1].padding = {1, 0};
  cases[2].kernel = {2, 3}, cases[2].stride = {1, 2}, cases[2].extra_end_padding = {1, 1}, cases[2].dilation = {2, 1};
  cases[3].kernel = {3, 3}, cases[3].stride = {2, 2}, cases[3].padding = {1, 1}, cases[3].count_include_pad = false;
  return cases;
}
// Values away from 0 (|x|'s kink, for pnorm) when `avoid_zero`; max_pool2d takes plain random values, which have no
// ties (pushing values away from 0 would make some equal).
void check_pool(const std::function<Variable(const Variable&, const Pool2dOptions&)>& pool, bool avoid_zero) {
  std::uint64_t seed = 60;
  for (const Shape& xs : {Shape{1, 1, 5, 5}, Shape{3, 2, 7, 6}})
    for (const Pool2dOptions& o : pool_cases()) {
      BOOST_TEST_CONTEXT("x " << shape_string(xs) << " kernel " << o.kernel[0] << "x" << o.kernel[1]) {
        const Fn f = [o, pool](const std::vector<Variable>& v) { return pool(v[0], o); };
        XGRAD_CHECK_GRADIENT(f, std::vector<Tensor>{avoid_zero ? away_from(xs, ++seed, {0.0}, -2, 2, 0.1)
                                                               : random_tensor(xs, ++seed, -2, 2)});
      }
    }
}
}  // namespace
GRADCHECK_CASE("max_pool2d", max_pool2d) {
  check_pool([](const Variable& x, const Pool2dOptions& o) { return max_pool2d(x, o); }, false);
}
GRADCHECK_CASE("avg_pool2d", avg_pool2d) {
  check_pool([](const Variable& x, const Pool2dOptions& o) { return avg_pool2d(x, o); }, false);
}
GRADCHECK_CASE("pnorm_pool2d", pnorm_pool2d) {
  for (double p : {1.0, 2.0, 3.0}) BOOST_TEST_CONTEXT("p " << p) {
      check_pool([p](const Variable& x, const Pool2dOptions& o) { return pnorm_pool2d(x, p, o); }, true);
    }
}
GRADCHECK_CASE("upsample2d", upsample2d) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return upsample2d(v[0], {2, 3});
      },
      std::vector<Tensor>{random_tensor({3, 2, 3, 2}, 1)});
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) {
        return upsample2d(v[0], {1, 2});
      },
      std::vector<Tensor>{random_tensor({1, 1, 3, 3}, 2)});
}

// ---- normalisation: training and eval, [N,C,H,W] and [N,C], with and without gamma/beta
GRADCHECK_CASE("batch_norm", batch_norm) {
  for (const Shape& xs : {Shape{3, 2, 3, 2}, Shape{1, 3, 2, 3}, Shape{5, 3}})
    for (bool training : {true, false}) {
      BOOST_TEST_CONTEXT("x " << shape_string(xs) << " training " << training) {
        const std::size_t c = xs[1];
        const Tensor rm = random_tensor({c}, 3), rv = random_tensor({c}, 4, 0.5, 2);
        const Fn f = [=](const std::vector<Variable>& v) {
          Tensor m = rm.clone(), r = rv.clone();
          BatchNormOptions o;
          o.training = training;
          return batch_norm(v[0], v[1], v[2], m, r, o);
        };
        XGRAD_CHECK_GRADIENT(f, (std::vector<Tensor>{random_tensor(xs, 5, -2, 2), random_tensor({c}, 6, 0.5, 2),
                                                     random_tensor({c}, 7)}));
        const Fn plain = [=](const std::vector<Variable>& v) {
          Tensor m = rm.clone(), r = rv.clone();
          BatchNormOptions o;
          o.training = training;
          return batch_norm(v[0], Variable(), Variable(), m, r, o);
        };
        XGRAD_CHECK_GRADIENT(plain, (std::vector<Tensor>{random_tensor(xs, 8, -2, 2)}));
      }
    }
}
GRADCHECK_CASE("layer_norm", layer_norm) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) { return layer_norm(v[0], v[1], v[2]); },
      (std::vector<Tensor>{random_tensor({3, 5}, 1, -2, 2), random_tensor({5}, 2, 0.5, 2), random_tensor({5}, 3)}));
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return layer_norm(v[0], v[1], v[2]); },
                       (std::vector<Tensor>{random_tensor({2, 3, 2, 2}, 4, -2, 2), random_tensor({3, 2, 2}, 5, 0.5, 2),
                                            random_tensor({3, 2, 2}, 6)}));
  XGRAD_CHECK_GRADIENT([](const std::vector<Variable>& v) { return layer_norm(v[0], v[1], Variable()); },
                       (std::vector<Tensor>{random_tensor({4, 3}, 7, -2, 2), random_tensor({3}, 8, 0.5, 2)}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(every_registered_op_has_a_case) {
  std::set<std::string> registered;
  for (const OpSchema& op : registered_ops()) {
    registered.insert(op.name);
    if (op.name.rfind("test.", 0) == 0 || kCheckedElsewhere.count(op.name)) continue;
    BOOST_TEST(case_table().count(op.name) == 1u,
               "op '" << op.name << "' (" << op.summary << ") has no gradcheck case in test_registry.cpp");
  }
  for (const auto& entry : case_table())
    BOOST_TEST(registered.count(entry.first) == 1u, "gradcheck case for unregistered op '" << entry.first << "'");
  BOOST_TEST(case_table().size() >= 55u);
}

BOOST_AUTO_TEST_CASE(registration_is_by_unique_name_and_arity) {
  const Op a = define_op("test.registry_probe", 2, "probe");
  const Op b = define_op("test.registry_probe", 2, "probe again");  // same name and arity: the same op
  BOOST_TEST(std::string(a.name()) == std::string(b.name()));
  xgrad::test::check_throws_with<InvalidArgument>([] { define_op("test.registry_probe", 1, "x"); },
                                                  {"test.registry_probe", "arity 2", "not 1"});
  xgrad::test::check_throws_with<InvalidArgument>([] { define_op("", 1, "x"); }, {"define_op", "empty"});
  std::size_t concat_arity = 99;
  for (const OpSchema& op : registered_ops())
    if (op.name == "concat") concat_arity = op.arity;
  BOOST_TEST(concat_arity == 0u);  // variadic
}

BOOST_AUTO_TEST_SUITE_END()
