#pragma once
// Geometry shared by the CNN layers (ConvolutionLayer, Deconvolution2D, SubsamplingLayer, Upsampling2D,
// BatchNormalization, LayerNormalization, the CNN preprocessors).
//
// How 4-D activations fit the Layer interface: a CNN layer is configured with the per-example shape of its
// input, ImageShape {channels, height, width} (DL4J's InputType.convolutional(h, w, c); DL4J's nIn is
// `channels`), takes x [N, C, H, W] and returns [N, C', H', W']. Its n_in() and n_out() are the flattened
// sizes C*H*W and C'*H'*W', and input_shape()/output_shape() the per-example shapes {C,H,W}, {C',H',W'}, so
// Network/Sequential check that neighbours fit shape by shape. Flat rows [N, C*H*W] (DL4J's
// InputType.convolutionalFlat, e.g. Fashion-MNIST's [N, 784]) enter through FeedForwardToCnn, and a CNN
// stack meets Dense layers through CnnToFeedForward (cnn_preprocessors.hpp), as in DL4J.
//
// ConvolutionMode (DL4J's), per spatial axis with input size in, kernel k, stride s, dilation d and the
// dilated kernel extent e = d*(k-1) + 1:
//   Truncate  out = floor((in + 2p - e) / s) + 1; rows that do not fill a window are dropped (DL4J's default).
//   Strict    as Truncate, but (in + 2p - e) must be divisible by s (InvalidArgument otherwise).
//   Same      out = ceil(in / s); the configured padding is ignored; the total padding
//             t = max(0, (out-1)*s + e - in) is split t/2 before and t - t/2 after (the extra one at the end).
// For transposed convolutions (Deconvolution2D) Truncate/Strict give out = s*(in-1) + e - 2p and Same gives
// out = s*in (DL4J's Deconvolution2D rules).
#include <array>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "autograd/variable.hpp"

namespace xgrad::nn {

/// Per-example shape of an image activation: channels x height x width (NCHW without N).
struct ImageShape {
  std::size_t channels = 0, height = 0, width = 0;

  std::size_t size() const { return channels * height * width; }
  /// {channels, height, width}.
  Shape shape() const { return {channels, height, width}; }
  /// "{C,H,W}", as summary() prints shapes.
  std::string str() const;
  /// From a per-example shape {C,H,W}; ShapeError naming `where` for any other rank.
  static ImageShape of(const Shape& per_example, const std::string& where);
  /// Throws InvalidArgument naming `where` when a dimension is 0.
  void validate(const std::string& where) const;
  /// [C, H, W] / from [C, H, W] (InvalidArgument naming the value otherwise).
  nlohmann::json to_json() const;
  static ImageShape from_json(const nlohmann::json& j);
  bool operator==(const ImageShape& o) const {
    return channels == o.channels && height == o.height && width == o.width;
  }
  bool operator!=(const ImageShape& o) const { return !(*this == o); }
};

enum class ConvolutionMode { Truncate, Strict, Same };

/// "Truncate", "Strict", "Same" (DL4J's names); parsing is case-insensitive and names the known modes.
std::string convolution_mode_name(ConvolutionMode mode);
ConvolutionMode convolution_mode_from_name(const std::string& name);

/// (rows, columns).
using Size2 = std::array<std::size_t, 2>;

/// [a, b] in JSON; reading also accepts one number n for [n, n]. InvalidArgument naming `key` otherwise.
nlohmann::json size2_to_json(const Size2& s);
Size2 size2_from_json(const nlohmann::json& j, const std::string& key);

/// The padding of one window op (conv or pooling) resolved from the mode, for the ops' options:
/// `padding` before and after each axis and `extra_end_padding` more after.
struct ResolvedPadding {
  Size2 padding{0, 0}, extra_end_padding{0, 0};
};

/// A sliding-window configuration as the layers hold it (DL4J's kernelSize, stride, padding, dilation,
/// convolutionMode).
struct Window2d {
  Size2 kernel{5, 5}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  ConvolutionMode mode = ConvolutionMode::Truncate;

  /// kernel, stride, dilation >= 1 (InvalidArgument naming `where` and the option otherwise).
  void validate(const std::string& where) const;
  /// Padding for a window op over an input of `in` (height, width), by the mode's rule above.
  ResolvedPadding resolve(const Size2& in) const;
  /// Output (height, width) of the window op over `in`; ShapeError naming `where`, the input and the window
  /// when the window does not fit, InvalidArgument for a Strict mode that does not divide.
  Size2 output_size(const std::string& where, const Size2& in) const;
  /// Padding and output_padding for a transposed convolution with the mode's rule above (see conv.hpp).
  ResolvedPadding resolve_transposed(Size2& output_padding) const;
  /// Output (height, width) of the transposed window op over `in`; ShapeError naming `where` below 1.
  Size2 transposed_output_size(const std::string& where, const Size2& in) const;

  /// Writes/reads kernel_size, stride, padding, dilation, convolution_mode (missing keys keep the defaults
  /// of `defaults`).
  void write(nlohmann::json& j) const;
  static Window2d read(const nlohmann::json& j, const Window2d& defaults);
  bool operator==(const Window2d& o) const {
    return kernel == o.kernel && stride == o.stride && padding == o.padding && dilation == o.dilation && mode == o.mode;
  }
};

/// j[key] of a layer config; InvalidArgument "layer config: missing \"key\" in {...}" when absent.
const nlohmann::json& config_field(const nlohmann::json& j, const char* key);

/// Checks that x is [N, per_example...] with N >= 1 (ShapeError "<layer>::<where>: input [..] must be [N, ..]"
/// otherwise) and, when `param` is defined, that x has its dtype (InvalidArgument).
void check_layer_input(const std::string& layer, const char* where, const Variable& x, const Shape& per_example,
                       const Variable& param = Variable());
/// check_layer_input for an image [N, C, H, W].
inline void check_image_input(const std::string& layer, const char* where, const Variable& x,
                              const ImageShape& expected, const Variable& param = Variable()) {
  check_layer_input(layer, where, x, expected.shape(), param);
}

}  // namespace xgrad::nn
