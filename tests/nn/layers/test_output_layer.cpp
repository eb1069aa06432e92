// OutputLayer: defaults, loss = mean per-example score + regularisation by hand, float64 gradient checks of the
// training objective for several loss/activation pairs (with l1/l2 and dropout), labels shape errors, JSON.
#include <cmath>

#include "nn/layers/output_layer.hpp"
#include "nn/module_gradcheck.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
OutputLayerOptions options(std::size_t in, std::size_t out, Loss loss, const char* act) {
  OutputLayerOptions o(in, out, loss, Activation::from_name(act));
  o.seed = 21;
  o.dtype = DType::float64;
  return o;
}
Tensor one_hot(std::size_t n, std::size_t k) {
  std::vector<double> v(n * k, 0.0);
  for (std::size_t r = 0; r < n; ++r) v[r * k + (r * 2 + 1) % k] = 1.0;
  return Tensor::from({n, k}, v, DType::float64);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(output_layer)

BOOST_AUTO_TEST_CASE(defaults) {
  OutputLayerOptions o;
  BOOST_TEST((o.loss == Loss::MCXENT));
  BOOST_TEST((o.activation.kind == ActivationKind::softmax));
  o.n_in = 3;
  o.n_out = 2;
  OutputLayer l(o);
  BOOST_TEST(l.type_name() == "OutputLayer");
  BOOST_TEST(l.named_parameters()[0].name == "W");
}

BOOST_AUTO_TEST_CASE(loss_by_hand) {
  OutputLayerOptions o = options(2, 2, Loss::MSE, "identity");
  o.reg = Regularization{0, 0.5};
  OutputLayer l(o);
  l.weight().mutable_value() = Tensor::from({2, 2}, {1, 0, 0, 1}, DType::float64);
  l.bias().mutable_value() = Tensor::from({2}, {0, 0}, DType::float64);
  const Variable x = constant(Tensor::from({2, 2}, {1, 2, 3, 4}, DType::float64));
  const Variable y = constant(Tensor::from({2, 2}, {0, 2, 3, 2}, DType::float64));
  // outputs = x; per-example MSE: (1 + 0)/2 = 0.5, (0 + 4)/2 = 2; mean 1.25; + 0.5 * 0.5 * (1 + 1) = 0.5
  test::check_close(l.loss_per_example(x, y).value(), {0.5, 2.0}, 1e-15, "per example");
  BOOST_TEST(l.loss(x, y).item() == 1.75, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(gradient_checks_of_the_objective) {
  const Tensor x = test::random_tensor({4, 5}, 31, -1.5, 1.5);
  struct Case {
    Loss loss;
    const char* act;
    Tensor labels;
  };
  const std::vector<Case> cases{{Loss::MCXENT, "softmax", one_hot(4, 3)},
                                {Loss::NEGATIVELOGLIKELIHOOD, "softmax", one_hot(4, 3)},
                                {Loss::XENT, "sigmoid", test::random_tensor({4, 3}, 32, 0, 1)},
                                {Loss::MSE, "identity", test::random_tensor({4, 3}, 33)},
                                {Loss::MSE, "tanh", test::random_tensor({4, 3}, 34)},
                                {Loss::L1, "identity", test::random_tensor({4, 3}, 35)},
                                {Loss::KL_DIVERGENCE, "softmax", one_hot(4, 3)},
                                {Loss::POISSON, "softplus", test::random_tensor({4, 3}, 36, 0.5, 2)}};
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(loss_name(c.loss) << " / " << c.act) {
      OutputLayerOptions o = options(5, 3, c.loss, c.act);
      o.reg = Regularization{0.01, 0.02, 0.03, 0.04};
      OutputLayer l(o);
      const Variable xc = constant(x), yc = constant(c.labels);
      const auto r = gradcheck_module(l, [&] { return l.loss(xc, yc); });
      BOOST_TEST(r.ok, r.message);
      auto fx = [&](const std::vector<Variable>& in) { return l.loss(in[0], yc); };
      XGRAD_CHECK_GRADIENT(fx, std::vector<Tensor>{x});
    }
  }
}

BOOST_AUTO_TEST_CASE(gradient_check_with_dropout) {
  OutputLayerOptions o = options(5, 3, Loss::MCXENT, "softmax");
  o.dropout = 0.7;
  OutputLayer l(o);
  l.train();
  const Variable xc = constant(test::random_tensor({4, 5}, 41)), yc = constant(one_hot(4, 3));
  const auto r = gradcheck_module(l, [&] {
    l.seed(5);
    return l.loss(xc, yc);
  });
  BOOST_TEST(r.ok, r.message);
}

BOOST_AUTO_TEST_CASE(labels_shape_error) {
  OutputLayer l(options(5, 3, Loss::MCXENT, "softmax"));
  test::check_throws_with<ShapeError>(
      [&] {
        l.loss(constant(Tensor::zeros({4, 5}, DType::float64)), constant(Tensor::zeros({4, 2}, DType::float64)));
      },
      {"OutputLayer(n_in=5, n_out=3, loss=MCXENT)::loss", "labels [4,2]", "[4, 3]"});
  test::check_throws_with<ShapeError>(
      [&] {
        l.loss(constant(Tensor::zeros({4, 6}, DType::float64)), constant(Tensor::zeros({4, 3}, DType::float64)));
      },
      {"OutputLayer(n_in=5, n_out=3)::loss", "input [4,6]"});
}

BOOST_AUTO_TEST_CASE(config_json_round_trip) {
  OutputLayerOptions o = options(5, 3, Loss::XENT, "sigmoid");
  o.reg = Regularization{0, 1e-3};
  OutputLayer l(o);
  const auto cfg = l.config();
  BOOST_TEST(cfg["type"] == "OutputLayer");
  BOOST_TEST(cfg["loss"] == "XENT");
  const auto back = layer_from_config(cfg);
  BOOST_TEST(back->config() == cfg);
  const auto* ol = dynamic_cast<const OutputLayer*>(back.get());
  BOOST_REQUIRE(ol != nullptr);
  BOOST_TEST((ol->loss_function() == Loss::XENT));
  BOOST_TEST((ol->output_options().reg == o.reg));
}

BOOST_AUTO_TEST_SUITE_END()
