// ConvolutionLayer and Deconvolution2D: DL4J names, shapes and defaults, values by hand (Truncate, Same,
// transposed), float64 gradient checks with stride/padding/dilation, config round trip, errors.
#include "cnn_test_helpers.hpp"
#include "nn/layers/convolution.hpp"
#include "nn/layers/deconvolution.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
ConvolutionOptions conv_options(ImageShape in, std::size_t out, Size2 kernel,
                                const std::string& activation = "identity") {
  ConvolutionOptions o;
  o.input = in;
  o.n_out = out;
  o.window.kernel = kernel;
  o.activation = Activation::from_name(activation);
  o.seed = 7;
  o.dtype = DType::float64;
  return o;
}
const Tensor kImage = Tensor::from({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, DType::float64);
}  // namespace

BOOST_AUTO_TEST_SUITE(convolution_layer)

BOOST_AUTO_TEST_CASE(dl4j_defaults_names_and_shapes) {
  ConvolutionOptions o;
  o.input = {3, 28, 28};
  o.n_out = 8;
  ConvolutionLayer c(o);
  BOOST_TEST(c.type_name() == "ConvolutionLayer");
  BOOST_TEST((o.window.kernel == Size2{5, 5}));
  BOOST_TEST((o.window.stride == Size2{1, 1}));
  BOOST_TEST((o.window.mode == ConvolutionMode::Truncate));
  BOOST_TEST((o.activation.kind == ActivationKind::sigmoid));
  const auto p = c.named_parameters();
  BOOST_REQUIRE_EQUAL(p.size(), 2u);
  BOOST_TEST(p[0].name == "W");
  BOOST_TEST((p[0].variable.shape() == Shape{8, 3, 5, 5}));
  BOOST_TEST(p[1].name == "b");
  BOOST_TEST((p[1].variable.shape() == Shape{8}));
  BOOST_TEST((c.input_shape() == Shape{3, 28, 28}));
  BOOST_TEST((c.output_shape() == Shape{8, 24, 24}));
  BOOST_TEST(c.n_in() == 3u * 28 * 28);
  BOOST_TEST(c.n_out() == 8u * 24 * 24);
  o.has_bias = false;
  BOOST_TEST(ConvolutionLayer(o).named_parameters().size() == 1u);
  // XAVIER with DL4J's fans: fan_in = 3*25, fan_out = 8*25 / 1 -> std sqrt(2 / 275)
  double ss = 0;
  for (double w : p[0].variable.value().to_vector()) ss += w * w;
  const double sd = std::sqrt(ss / static_cast<double>(p[0].variable.size()));
  BOOST_TEST(std::fabs(sd - std::sqrt(2.0 / 275)) < 0.1 * std::sqrt(2.0 / 275), "std " << sd);
}

BOOST_AUTO_TEST_CASE(truncate_values_by_hand) {
  ConvolutionLayer c(conv_options({1, 3, 3}, 1, {2, 2}));
  c.weight().mutable_value() = Tensor::from({1, 1, 2, 2}, {1, 0, 0, -1}, DType::float64);
  c.bias().mutable_value() = Tensor::from({1}, {0.5}, DType::float64);
  const Variable y = c.forward(constant(kImage));  // x[i,j] - x[i+1,j+1] + 0.5 = -3.5
  BOOST_TEST((y.shape() == Shape{1, 1, 2, 2}));
  test::check_close(y.value(), {-3.5, -3.5, -3.5, -3.5}, 1e-15, "truncate");
  ConvolutionOptions r = conv_options({1, 3, 3}, 1, {2, 2}, "relu");
  ConvolutionLayer cr(r);
  cr.weight().mutable_value() = Tensor::from({1, 1, 2, 2}, {-1, 0, 0, 1}, DType::float64);
  test::check_close(cr.forward(constant(kImage)).value(), {4, 4, 4, 4}, 1e-15, "relu");
}

BOOST_AUTO_TEST_CASE(same_mode_pads_at_the_end_by_hand) {
  ConvolutionOptions o = conv_options({1, 3, 3}, 1, {2, 2});
  o.window.stride = {2, 2};
  o.window.padding = {5, 5};  // ignored by Same, as DL4J
  o.window.mode = ConvolutionMode::Same;
  ConvolutionLayer c(o);
  BOOST_TEST((c.output_shape() == Shape{1, 2, 2}));  // ceil(3 / 2)
  c.weight().mutable_value() = Tensor::from({1, 1, 2, 2}, {1, 0, 0, -1}, DType::float64);
  // total padding 1, all after: windows at rows/cols {0,1} and {2,3(pad)}
  test::check_close(c.forward(constant(kImage)).value(), {1 - 5, 3 - 0, 7 - 0, 9}, 1e-15, "same");
}

BOOST_AUTO_TEST_CASE(strict_mode_rejects_inexact_tiling) {
  ConvolutionOptions o = conv_options({1, 4, 4}, 1, {2, 2});
  o.window.stride = {2, 2};
  o.window.mode = ConvolutionMode::Strict;
  BOOST_TEST((ConvolutionLayer(o).output_shape() == Shape{1, 2, 2}));
  o.input = {1, 5, 5};
  test::check_throws_with<InvalidArgument>([&] { ConvolutionLayer{o}; },
                                           {"ConvolutionLayer", "Strict", "stride (2, 2)", "rows"});
}

BOOST_AUTO_TEST_CASE(gradient_checks_stride_padding_dilation) {
  const Tensor x = test::random_tensor({2, 3, 7, 6}, 5);
  for (const char* act : {"identity", "tanh"}) {
    ConvolutionOptions o = conv_options({3, 7, 6}, 4, {3, 2}, act);
    o.window.stride = {2, 1};
    o.window.padding = {1, 2};
    o.window.dilation = {1, 2};
    BOOST_TEST_CONTEXT("truncate " << act) {
      ConvolutionLayer c(o);
      test::check_layer_gradients(c, x);
    }
    o.window.mode = ConvolutionMode::Same;
    BOOST_TEST_CONTEXT("same " << act) {
      ConvolutionLayer c(o);
      BOOST_TEST((c.output_shape() == Shape{4, 4, 6}));
      test::check_layer_gradients(c, x);
    }
  }
  ConvolutionOptions nb = conv_options({3, 7, 6}, 2, {2, 2}, "sigmoid");
  nb.has_bias = false;
  ConvolutionLayer c(nb);
  test::check_layer_gradients(c, x);
}

BOOST_AUTO_TEST_CASE(config_round_trip) {
  ConvolutionOptions o = conv_options({3, 9, 8}, 5, {3, 2}, "leakyrelu");
  o.window.stride = {2, 1};
  o.window.padding = {1, 0};
  o.window.dilation = {1, 2};
  o.window.mode = ConvolutionMode::Same;
  o.has_bias = false;
  o.weight_init = WeightInitConfig::from_name("RELU");
  o.reg.l2 = 1e-4;
  ConvolutionLayer c(o);
  const auto back = test::check_config_round_trip(c);
  BOOST_TEST(back->config()["convolution_mode"] == "Same");
  BOOST_TEST(back->config()["kernel_size"] == nlohmann::json({3, 2}));
  // the same seed gives the same weights (the rebuilt layer is float32: dtype is not part of the config)
  BOOST_TEST(back->parameter("W").value().to_vector() == c.weight().value().to(DType::float32).to_vector());
  // one number means both axes
  nlohmann::json j = c.config();
  j["kernel_size"] = 3;
  BOOST_TEST((layer_from_config(j)->parameter("W").shape() == Shape{5, 3, 3, 3}));
}

BOOST_AUTO_TEST_CASE(bad_options_and_inputs) {
  ConvolutionOptions o = conv_options({1, 4, 4}, 2, {3, 3});
  ConvolutionLayer c(o);
  test::check_throws_with<ShapeError>(
      [&] {
        c.forward(constant(Tensor::zeros({2, 16}, DType::float64)));
      },
      {"ConvolutionLayer::preoutput", "[2,16]", "[N, 1, 4, 4]", "FeedForwardToCnn"});
  test::check_throws_with<ShapeError>(
      [&] {
        c.forward(constant(Tensor::zeros({2, 2, 4, 4}, DType::float64)));
      },
      {"ConvolutionLayer", "[2,2,4,4]", "[N, 1, 4, 4]"});
  test::check_throws_with<InvalidArgument>(
      [&] {
        c.forward(constant(Tensor::zeros({2, 1, 4, 4})));
      },
      {"ConvolutionLayer", "float32", "float64"});
  auto reject = [&](auto edit, const std::vector<std::string>& parts, bool shape = false) {
    ConvolutionOptions b = o;
    edit(b);
    if (shape)
      test::check_throws_with<ShapeError>([&] { ConvolutionLayer{b}; }, parts);
    else
      test::check_throws_with<InvalidArgument>([&] { ConvolutionLayer{b}; }, parts);
  };
  reject([](auto& b) { b.n_out = 0; }, {"ConvolutionLayer", "n_out"});
  reject([](auto& b) { b.input.channels = 0; }, {"ConvolutionLayer", "{0,4,4}"});
  reject([](auto& b) { b.window.kernel = {0, 3}; }, {"kernel_size (0, 3)"});
  reject([](auto& b) { b.window.stride = {1, 0}; }, {"stride (1, 0)"});
  reject([](auto& b) { b.window.dilation = {0, 1}; }, {"dilation (0, 1)"});
  reject([](auto& b) { b.activation = Activation::from_name("softmax"); }, {"softmax"});
  reject([](auto& b) { b.window.kernel = {5, 3}; }, {"ConvolutionLayer", "rows", "kernel_size (5, 3)"}, true);
  test::check_throws_with<InvalidArgument>(
      [&] {
        nlohmann::json j = c.config();
        j["convolution_mode"] = "Causal";
        layer_from_config(j);
      },
      {"Causal", "Truncate, Strict, Same"});
  test::check_throws_with<InvalidArgument>(
      [&] {
        nlohmann::json j = c.config();
        j.erase("input");
        layer_from_config(j);
      },
      {"missing \"input\""});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(deconvolution_2d)

BOOST_AUTO_TEST_CASE(shapes_and_values_by_hand) {
  ConvolutionOptions o = conv_options({1, 2, 2}, 1, {2, 2});
  o.window.stride = {2, 2};
  Deconvolution2D d(o);
  BOOST_TEST(d.type_name() == "Deconvolution2D");
  BOOST_TEST((d.weight().shape() == Shape{1, 1, 2, 2}));  // [nIn, nOut, kH, kW]
  BOOST_TEST((d.output_shape() == Shape{1, 4, 4}));       // 2*(2-1) + 2
  d.weight().mutable_value() = Tensor::full({1, 1, 2, 2}, 1.0, DType::float64);
  const Tensor x = Tensor::from({1, 1, 2, 2}, {1, 2, 3, 4}, DType::float64);
  test::check_close(d.forward(constant(x)).value(), {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, 1e-15,
                    "stride 2: each input fills a 2x2 block");
  o.window.stride = {1, 1};
  Deconvolution2D s(o);
  BOOST_TEST((s.output_shape() == Shape{1, 3, 3}));
  s.weight().mutable_value() = Tensor::full({1, 1, 2, 2}, 1.0, DType::float64);
  test::check_close(s.forward(constant(x)).value(), {1, 3, 2, 4, 10, 6, 3, 7, 4}, 1e-15, "stride 1: overlaps add");
  ConvolutionOptions wide = conv_options({3, 5, 4}, 2, {3, 3});
  wide.window.stride = {2, 3};
  wide.window.mode = ConvolutionMode::Same;
  BOOST_TEST((Deconvolution2D(wide).output_shape() == Shape{2, 10, 12}));  // DL4J Same: in * stride
  wide.window.kernel = {1, 1};  // kernel smaller than the stride: output padding fills the rest
  BOOST_TEST((Deconvolution2D(wide).output_shape() == Shape{2, 10, 12}));
}

BOOST_AUTO_TEST_CASE(gradient_checks) {
  const Tensor x = test::random_tensor({2, 3, 4, 3}, 8);
  ConvolutionOptions o = conv_options({3, 4, 3}, 2, {3, 2}, "tanh");
  o.window.stride = {2, 1};
  o.window.padding = {1, 0};
  for (ConvolutionMode m : {ConvolutionMode::Truncate, ConvolutionMode::Same}) {
    o.window.mode = m;
    BOOST_TEST_CONTEXT(convolution_mode_name(m)) {
      Deconvolution2D d(o);
      test::check_layer_gradients(d, x);
      test::check_config_round_trip(d);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_input) {
  Deconvolution2D d(conv_options({2, 3, 3}, 1, {2, 2}));
  test::check_throws_with<ShapeError>(
      [&] {
        d.forward(constant(Tensor::zeros({1, 3, 3, 3}, DType::float64)));
      },
      {"Deconvolution2D", "[1,3,3,3]", "[N, 2, 3, 3]"});
  ConvolutionOptions o = conv_options({1, 2, 2}, 1, {2, 2});
  o.window.padding = {2, 2};
  test::check_throws_with<ShapeError>([&] { Deconvolution2D{o}; }, {"Deconvolution2D", "padding (2, 2)", "crops"});
}

BOOST_AUTO_TEST_SUITE_END()
