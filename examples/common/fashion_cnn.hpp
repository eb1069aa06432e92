#pragma once
// The CNN of examples/cnn_classifier, shared with bench/conv_ops (which times one training step of it).
// Fashion-MNIST's flat [N, 784] rows enter through a FeedForwardToCnn preprocessor (DL4J's
// InputType.convolutionalFlat(28, 28, 1)); two blocks of
//   ConvolutionLayer 5x5, Same mode (padding 2), no bias -> BatchNormalization (relu) -> SubsamplingLayer MAX 2x2/2
// (1x28x28 -> 32x28x28 -> 32x14x14 -> 64x14x14 -> 64x7x7), a CnnToFeedForward preprocessor, a 256-unit relu
// Dense layer and a softmax OutputLayer (MCXENT) with dropout on its input (DL4J's retain probability 0.5).
// Adam, learning rate 1e-3 times 0.8 after every epoch.
#include <memory>

#include "nn/layers/batch_normalization.hpp"
#include "nn/layers/cnn_preprocessors.hpp"
#include "nn/layers/convolution.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/subsampling.hpp"
#include "nn/train/network.hpp"

namespace xgrad::examples {

namespace fashion_cnn_detail {
inline nn::ImageShape image_after(const nn::Layer& layer) {
  return nn::ImageShape::of(layer.output_shape(), layer.type_name());
}

// conv (no bias: the batch norm's beta is the shift) -> batch norm + relu -> 2x2 max pooling; appended to net.
inline nn::ImageShape conv_block(nn::Network& net, nn::ImageShape in, std::size_t channels, std::uint64_t seed) {
  nn::ConvolutionOptions c;
  c.input = in;
  c.n_out = channels;
  c.window.kernel = {5, 5};
  c.window.mode = nn::ConvolutionMode::Same;
  c.activation = Activation::from_name("identity");
  c.has_bias = false;
  c.weight_init = nn::WeightInitConfig::from_name("RELU");
  c.seed = seed;
  auto conv = std::make_shared<nn::ConvolutionLayer>(c);
  net.add(conv);
  nn::BatchNormalizationOptions b;
  b.input = conv->output_shape();
  b.activation = Activation::from_name("relu");
  net.add(std::make_shared<nn::BatchNormalization>(b));
  nn::SubsamplingOptions p;
  p.input = image_after(*conv);
  p.pooling_type = nn::PoolingType::MAX;
  p.window.kernel = {2, 2};
  p.window.stride = {2, 2};
  auto pool = std::make_shared<nn::SubsamplingLayer>(p);
  net.add(pool);
  return image_after(*pool);
}
}  // namespace fashion_cnn_detail

/// The network described above, with its optimizer set.
inline std::unique_ptr<nn::Network> make_fashion_cnn() {
  using namespace fashion_cnn_detail;
  auto net = std::make_unique<nn::Network>();
  const nn::ImageShape input{1, 28, 28};
  net->add(std::make_shared<nn::FeedForwardToCnn>(input));
  nn::ImageShape h = conv_block(*net, input, 32, 1);
  h = conv_block(*net, h, 64, 2);
  net->add(std::make_shared<nn::CnnToFeedForward>(h));
  nn::DenseOptions d;
  d.n_in = h.size();
  d.n_out = 256;
  d.activation = Activation::from_name("relu");
  d.weight_init = nn::WeightInitConfig::from_name("RELU");
  d.seed = 3;
  net->add(std::make_shared<nn::Dense>(d));
  nn::OutputLayerOptions o(256, 10, nn::Loss::MCXENT, Activation::from_name("softmax"));
  o.dropout = 0.5;
  o.seed = 4;
  net->add(std::make_shared<nn::OutputLayer>(o));
  const double lr = 1e-3;
  net->set_optimizer(
      {{"type", "adam"},
       {"learning_rate", lr},
       {"schedule", {{"type", "Exponential"}, {"schedule_type", "EPOCH"}, {"initial_value", lr}, {"gamma", 0.8}}}});
  return net;
}

/// The minibatch size cnn_classifier trains with.
constexpr std::size_t fashion_cnn_batch_size = 64;

}  // namespace xgrad::examples
