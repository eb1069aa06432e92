// Sequential and mlp(): layer order and dotted parameter names, forward through the stack, train/eval
// propagation, regularisation sum, a float64 gradient check through two layers, JSON round trip, errors.
#include "nn/layers/dense.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/layers/output_layer.hpp"
#include "nn/module_gradcheck.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

BOOST_AUTO_TEST_SUITE(sequential)

BOOST_AUTO_TEST_CASE(mlp_builds_named_layers) {
  MlpOptions o;
  o.loss = Loss::MCXENT;
  o.seed = 3;
  const auto net = mlp({6, 5, 4, 3}, Activation::from_name("tanh"), o);
  BOOST_REQUIRE_EQUAL(net->size(), 3u);
  std::vector<std::string> names;
  for (const auto& p : net->named_parameters()) names.push_back(p.name);
  BOOST_TEST(names == (std::vector<std::string>{"0.W", "0.b", "1.W", "1.b", "2.W", "2.b"}));
  BOOST_TEST(net->n_in() == 6u);
  BOOST_TEST(net->n_out() == 3u);
  BOOST_TEST(net->parameter_count() == 6u * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
  BOOST_TEST(net->layer(0)->type_name() == "Dense");
  BOOST_TEST(net->layer(2)->type_name() == "OutputLayer");
  const auto* out = dynamic_cast<const OutputLayer*>(net->layer(2).get());
  BOOST_REQUIRE(out != nullptr);
  BOOST_TEST((out->activation().kind == ActivationKind::softmax));  // natural activation of MCXENT
  BOOST_TEST((dynamic_cast<const Dense*>(net->layer(1).get())->activation().kind == ActivationKind::tanh));
  // no loss: plain Dense with identity output
  const auto plain = mlp({2, 2});
  BOOST_TEST(plain->layer(0)->type_name() == "Dense");
  BOOST_TEST((dynamic_cast<const Dense*>(plain->layer(0).get())->activation().kind == ActivationKind::identity));
}

BOOST_AUTO_TEST_CASE(forward_is_the_composition) {
  MlpOptions o;
  o.dtype = DType::float64;
  const auto net = mlp({3, 4, 2}, Activation::from_name("relu"), o);
  const Variable x = constant(test::random_tensor({5, 3}, 1));
  const Variable y = net->forward(x);
  const Variable y2 = net->layer(1)->forward(net->layer(0)->forward(x));
  BOOST_TEST((y.shape() == Shape{5, 2}));
  BOOST_TEST(y.value().to_vector() == y2.value().to_vector());
}

BOOST_AUTO_TEST_CASE(seeded_construction) {
  MlpOptions o;
  o.seed = 11;
  const auto a = mlp({4, 3, 2}, o), b = mlp({4, 3, 2}, o);
  o.seed = 12;
  const auto c = mlp({4, 3, 2}, o);
  BOOST_TEST(a->parameter("1.W").value().to_vector() == b->parameter("1.W").value().to_vector());
  BOOST_TEST(a->parameter("1.W").value().to_vector() != c->parameter("1.W").value().to_vector());
  BOOST_TEST(a->parameter("0.W").value().to_vector() != a->parameter("1.W").value().to_vector());
}

BOOST_AUTO_TEST_CASE(train_eval_propagates) {
  const auto net = mlp({3, 3, 3});
  net->eval();
  BOOST_TEST(!net->layer(0)->is_training());
  BOOST_TEST(!net->layer(1)->is_training());
  net->train();
  BOOST_TEST(net->layer(1)->is_training());
  Sequential s;
  s.eval();
  auto d = std::make_shared<Dense>(DenseOptions{3, 2});
  s.add(d);
  BOOST_TEST(!d->is_training());  // a layer added to an eval-mode stack follows it
}

BOOST_AUTO_TEST_CASE(regularization_sums_layers) {
  MlpOptions o;
  o.reg = Regularization{0.1, 0.2};
  o.dtype = DType::float64;
  const auto net = mlp({3, 4, 2}, o);
  const double want = net->layer(0)->regularization().item() + net->layer(1)->regularization().item();
  BOOST_TEST(net->regularization().item() == want, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(mlp({3, 2})->regularization().item() == 0.0);
}

BOOST_AUTO_TEST_CASE(gradient_check_through_two_layers_with_dropout) {
  MlpOptions o;
  o.dtype = DType::float64;
  o.dropout = 0.8;
  o.reg = Regularization{0.01, 0.02, 0, 0.01};
  o.seed = 5;
  const auto net = mlp({4, 5, 3}, Activation::from_name("tanh"), o);
  net->train();
  const Variable x = constant(test::random_tensor({6, 4}, 2));
  const Variable r = constant(test::random_tensor({6, 3}, 3));
  const auto res = gradcheck_module(*net, [&] {
    net->layer(1)->seed(9);
    return sum(net->forward(x) * r) + net->regularization();
  });
  BOOST_TEST(res.ok, res.message);
}

BOOST_AUTO_TEST_CASE(config_round_trip) {
  MlpOptions o;
  o.loss = Loss::XENT;
  o.dropout = 0.9;
  const auto net = mlp({4, 3, 2}, Activation::from_name("elu"), o);
  const auto cfg = net->config();
  BOOST_TEST(cfg["type"] == "Sequential");
  BOOST_TEST(cfg["layers"].size() == 2u);
  const auto back = layer_from_config(cfg);
  BOOST_TEST(back->config() == cfg);
  BOOST_TEST(back->parameter("1.W").value().to_vector() == net->parameter("1.W").value().to_vector());
}

BOOST_AUTO_TEST_CASE(errors) {
  Sequential s;
  s.add(std::make_shared<Dense>(DenseOptions{4, 3}));
  test::check_throws_with<ShapeError>(
      [&] {
        s.add(std::make_shared<Dense>(DenseOptions{5, 2}));
      },
      {"Sequential::add", "layer 1 (Dense, n_in 5)", "layer 0 (Dense, n_out 3)"});
  test::check_throws_with<InvalidArgument>(
      [] {
        Sequential().forward(constant(Tensor::zeros({1, 1})));
      },
      {"no layers"});
  test::check_throws_with<InvalidArgument>([&] { s.layer(3); }, {"index 3 out of range"});
  test::check_throws_with<InvalidArgument>([] { mlp({5}); }, {"mlp", "at least 2 sizes"});
  test::check_throws_with<ShapeError>([&] { s.forward(constant(Tensor::zeros({2, 5}))); }, {"Dense(n_in=4, n_out=3)"});
}

BOOST_AUTO_TEST_SUITE_END()
