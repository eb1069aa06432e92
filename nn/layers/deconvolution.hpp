#pragma once
// Deconvolution2D, Deeplearning4j's transposed 2-D convolution: x [N, C, H, W] ->
// activation(conv_transpose2d(x, W) + b) [N, K, OH, OW] with W [C, K, kh, kw] ("W", DL4J's [nIn, nOut, kH, kW])
// and b [K]. Output size (cnn_geometry.hpp): Truncate/Strict OH = sh*(H-1) + dh*(kh-1) + 1 - 2*ph, Same
// OH = sh*H. It is the adjoint of ConvolutionLayer's window op and takes ConvolutionLayer's options and defaults
// (DL4J: Deconvolution2D extends ConvolutionLayer). Registered as layer type "Deconvolution2D".
#include "nn/layers/convolution.hpp"

namespace xgrad::nn {

class Deconvolution2D : public ConvolutionLayer {
 public:
  explicit Deconvolution2D(ConvolutionOptions options);
  std::string type_name() const override { return "Deconvolution2D"; }
};

}  // namespace xgrad::nn
