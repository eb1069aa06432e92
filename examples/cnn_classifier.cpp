// Teaches: a convolutional network from DL4J-style layers. Fashion-MNIST's flat
// [N, 784] rows enter through a FeedForwardToCnn preprocessor (DL4J's
// InputType.convolutionalFlat(28, 28, 1)); two blocks of
//   ConvolutionLayer 5x5 (no bias) -> BatchNormalization (relu) ->
//   SubsamplingLayer MAX 2x2 / 2
// (32 then 64 channels: 1x28x28 -> 32x24x24 -> 32x12x12 -> 64x8x8 -> 64x4x4), a
// CnnToFeedForward preprocessor, a 256-unit relu Dense layer with dropout
// (DL4J's retain probability 0.5) and a softmax OutputLayer (MCXENT). Adam,
// learning rate 1e-3 times 0.8 after every epoch. Prints the summary (with each
// layer's output shape), then per epoch the training score, the test accuracy
// and the time, and finally the evaluation report.
//
//   cnn_classifier [--short] [--out DIR]     (--short: 2000 training / 1000
//   test images, one epoch)
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/example_args.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/layers/batch_normalization.hpp"
#include "nn/layers/cnn_preprocessors.hpp"
#include "nn/layers/convolution.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/subsampling.hpp"
#include "nn/train/network.hpp"
#include "nn/train/summary.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
// The layer's per-example output shape as the next CNN layer's input.
ImageShape image_after(const Layer &layer) {
  return ImageShape::of(layer.output_shape(), layer.type_name());
}

// conv (no bias: the batch norm's beta is the shift) -> batch norm + relu ->
// 2x2 max pooling; appended to net.
ImageShape conv_block(Network &net, ImageShape in, std::size_t channels,
                      std::uint64_t seed) {
  ConvolutionOptions c;
  c.input = in;
  c.n_out = channels;
  c.window.kernel = {5, 5};
  c.activation = Activation::from_name("identity");
  c.has_bias = false;
  c.weight_init = WeightInitConfig::from_name("RELU");
  c.seed = seed;
  auto conv = std::make_shared<ConvolutionLayer>(c);
  net.add(conv);
  BatchNormalizationOptions b;
  b.input = conv->output_shape();
  b.activation = Activation::from_name("relu");
  net.add(std::make_shared<BatchNormalization>(b));
  SubsamplingOptions p;
  p.input = image_after(*conv);
  p.pooling_type = PoolingType::MAX;
  p.window.kernel = {2, 2};
  p.window.stride = {2, 2};
  auto pool = std::make_shared<SubsamplingLayer>(p);
  net.add(pool);
  return image_after(*pool);
}
} // namespace

int main(int argc, char **argv) {
  const auto args = examples::parse_example_args(
      argc, argv, "a CNN (conv-BN-pool x2, dense, softmax) on Fashion-MNIST");
  try {
    data::FashionMnistOptions fo;
    const data::FashionMnist fm = data::load_fashion_mnist(fo);
    const data::Dataset train =
        args.short_mode ? fm.train.head(2000) : fm.train;
    const data::Dataset test = args.short_mode ? fm.test.head(1000) : fm.test;
    std::cout << "Fashion-MNIST: " << train.size() << " training and "
              << test.size() << " test images\n";

    Network net;
    const ImageShape input{1, 28, 28};
    net.add(std::make_shared<FeedForwardToCnn>(input));
    ImageShape h = conv_block(net, input, 32, 1);
    h = conv_block(net, h, 64, 2);
    net.add(std::make_shared<CnnToFeedForward>(h));
    DenseOptions d;
    d.n_in = h.size();
    d.n_out = 256;
    d.activation = Activation::from_name("relu");
    d.weight_init = WeightInitConfig::from_name("RELU");
    d.dropout = 0.5; // DL4J's retain probability, on the dense layer's input
    d.seed = 3;
    net.add(std::make_shared<Dense>(d));
    OutputLayerOptions o(256, 10, Loss::MCXENT,
                         Activation::from_name("softmax"));
    o.dropout = 0.5;
    o.seed = 4;
    net.add(std::make_shared<OutputLayer>(o));
    const double lr = 1e-3;
    net.set_optimizer({{"type", "adam"},
                       {"learning_rate", lr},
                       {"schedule",
                        {{"type", "Exponential"},
                         {"schedule_type", "EPOCH"},
                         {"initial_value", lr},
                         {"gamma", 0.8}}}});
    std::cout << summary(net) << "\n";

    FitOptions fit;
    fit.epochs = 1;
    fit.batch_size = 64;
    fit.seed = 42;
    const std::size_t epochs = args.short_mode ? 1 : 10;
    double total = 0;
    for (std::size_t e = 1; e <= epochs; ++e) {
      const auto t0 = std::chrono::steady_clock::now();
      net.fit(train, fit);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count();
      total += seconds;
      const double acc = net.evaluate(test, 500).accuracy();
      std::printf("epoch %zu: train score %.4f, test accuracy %.2f%%, %.1f s\n",
                  e, net.score(train, 500), 100 * acc, seconds);
      std::fflush(stdout);
    }
    const Evaluation ev =
        net.evaluate(test, 500, data::fashion_mnist_class_names());
    std::cout << "\n" << ev.to_string() << "\n";
    std::printf("test accuracy %.2f%% after %zu epochs, training time %.1f s\n",
                100 * ev.accuracy(), epochs, total);
    const std::string path = args.out + "/cnn_classifier.xgrad";
    net.save(path);
    std::cout << "saved the model to " << path << "\n";
  } catch (const xgrad::Error &e) {
    std::cerr << "cnn_classifier: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
