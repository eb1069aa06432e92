#pragma once
// Upsampling2D, Deeplearning4j's nearest-neighbour upsampling: x [N, C, H, W]
// -> y [N, C, H*sh, W*sw], y[n,c,i,j] = x[n,c,i/sh,j/sw]
// (autograd/ops/upsample.hpp). No parameters. DL4J's default size is 1x1.
// Registered as layer type "Upsampling2D" ({"input": [C,H,W], "size": [sh,
// sw]}).
#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::nn {

struct Upsampling2DOptions {
  ImageShape input{};
  Size2 size{1, 1}; // (rows, columns) factors, >= 1
};

class Upsampling2D : public Layer {
public:
  explicit Upsampling2D(Upsampling2DOptions options);
  std::string type_name() const override { return "Upsampling2D"; }
  /// x must be [N, C, H, W] of input (ShapeError naming the layer and the
  /// shapes).
  Variable forward(const Variable &x) override;
  std::size_t n_in() const override { return options_.input.size(); }
  std::size_t n_out() const override { return output_.size(); }
  Shape input_shape() const override { return options_.input.shape(); }
  Shape output_shape() const override { return output_.shape(); }
  nlohmann::json config() const override;
  const Upsampling2DOptions &options() const { return options_; }

private:
  Upsampling2DOptions options_;
  ImageShape output_;
};

} // namespace xgrad::nn
