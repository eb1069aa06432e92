#pragma once
// ConvolutionLayer, Deeplearning4j's 2-D ConvolutionLayer: x [N, C, H, W] -> activation(conv2d(x, W) + b)
// [N, K, OH, OW] with W [K, C, kh, kw] ("W", DL4J's layout [nOut, nIn, kH, kW]) and b [K] ("b", only when
// has_bias). conv2d is cross-correlation (autograd/ops/conv.hpp); OH, OW follow the convolution mode
// (cnn_geometry.hpp). C = input.channels (DL4J's nIn), K = n_out (DL4J's nOut). Weight init as DL4J's
// ConvolutionParamInitializer: fan_in = C*kh*kw, fan_out = K*kh*kw / (sh*sw). The activation must be
// elementwise (softmax is rejected). Defaults are DL4J's: kernel 5x5, stride 1, padding 0, dilation 1, Truncate,
// has_bias, XAVIER, sigmoid. Registered as layer type "ConvolutionLayer".
#include <cstdint>

#include "autograd/activation.hpp"
#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/init.hpp"
#include "nn/layers/layer.hpp"
#include "nn/optim/regularization.hpp"

namespace xgrad::nn {

struct ConvolutionOptions {
  ImageShape input{};     // {channels (DL4J's nIn), height, width} of one example
  std::size_t n_out = 0;  // output channels (DL4J's nOut)
  Window2d window{};      // kernel_size 5x5, stride 1, padding 0, dilation 1, Truncate
  Activation activation{ActivationKind::sigmoid};
  bool has_bias = true;
  WeightInitConfig weight_init{};
  double bias_init = 0;
  Regularization reg{};
  std::uint64_t seed = 0;
  DType dtype = DType::float32;

  /// Throws InvalidArgument naming `where` and the option.
  void validate(const std::string& where) const;
  /// Keys input, n_out, kernel_size, stride, padding, dilation, convolution_mode, activation, has_bias,
  /// weight_init, bias_init, l1, l2, l1_bias, l2_bias, seed (dtype is not part of the config).
  void write(nlohmann::json& j) const;
  static ConvolutionOptions read(const nlohmann::json& j);
};

class ConvolutionLayer : public Layer {
 public:
  explicit ConvolutionLayer(ConvolutionOptions options);
  std::string type_name() const override { return "ConvolutionLayer"; }
  /// activation(preoutput(x)); x must be [N, C, H, W] of input (ShapeError naming the layer and the shapes).
  Variable forward(const Variable& x) override;
  /// conv2d(x, W) + b, before the activation.
  Variable preoutput(const Variable& x);
  std::size_t n_in() const override { return options_.input.size(); }
  std::size_t n_out() const override { return output_.size(); }
  Shape input_shape() const override { return options_.input.shape(); }
  Shape output_shape() const override { return output_.shape(); }
  /// regularization_penalty(reg, {W}, {b}).
  Variable regularization() const override;
  nlohmann::json config() const override;

  const ConvolutionOptions& options() const { return options_; }
  Variable weight() const { return W_; }
  /// Undefined when has_bias is false.
  Variable bias() const { return b_; }

 protected:
  /// Deconvolution2D: W is [C, K, kh, kw] and the window op the transposed convolution.
  ConvolutionLayer(ConvolutionOptions options, bool transposed);

 private:
  ConvolutionOptions options_;
  bool transposed_;
  ImageShape output_;
  Variable W_, b_;
};

}  // namespace xgrad::nn
