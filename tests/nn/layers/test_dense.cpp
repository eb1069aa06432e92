// Dense layer: parameters (DL4J names and shapes), forward by hand, float64 gradient checks of x, W and b
// through every activation path that matters (including rrelu and dropout with a fixed seed), dropout
// semantics (retain probability, inverted, training only), regularisation, config JSON, errors.
#include <cmath>

#include "nn/layers/dense.hpp"
#include "nn/module_gradcheck.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
DenseOptions options(std::size_t in, std::size_t out, const std::string& activation, std::uint64_t seed = 1) {
  DenseOptions o;
  o.n_in = in;
  o.n_out = out;
  o.activation = Activation::from_name(activation);
  o.seed = seed;
  o.dtype = DType::float64;
  return o;
}

// Checks d/dx (as a gradcheck input) and d/dW, d/db (through the module) of sum(R * forward(x)).
void check_layer_gradients(Dense& layer, const Tensor& x, std::uint64_t reseed = 0) {
  const Tensor r = test::random_tensor({x.shape()[0], layer.n_out()}, 99, 0.5, 1.5);
  auto fx = [&](const std::vector<Variable>& in) {
    if (reseed) layer.seed(reseed);
    return layer.forward(in[0]);
  };
  XGRAD_CHECK_GRADIENT(fx, std::vector<Tensor>{x});
  const Variable xc = constant(x);
  auto loss = [&] {
    if (reseed) layer.seed(reseed);
    return sum(layer.forward(xc) * constant(r));
  };
  const auto res = gradcheck_module(layer, loss);
  BOOST_TEST(res.ok, res.message);
  BOOST_TEST(res.checked == layer.parameter_count());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dense)

BOOST_AUTO_TEST_CASE(parameters_have_dl4j_names_and_shapes) {
  DenseOptions o;
  o.n_in = 4;
  o.n_out = 3;
  o.bias_init = 0.25;
  Dense d(o);
  const auto p = d.named_parameters();
  BOOST_REQUIRE_EQUAL(p.size(), 2u);
  BOOST_TEST(p[0].name == "W");
  BOOST_TEST((p[0].variable.shape() == Shape{4, 3}));
  BOOST_TEST(p[1].name == "b");
  BOOST_TEST((p[1].variable.shape() == Shape{3}));
  test::check_close(p[1].variable.value(), {0.25, 0.25, 0.25}, 0, "bias_init");
  BOOST_TEST(d.parameter_count() == 15u);
  BOOST_TEST(d.n_in() == 4u);
  BOOST_TEST(d.n_out() == 3u);
  BOOST_TEST(d.type_name() == "Dense");
  BOOST_TEST((d.activation().kind == ActivationKind::sigmoid));  // DL4J's default
  BOOST_TEST((d.weight().dtype() == DType::float32));
}

BOOST_AUTO_TEST_CASE(forward_by_hand) {
  Dense d(options(2, 2, "identity"));
  d.weight().mutable_value() = Tensor::from({2, 2}, {1, 2, 3, 4}, DType::float64);
  d.bias().mutable_value() = Tensor::from({2}, {0.5, -0.5}, DType::float64);
  const Variable y = d.forward(constant(Tensor::from({1, 2}, {1, -1}, DType::float64)));
  test::check_close(y.value(), {1 - 3 + 0.5, 2 - 4 - 0.5}, 1e-15, "x W + b");
  Dense s(options(2, 2, "relu"));
  s.weight().mutable_value() = Tensor::from({2, 2}, {1, 2, 3, 4}, DType::float64);
  test::check_close(s.forward(constant(Tensor::from({1, 2}, {1, -1}, DType::float64))).value(), {0, 0}, 0, "relu");
}

BOOST_AUTO_TEST_CASE(gradient_checks_every_activation_path) {
  const Tensor x = test::random_tensor({3, 4}, 5, -1.5, 1.5);
  for (const char* a : {"identity", "sigmoid", "tanh", "relu", "leakyrelu", "elu", "selu", "gelu", "swish", "softplus",
                        "softsign", "softmax", "cube", "mish"}) {
    BOOST_TEST_CONTEXT("activation " << a) {
      Dense d(options(4, 3, a, 3));
      check_layer_gradients(d, x);
    }
  }
}

BOOST_AUTO_TEST_CASE(gradient_check_rrelu_training_with_fixed_seed) {
  Dense d(options(4, 3, "rrelu", 4));
  d.train();
  check_layer_gradients(d, test::random_tensor({3, 4}, 6), 77);
}

BOOST_AUTO_TEST_CASE(gradient_check_with_dropout_fixed_seed) {
  DenseOptions o = options(4, 3, "tanh", 8);
  o.dropout = 0.6;
  Dense d(o);
  d.train();
  check_layer_gradients(d, test::random_tensor({5, 4}, 7), 123);
}

BOOST_AUTO_TEST_CASE(dropout_is_dl4j_retain_probability_inverted_training_only) {
  DenseOptions o = options(1000, 1, "identity", 9);
  o.dropout = 0.8;  // keep 80%
  o.weight_init = WeightInitConfig::from_name("ONES");
  Dense d(o);
  const Variable x = constant(Tensor::full({20, 1000}, 1.0, DType::float64));
  d.train();
  const Variable y = d.forward(x);  // each output = (number kept) / 0.8
  double kept = 0;
  for (std::size_t i = 0; i < 20; ++i) kept += y.value().at(i) * 0.8;
  const double frac = kept / 20000;
  BOOST_TEST(std::fabs(frac - 0.8) < 5 * std::sqrt(0.8 * 0.2 / 20000), "kept fraction " << frac);
  BOOST_TEST(std::fabs(y.value().at(0) * 0.8 - std::round(y.value().at(0) * 0.8)) < 1e-9);  // inverted scaling
  d.eval();
  test::check_close(d.forward(x).value(), std::vector<double>(20, 1000.0), 1e-9, "eval: no dropout");
  // the same seed gives the same mask
  d.train();
  d.seed(3);
  const auto a = d.forward(x).value().to_vector();
  d.seed(3);
  BOOST_TEST(a == d.forward(x).value().to_vector());
}

BOOST_AUTO_TEST_CASE(regularization_matches_the_penalty) {
  DenseOptions o = options(3, 2, "identity");
  o.reg = Regularization{0.1, 0.2, 0.3, 0.4};
  Dense d(o);
  const Variable r = d.regularization();
  const Variable want = regularization_penalty(o.reg, {d.weight()}, {d.bias()});
  BOOST_TEST(r.item() == want.item());
  BOOST_TEST(r.item() > 0);
  Dense none(options(3, 2, "identity"));
  BOOST_TEST(none.regularization().item() == 0.0);
}

BOOST_AUTO_TEST_CASE(config_json_round_trip) {
  DenseOptions o = options(5, 4, "leakyrelu", 17);
  o.activation.alpha = 0.2;
  o.weight_init = WeightInitConfig::from_name("distribution:uniform(-0.1,0.1)");
  o.bias_init = 0.1;
  o.reg = Regularization{1e-4, 2e-4, 0, 3e-4};
  o.dropout = 0.5;
  o.dtype = DType::float32;
  Dense d(o);
  const nlohmann::json cfg = d.config();
  BOOST_TEST(cfg["type"] == "Dense");
  BOOST_TEST(cfg["n_in"] == 5);
  BOOST_TEST(cfg["activation"]["alpha"].get<double>() == 0.2);
  BOOST_TEST(cfg["dropout"].get<double>() == 0.5);
  const auto back = layer_from_config(cfg);
  BOOST_TEST(back->config() == cfg, back->config().dump() << " vs " << cfg.dump());
  BOOST_TEST(back->parameter("W").value().to_vector() == d.weight().value().to_vector());  // same seed, same init
}

BOOST_AUTO_TEST_CASE(dtypes) {
  DenseOptions o = options(3, 2, "tanh");
  o.dtype = DType::float32;
  Dense d(o);
  BOOST_TEST((d.forward(constant(Tensor::zeros({4, 3}))).dtype() == DType::float32));
  d.to(DType::float64);
  BOOST_TEST((d.forward(constant(Tensor::zeros({4, 3}, DType::float64))).dtype() == DType::float64));
  test::check_throws_with<InvalidArgument>(
      [&] {
        d.forward(constant(Tensor::zeros({4, 3})));
      },
      {"Dense::forward", "float32", "float64"});
}

BOOST_AUTO_TEST_CASE(errors_name_the_layer_and_shapes) {
  Dense d(options(4, 3, "relu"));
  test::check_throws_with<ShapeError>(
      [&] {
        d.forward(constant(Tensor::zeros({2, 5}, DType::float64)));
      },
      {"Dense(n_in=4, n_out=3)::forward", "input [2,5]", "[N, 4]"});
  test::check_throws_with<ShapeError>([&] { d.forward(constant(Tensor::zeros({4}, DType::float64))); }, {"input [4]"});
  test::check_throws_with<InvalidArgument>([] { Dense(options(0, 3, "relu")); }, {"Dense", "n_in = 0"});
  DenseOptions bad = options(2, 2, "relu");
  bad.dropout = 1.5;
  test::check_throws_with<InvalidArgument>([&] { Dense{bad}; }, {"dropout", "retain probability", "1.5"});
  test::check_throws_with<InvalidArgument>(
      [] {
        layer_from_config({{"type", "Dense"}, {"n_out", 3}});
      },
      {"missing \"n_in\""});
}

BOOST_AUTO_TEST_SUITE_END()
