// batch_norm (training: batch statistics and the running-statistics update with DL4J's decay; eval: running
// statistics) and layer_norm against direct computations, 1 vs 2 threads, and the errors for bad input. Gradient
// checks live in test_registry.cpp.
#include <cmath>

#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;
using xgrad::test::random_tensor;

BOOST_AUTO_TEST_SUITE(normalization)

BOOST_AUTO_TEST_CASE(batch_norm_training_and_eval_match_the_definitions) {
  for (const Shape& xs : {Shape{3, 2, 2, 3}, Shape{4, 3}}) {
    const std::size_t n = xs[0], c = xs[1], s = xs.size() == 4 ? xs[2] * xs[3] : 1;
    const Tensor x = random_tensor(xs, 1, -2, 2), gamma = random_tensor({c}, 2, 0.5, 2), beta = random_tensor({c}, 3);
    const Tensor rm0 = random_tensor({c}, 4), rv0 = random_tensor({c}, 5, 0.5, 2);
    Tensor rm = rm0.clone(), rv = rv0.clone();
    BatchNormOptions o;
    o.decay = 0.8, o.eps = 1e-3;
    const Variable y = batch_norm(constant(x), constant(gamma), constant(beta), rm, rv, o);
    std::vector<double> expected(x.size());
    for (std::size_t ch = 0; ch < c; ++ch) {
      double mean = 0, var = 0;
      for (std::size_t b = 0; b < n; ++b)
        for (std::size_t i = 0; i < s; ++i) mean += x.at((b * c + ch) * s + i) / double(n * s);
      for (std::size_t b = 0; b < n; ++b)
        for (std::size_t i = 0; i < s; ++i) var += std::pow(x.at((b * c + ch) * s + i) - mean, 2) / double(n * s);
      for (std::size_t b = 0; b < n; ++b)
        for (std::size_t i = 0; i < s; ++i) {
          const std::size_t at = (b * c + ch) * s + i;
          expected[at] = gamma.at(ch) * (x.at(at) - mean) / std::sqrt(var + 1e-3) + beta.at(ch);
        }
      // running = decay * running + (1 - decay) * batch, biased variance
      BOOST_TEST(rm.at(ch) == 0.8 * rm0.at(ch) + 0.2 * mean, boost::test_tools::tolerance(1e-12));
      BOOST_TEST(rv.at(ch) == 0.8 * rv0.at(ch) + 0.2 * var, boost::test_tools::tolerance(1e-12));
    }
    check_close(y.value(), expected, 1e-12, "batch_norm training " + shape_string(xs));
    // eval: running statistics, not updated
    o.training = false;
    const Tensor rm1 = rm.clone(), rv1 = rv.clone();
    const Variable e = batch_norm(constant(x), constant(gamma), constant(beta), rm, rv, o);
    for (std::size_t at = 0; at < x.size(); ++at) {
      const std::size_t ch = (at / s) % c;
      expected[at] = gamma.at(ch) * (x.at(at) - rm1.at(ch)) / std::sqrt(rv1.at(ch) + 1e-3) + beta.at(ch);
    }
    check_close(e.value(), expected, 1e-12, "batch_norm eval " + shape_string(xs));
    check_close(rm, rm1.to_vector(), 0, "eval leaves running_mean");
    check_close(rv, rv1.to_vector(), 0, "eval leaves running_var");
    // float32 agrees with float64
    Tensor rm32 = rm0.to(DType::float32), rv32 = rv0.to(DType::float32);
    o.training = true;
    const Variable y32 = batch_norm(constant(x.to(DType::float32)), constant(gamma.to(DType::float32)),
                                    constant(beta.to(DType::float32)), rm32, rv32, o);
    check_close(y32.value(), y.value().to_vector(), 1e-5, "float32");
  }
}

BOOST_AUTO_TEST_CASE(layer_norm_matches_the_definition) {
  const Tensor x = random_tensor({3, 2, 4}, 1, -2, 2), gamma = random_tensor({2, 4}, 2),
               beta = random_tensor({2, 4}, 3);
  const Variable y = layer_norm(constant(x), constant(gamma), constant(beta), 1e-4);
  std::vector<double> expected(x.size());
  for (std::size_t r = 0; r < 3; ++r) {
    double mean = 0, var = 0;
    for (std::size_t i = 0; i < 8; ++i) mean += x.at(r * 8 + i) / 8;
    for (std::size_t i = 0; i < 8; ++i) var += std::pow(x.at(r * 8 + i) - mean, 2) / 8;
    for (std::size_t i = 0; i < 8; ++i)
      expected[r * 8 + i] = (x.at(r * 8 + i) - mean) / std::sqrt(var + 1e-4) * gamma.at(i) + beta.at(i);
  }
  check_close(y.value(), expected, 1e-12, "layer_norm");
  const Variable plain = layer_norm(constant(x.to(DType::float32)), constant(Tensor::full({4}, 1.0)), Variable());
  for (std::size_t r = 0; r < 6; ++r) {  // each row of 4 has mean 0 and variance ~1
    double m = 0, v = 0;
    for (std::size_t i = 0; i < 4; ++i) m += plain.value().at(r * 4 + i) / 4;
    for (std::size_t i = 0; i < 4; ++i) v += std::pow(plain.value().at(r * 4 + i) - m, 2) / 4;
    BOOST_TEST(std::fabs(m) < 1e-6);
    BOOST_TEST(std::fabs(v - 1) < 1e-3);
  }
}

BOOST_AUTO_TEST_CASE(bit_identical_for_1_and_2_threads) {
  xgrad::test::ThreadCount restore;
  const Tensor x = random_tensor({100, 32, 14, 14}, 9).to(DType::float32);
  auto go = [&](int threads) {
    set_num_threads(threads);
    Tensor rm = Tensor::zeros({32}), rv = Tensor::full({32}, 1.0);
    Variable v = parameter(x), g = parameter(Tensor::full({32}, 1.5)), b = parameter(Tensor::zeros({32}));
    Variable ln = parameter(Tensor::full({14, 14}, 0.5));
    Variable y = sum(square(batch_norm(v, g, b, rm, rv))) + sum(square(layer_norm(v, ln, Variable())));
    y.backward();
    return std::vector<std::vector<double>>{{y.item()},           v.grad().to_vector(),  g.grad().to_vector(),
                                            b.grad().to_vector(), ln.grad().to_vector(), rm.to_vector(),
                                            rv.to_vector()};
  };
  BOOST_TEST((go(1) == go(2)));
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_op_the_argument_and_the_shapes) {
  const Variable x = constant(Tensor::zeros({2, 3, 4, 4}));
  Tensor rm = Tensor::zeros({3}), rv = Tensor::full({3}, 1.0), bad = Tensor::zeros({4});
  check_throws_with<ShapeError>(
      [&] {
        batch_norm(constant(Tensor::zeros({2, 3, 4})), Variable(), Variable(), rm, rv);
      },
      {"batch_norm", "[N,C,H,W] or [N,C]", "[2,3,4]"});
  check_throws_with<ShapeError>([&] { batch_norm(x, constant(Tensor::zeros({4})), Variable(), rm, rv); },
                                {"batch_norm", "gamma [4] must be [3]", "[2,3,4,4]"});
  check_throws_with<ShapeError>([&] { batch_norm(x, Variable(), Variable(), bad, rv); },
                                {"batch_norm", "running_mean [4] must be [3]", "[2,3,4,4]"});
  BatchNormOptions o;
  o.decay = 1.5;
  check_throws_with<InvalidArgument>([&] { batch_norm(x, Variable(), Variable(), rm, rv, o); },
                                     {"batch_norm", "decay must be in [0, 1]"});
  o = {};
  o.eps = 0;
  check_throws_with<InvalidArgument>([&] { batch_norm(x, Variable(), Variable(), rm, rv, o); },
                                     {"batch_norm", "eps must be > 0"});
  check_throws_with<ShapeError>(
      [&] {
        layer_norm(x, constant(Tensor::zeros({3, 4})), Variable());
      },
      {"layer_norm", "[3,4] must be the trailing dims of x [2,3,4,4]"});
  check_throws_with<InvalidArgument>([&] { layer_norm(x, Variable(), Variable()); }, {"layer_norm", "both undefined"});
}

BOOST_AUTO_TEST_SUITE_END()
