#pragma once
// SubsamplingLayer, Deeplearning4j's 2-D pooling layer: x [N, C, H, W] -> y [N,
// C, OH, OW] per channel over kernel_size windows (autograd/ops/pooling.hpp),
// OH, OW by the convolution mode (cnn_geometry.hpp):
//   MAX    y = max over the window (gradient to the arg-max)
//   AVG    y = mean over the window; the divisor counts padding cells only when
//   avg_pool_include_pad_in_divisor SUM    y = sum over the window PNORM  y =
//   (sum over the window of |x|^pnorm)^(1/pnorm)
// Padding cells never contribute. No parameters. Defaults are DL4J's: MAX,
// kernel_size 1x1, stride 2x2, padding 0, dilation 1, Truncate,
// avgPoolIncludePadInDivisor false; PNORM needs pnorm >= 1 (DL4J has no default
// either). Registered as layer type "SubsamplingLayer".
#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::nn {

enum class PoolingType { MAX, AVG, SUM, PNORM };

/// "MAX", "AVG", "SUM", "PNORM"; parsing is case-insensitive and lists the
/// known names.
std::string pooling_type_name(PoolingType type);
PoolingType pooling_type_from_name(const std::string &name);

struct SubsamplingOptions {
  ImageShape input{};
  PoolingType pooling_type = PoolingType::MAX;
  Window2d window = default_window();
  std::size_t pnorm = 0; // PNORM's p, >= 1
  bool avg_pool_include_pad_in_divisor = false;

  /// DL4J's pooling defaults: kernel_size 1x1, stride 2x2.
  static Window2d default_window();
  void validate(const std::string &where) const;
  /// Keys input, pooling_type, kernel_size, stride, padding, dilation,
  /// convolution_mode, pnorm, avg_pool_include_pad_in_divisor.
  void write(nlohmann::json &j) const;
  static SubsamplingOptions read(const nlohmann::json &j);
};

class SubsamplingLayer : public Layer {
public:
  explicit SubsamplingLayer(SubsamplingOptions options);
  std::string type_name() const override { return "SubsamplingLayer"; }
  /// x must be [N, C, H, W] of input (ShapeError naming the layer and the
  /// shapes).
  Variable forward(const Variable &x) override;
  std::size_t n_in() const override { return options_.input.size(); }
  std::size_t n_out() const override { return output_.size(); }
  Shape input_shape() const override { return options_.input.shape(); }
  Shape output_shape() const override { return output_.shape(); }
  nlohmann::json config() const override;
  const SubsamplingOptions &options() const { return options_; }

private:
  SubsamplingOptions options_;
  ImageShape output_;
};

} // namespace xgrad::nn
