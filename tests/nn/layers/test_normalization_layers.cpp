// BatchNormalization and LayerNormalization: DL4J parameter names and defaults,
// train vs eval mode by hand, running statistics (decay, is_minibatch) and
// their save/load, lock_gamma_beta, float64 gradient checks, config round trip,
// errors.
#include <cmath>

#include "cnn_test_helpers.hpp"
#include "temp_dir.hpp"
#include "nn/layers/batch_normalization.hpp"
#include "nn/layers/layer_normalization.hpp"
#include "nn/layers/output_layer.hpp"
#include "nn/train/network.hpp"
#include "nn/train/summary.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
BatchNormalizationOptions bn(Shape input) {
  BatchNormalizationOptions o;
  o.input = std::move(input);
  o.dtype = DType::float64;
  return o;
}
// x [4, 2]: feature 0 = 1, 2, 3, 6 (mean 3, biased var 3.5), feature 1 = 0, 0,
// 4, 4 (mean 2, var 4)
const Tensor kRows =
    Tensor::from({4, 2}, {1, 0, 2, 0, 3, 4, 6, 4}, DType::float64);
} // namespace

BOOST_AUTO_TEST_SUITE(batch_normalization)

BOOST_AUTO_TEST_CASE(dl4j_names_defaults_and_state) {
  BatchNormalizationOptions o;
  o.input = {3, 4, 4};
  BatchNormalization b(o);
  BOOST_TEST(o.decay == 0.9);
  BOOST_TEST(o.eps == 1e-5);
  BOOST_TEST(!o.lock_gamma_beta);
  BOOST_TEST(o.is_minibatch);
  const auto p = b.named_parameters();
  BOOST_REQUIRE_EQUAL(p.size(), 4u);
  const char *names[] = {"gamma", "beta", "mean", "var"};
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST(p[i].name == names[i]);
    BOOST_TEST((p[i].variable.shape() == Shape{3}));
  }
  BOOST_TEST(b.gamma().requires_grad());
  BOOST_TEST(!b.running_mean().requires_grad());
  BOOST_TEST(!b.running_var().requires_grad());
  test::check_close(b.running_var().value(), {1, 1, 1}, 0, "var starts at 1");
  BOOST_TEST((b.output_shape() == Shape{3, 4, 4}));
  o.lock_gamma_beta = true;
  BOOST_TEST(BatchNormalization(o).named_parameters().size() ==
             2u); // mean, var
}

BOOST_AUTO_TEST_CASE(train_mode_batch_statistics_and_running_update_by_hand) {
  BatchNormalizationOptions o = bn({2});
  o.gamma = 2;
  o.beta = 0.5;
  BatchNormalization b(o);
  b.train();
  const Variable y = b.forward(constant(kRows));
  const double e = 1e-5, s0 = std::sqrt(3.5 + e), s1 = std::sqrt(4 + e);
  test::check_close(y.value(),
                    {2 * (1 - 3) / s0 + 0.5, 2 * (0 - 2) / s1 + 0.5,
                     2 * (2 - 3) / s0 + 0.5, 2 * (0 - 2) / s1 + 0.5,
                     2 * (3 - 3) / s0 + 0.5, 2 * (4 - 2) / s1 + 0.5,
                     2 * (6 - 3) / s0 + 0.5, 2 * (4 - 2) / s1 + 0.5},
                    1e-12, "batch statistics");
  // decay 0.9 from mean 0, var 1
  test::check_close(b.running_mean().value(), {0.1 * 3, 0.1 * 2}, 1e-14,
                    "running mean");
  test::check_close(b.running_var().value(), {0.9 + 0.1 * 3.5, 0.9 + 0.1 * 4},
                    1e-14, "running var");
  // eval: the running statistics, nothing updated
  b.eval();
  const Variable z =
      b.forward(constant(Tensor::from({1, 2}, {1, 1}, DType::float64)));
  test::check_close(z.value(),
                    {2 * (1 - 0.3) / std::sqrt(1.25 + e) + 0.5,
                     2 * (1 - 0.2) / std::sqrt(1.3 + e) + 0.5},
                    1e-12, "eval");
  test::check_close(b.running_mean().value(), {0.3, 0.2}, 1e-14,
                    "eval leaves the running mean");
  // is_minibatch false: the running statistics are the batch's
  BatchNormalizationOptions full = bn({2});
  full.is_minibatch = false;
  BatchNormalization f(full);
  f.forward(constant(kRows));
  test::check_close(f.running_mean().value(), {3, 2}, 1e-14, "full batch mean");
  test::check_close(f.running_var().value(), {3.5, 4}, 1e-14, "full batch var");
}

BOOST_AUTO_TEST_CASE(image_input_per_channel_and_locked_gamma_beta) {
  BatchNormalizationOptions o = bn({2, 1, 2});
  o.lock_gamma_beta = true;
  o.gamma = 3;
  o.beta = -1;
  BatchNormalization b(o);
  // channel 0: 1, 3 | 5, 7 (mean 4, var 5); channel 1: 0, 0 | 2, 2 (mean 1, var
  // 1)
  const Tensor x =
      Tensor::from({2, 2, 1, 2}, {1, 3, 0, 0, 5, 7, 2, 2}, DType::float64);
  const Variable y = b.forward(constant(x));
  const double e = 1e-5, s0 = std::sqrt(5 + e), s1 = std::sqrt(1 + e);
  test::check_close(
      y.value(),
      {3 * -3 / s0 - 1, 3 * -1 / s0 - 1, 3 * -1 / s1 - 1, 3 * -1 / s1 - 1,
       3 * 1 / s0 - 1, 3 * 3 / s0 - 1, 3 * 1 / s1 - 1, 3 * 1 / s1 - 1},
      1e-12, "per channel over N, H, W with fixed gamma 3, beta -1");
}

BOOST_AUTO_TEST_CASE(gradient_checks_train_and_eval) {
  for (Shape in : {Shape{3}, Shape{2, 3, 2}}) {
    Shape xs{4};
    xs.insert(xs.end(), in.begin(), in.end());
    const Tensor x = test::random_tensor(xs, 3);
    BatchNormalizationOptions o = bn(in);
    o.activation = Activation::from_name("tanh");
    BatchNormalization b(o);
    BOOST_TEST_CONTEXT("train " << shape_braces(in)) {
      b.train();
      test::check_layer_gradients(b, x, {"gamma", "beta"});
    }
    BOOST_TEST_CONTEXT("eval " << shape_braces(in)) {
      b.eval();
      test::check_layer_gradients(b, x, {"gamma", "beta"});
    }
  }
}

BOOST_AUTO_TEST_CASE(running_statistics_are_saved_and_loaded) {
  Network net;
  BatchNormalizationOptions o;
  o.input = {3};
  net.add(std::make_shared<BatchNormalization>(o));
  net.add(std::make_shared<OutputLayer>(OutputLayerOptions(
      3, 2, Loss::MCXENT, Activation{ActivationKind::softmax})));
  net.set_optimizer({{"type", "adam"}});
  const Tensor x = test::random_tensor({20, 3}, 9, 2, 5).to(DType::float32);
  std::vector<int> labels(20);
  for (std::size_t i = 0; i < 20; ++i)
    labels[i] = x.at(3 * i) > 3.5 ? 1 : 0;
  FitOptions f;
  f.batch_size = 5;
  net.fit(data::Dataset(x, labels, 2), f);
  const Variable mean = net.parameter("0.mean");
  BOOST_TEST(mean.value().at(0) > 0.5,
             "the running mean moved towards ~3.5: " << mean.value().at(0));
  test::TempDir dir;
  net.save(dir.file("bn.xgrad"));
  const auto back = Network::load(dir.file("bn.xgrad"));
  BOOST_TEST(back->parameter("0.mean").value().to_vector() ==
             mean.value().to_vector());
  BOOST_TEST(back->parameter("0.var").value().to_vector() ==
             net.parameter("0.var").value().to_vector());
  BOOST_TEST(back->output(x).to_vector() == net.output(x).to_vector());
  const std::string s = summary(net);
  BOOST_TEST(s.find("Frozen Parameters:  6") != std::string::npos,
             s); // mean and var
}

BOOST_AUTO_TEST_CASE(config_round_trip_and_errors) {
  BatchNormalizationOptions o = bn({4, 2, 2});
  o.decay = 0.8;
  o.eps = 1e-3;
  o.lock_gamma_beta = true;
  o.gamma = 1.5;
  o.is_minibatch = false;
  BatchNormalization b(o);
  test::check_config_round_trip(b);
  test::check_throws_with<ShapeError>(
      [&] {
        b.forward(constant(Tensor::zeros({2, 4, 2, 3}, DType::float64)));
      },
      {"BatchNormalization::forward", "[2,4,2,3]", "[N, 4, 2, 2]"});
  auto reject = [&](auto edit, const std::vector<std::string> &parts) {
    BatchNormalizationOptions r = bn({2});
    edit(r);
    test::check_throws_with<InvalidArgument>([&] { BatchNormalization{r}; },
                                             parts);
  };
  reject([](auto &r) { r.decay = 1.5; }, {"BatchNormalization", "decay"});
  reject([](auto &r) { r.eps = 0; }, {"BatchNormalization", "eps"});
  reject([](auto &r) { r.input = {2, 3}; }, {"BatchNormalization", "{2,3}"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(layer_normalization)

BOOST_AUTO_TEST_CASE(values_gradients_round_trip_errors) {
  LayerNormalizationOptions o;
  o.input = {4};
  o.dtype = DType::float64;
  LayerNormalization l(o);
  BOOST_TEST(l.named_parameters().size() == 2u);
  BOOST_TEST(l.named_parameters()[0].name == "gain");
  const Variable y =
      l.forward(constant(Tensor::from({1, 4}, {1, 2, 3, 4}, DType::float64)));
  const double s = std::sqrt(1.25 + 1e-5);
  test::check_close(y.value(), {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, 1e-12,
                    "per example");
  l.eval();
  test::check_close(
      l.forward(constant(Tensor::from({1, 4}, {1, 2, 3, 4}, DType::float64)))
          .value(),
      {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, 1e-12, "eval: the same");
  LayerNormalizationOptions img;
  img.input = {2, 3, 2};
  img.activation = Activation::from_name("sigmoid");
  img.dtype = DType::float64;
  LayerNormalization li(img);
  li.gain().mutable_value() = test::random_tensor({2, 3, 2}, 4, 0.5, 1.5);
  test::check_layer_gradients(li, test::random_tensor({3, 2, 3, 2}, 5));
  test::check_config_round_trip(li);
  img.has_bias = false;
  BOOST_TEST(LayerNormalization(img).named_parameters().size() == 1u);
  test::check_throws_with<ShapeError>(
      [&] {
        li.forward(constant(Tensor::zeros({3, 12}, DType::float64)));
      },
      {"LayerNormalization::forward", "[3,12]", "[N, 2, 3, 2]"});
  img.eps = -1;
  test::check_throws_with<InvalidArgument>([&] { LayerNormalization{img}; },
                                           {"LayerNormalization", "eps"});
}

BOOST_AUTO_TEST_SUITE_END()
