#pragma once
// DL4J's CNN input preprocessors as layers without parameters (cnn_geometry.hpp explains the shapes):
//   FeedForwardToCnn  [N, C*H*W] -> [N, C, H, W]  (row-major: feature c*H*W + i*W + j goes to (c, i, j)), so a
//                     network takes flat rows such as Fashion-MNIST's [N, 784] (DL4J's InputType.convolutionalFlat).
//   CnnToFeedForward  [N, C, H, W] -> [N, C*H*W], the same order, in front of Dense layers.
// Both are reshapes (gradient: the reshape back). Registered as layer types "FeedForwardToCnn" and
// "CnnToFeedForward" ({"input": [C,H,W]} / {"output": [C,H,W]} for the image side).
#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::nn {

class FeedForwardToCnn : public Layer {
 public:
  /// `image` is the output's per-example shape {C, H, W}.
  explicit FeedForwardToCnn(ImageShape image);
  std::string type_name() const override { return "FeedForwardToCnn"; }
  /// x must be [N, C*H*W] (ShapeError naming the layer and the shapes).
  Variable forward(const Variable& x) override;
  std::size_t n_in() const override { return image_.size(); }
  std::size_t n_out() const override { return image_.size(); }
  Shape output_shape() const override { return image_.shape(); }
  nlohmann::json config() const override;
  const ImageShape& image() const { return image_; }

 private:
  ImageShape image_;
};

class CnnToFeedForward : public Layer {
 public:
  /// `image` is the input's per-example shape {C, H, W}.
  explicit CnnToFeedForward(ImageShape image);
  std::string type_name() const override { return "CnnToFeedForward"; }
  /// x must be [N, C, H, W] (ShapeError naming the layer and the shapes).
  Variable forward(const Variable& x) override;
  std::size_t n_in() const override { return image_.size(); }
  std::size_t n_out() const override { return image_.size(); }
  Shape input_shape() const override { return image_.shape(); }
  nlohmann::json config() const override;
  const ImageShape& image() const { return image_; }

 private:
  ImageShape image_;
};

}  // namespace xgrad::nn
