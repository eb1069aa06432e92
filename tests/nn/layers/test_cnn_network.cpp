// The CNN preprocessors (FeedForwardToCnn, CnnToFeedForward) and CNN layers inside Network: element order,
// gradients, shape checks between layers, summary's output shapes, fit/evaluate, save/load bits, output of an
// image-shaped last layer.
#include "temp_dir.hpp"
#include "cnn_test_helpers.hpp"
#include "nn/layers/cnn_preprocessors.hpp"
#include "nn/layers/convolution.hpp"
#include "nn/layers/output_layer.hpp"
#include "nn/train/network.hpp"
#include "nn/train/summary.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
std::shared_ptr<ConvolutionLayer> conv(ImageShape in, std::size_t out, Size2 kernel, DType dt = DType::float64) {
  ConvolutionOptions o;
  o.input = in;
  o.n_out = out;
  o.window.kernel = kernel;
  o.activation = Activation::from_name("relu");
  o.weight_init = WeightInitConfig::from_name("RELU");
  o.seed = 3;
  o.dtype = dt;
  return std::make_shared<ConvolutionLayer>(o);
}

// 6x6 images with one bright 2x2 spot; label 1 when the spot is in the right half.
data::Dataset spots(std::size_t n, std::uint64_t seed) {
  Generator g(seed);
  const Tensor u = g.uniform({n, 3}, 0, 1, DType::float64);
  std::vector<double> v(n * 36, 0.0);
  std::vector<int> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<std::size_t>(u.at(3 * i) * 5), c = static_cast<std::size_t>(u.at(3 * i + 1) * 5);
    for (std::size_t a = 0; a < 2; ++a)
      for (std::size_t b = 0; b < 2; ++b) v[i * 36 + (r + a) * 6 + c + b] = 1.0;
    labels[i] = c + 1 >= 3 ? 1 : 0;
  }
  return data::Dataset(Tensor::from({n, 36}, v, DType::float32), labels, 2);
}

std::unique_ptr<Network> spot_net(DType dt) {
  auto net = std::make_unique<Network>();
  net->add(std::make_shared<FeedForwardToCnn>(ImageShape{1, 6, 6}));
  net->add(conv({1, 6, 6}, 4, {3, 3}, dt));
  net->add(std::make_shared<CnnToFeedForward>(ImageShape{4, 4, 4}));
  OutputLayerOptions o(64, 2, Loss::MCXENT, Activation{ActivationKind::softmax});
  o.seed = 5;
  o.dtype = dt;
  net->add(std::make_shared<OutputLayer>(o));
  net->set_optimizer({{"type", "adam"}, {"learning_rate", 0.01}});
  return net;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(cnn_preprocessors)

BOOST_AUTO_TEST_CASE(row_major_order_and_shapes) {
  FeedForwardToCnn f({2, 1, 3});
  BOOST_TEST((f.input_shape() == Shape{6}));
  BOOST_TEST((f.output_shape() == Shape{2, 1, 3}));
  const Variable y = f.forward(constant(Tensor::from({1, 6}, {0, 1, 2, 3, 4, 5}, DType::float64)));
  BOOST_TEST((y.shape() == Shape{1, 2, 1, 3}));
  test::check_close(y.value(), {0, 1, 2, 3, 4, 5}, 0, "feature c*H*W + i*W + j -> (c, i, j)");
  CnnToFeedForward c({2, 1, 3});
  BOOST_TEST((c.input_shape() == Shape{2, 1, 3}));
  BOOST_TEST((c.output_shape() == Shape{6}));
  const Variable back = c.forward(y);
  BOOST_TEST((back.shape() == Shape{1, 6}));
  test::check_close(back.value(), {0, 1, 2, 3, 4, 5}, 0, "inverse");
  test::check_layer_gradients(f, test::random_tensor({3, 6}, 1));
  test::check_layer_gradients(c, test::random_tensor({3, 2, 1, 3}, 2));
  test::check_config_round_trip(f);
  test::check_config_round_trip(c);
}

BOOST_AUTO_TEST_CASE(bad_inputs) {
  FeedForwardToCnn f({1, 28, 28});
  test::check_throws_with<ShapeError>(
      [&] {
        f.forward(constant(Tensor::zeros({2, 780})));
      },
      {"FeedForwardToCnn{1,28,28}", "[2,780]", "[N, 784]"});
  CnnToFeedForward c({3, 2, 2});
  test::check_throws_with<ShapeError>(
      [&] {
        c.forward(constant(Tensor::zeros({2, 12})));
      },
      {"CnnToFeedForward::forward", "[2,12]", "[N, 3, 2, 2]"});
  test::check_throws_with<InvalidArgument>([] { FeedForwardToCnn({1, 0, 28}); }, {"FeedForwardToCnn", "{1,0,28}"});
  test::check_throws_with<InvalidArgument>(
      [] {
        layer_from_config({{"type", "CnnToFeedForward"}, {"input", {1, 2}}});
      },
      {"[channels, height, width]", "[1,2]"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cnn_network)

BOOST_AUTO_TEST_CASE(neighbours_must_fit_shape_by_shape) {
  Network net;
  net.add(conv({1, 6, 6}, 4, {3, 3}));
  OutputLayerOptions o(64, 2, Loss::MCXENT, Activation{ActivationKind::softmax});
  test::check_throws_with<ShapeError>([&] { net.add(std::make_shared<OutputLayer>(o)); },
                                      {"Network::add", "layer 1 (OutputLayer, input {64})",
                                       "layer 0 (ConvolutionLayer, output {4,4,4})", "CnnToFeedForward"});
  // same flat size, other image shape
  test::check_throws_with<ShapeError>(
      [&] {
        net.add(conv({4, 8, 2}, 1, {1, 1}));
      },
      {"input {4,8,2}", "output {4,4,4}"});
  Network flat;
  flat.add(std::make_shared<OutputLayer>(OutputLayerOptions(36, 2, Loss::MCXENT, Activation{ActivationKind::softmax})));
  Network first;
  first.add(std::make_shared<Dense>(DenseOptions{5, 36}));
  test::check_throws_with<ShapeError>([&] { first.add(conv({1, 6, 6}, 4, {3, 3})); }, {"FeedForwardToCnn"});
}

BOOST_AUTO_TEST_CASE(summary_shows_output_shapes) {
  const auto net = spot_net(DType::float32);
  const std::string s = summary(*net);
  for (const char* part : {"OutputShape", "0 (FeedForwardToCnn)", "{1,6,6}", "1 (ConvolutionLayer)", "36,64", "{4,4,4}",
                           "W:{4,1,3,3}, b:{4}", "2 (CnnToFeedForward)", "{64}", "3 (OutputLayer)", "{2}"})
    BOOST_TEST(s.find(part) != std::string::npos, "summary lacks '" << part << "':\n" << s);
}

BOOST_AUTO_TEST_CASE(fit_evaluate_save_load) {
  const auto train = spots(200, 1), test_set = spots(100, 2);
  auto net = spot_net(DType::float32);
  const double before = net->score(train);
  FitOptions f;
  f.epochs = 15;
  f.batch_size = 20;
  net->fit(train, f);
  const double after = net->score(train);
  BOOST_TEST(after < 0.5 * before, "score " << before << " -> " << after);
  const double acc = net->evaluate(test_set).accuracy();
  BOOST_TEST(acc > 0.9, "test accuracy " << acc);

  test::TempDir dir;
  net->save(dir.file("cnn.xgrad"));
  const auto loaded = Network::load(dir.file("cnn.xgrad"));
  BOOST_TEST(loaded->config() == net->config());
  BOOST_TEST(loaded->output(test_set.features()).to_vector() == net->output(test_set.features()).to_vector());
  // both continue identically
  f.epochs = 1;
  net->fit(train, f);
  loaded->fit(train, f);
  BOOST_TEST(loaded->output(test_set.features()).to_vector() == net->output(test_set.features()).to_vector());
}

BOOST_AUTO_TEST_CASE(output_of_an_image_shaped_last_layer_in_batches) {
  Network net;
  net.add(std::make_shared<FeedForwardToCnn>(ImageShape{1, 6, 6}));
  net.add(conv({1, 6, 6}, 2, {3, 3}, DType::float32));
  const Tensor x = spots(7, 3).features();
  const Tensor all = net.output(x, 0), batched = net.output(x, 3);
  BOOST_TEST((all.shape() == Shape{7, 2, 4, 4}));
  BOOST_TEST((batched.shape() == Shape{7, 2, 4, 4}));
  BOOST_TEST(all.to_vector() == batched.to_vector());
}

BOOST_AUTO_TEST_SUITE_END()
