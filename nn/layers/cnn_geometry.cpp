#include "nn/layers/cnn_geometry.hpp"

#include <algorithm>
#include <cctype>

#include "autograd/errors.hpp"
#include "nn/layers/layer.hpp"

namespace xgrad::nn {

namespace {
bool is_count(const nlohmann::json& j) {
  return j.is_number_integer() && j.get<long long>() >= 0;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string size2_str(const Size2& s) {
  return "(" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ")";
}

// Total Same-mode padding of one axis: out = ceil(in / s), t = max(0, (out-1)*s + extent - in).
std::size_t same_total_padding(std::size_t in, std::size_t stride, std::size_t extent) {
  const std::size_t out = (in + stride - 1) / stride;
  const std::size_t need = (out - 1) * stride + extent;
  return need > in ? need - in : 0;
}
}  // namespace

std::string ImageShape::str() const {
  return shape_braces(shape());
}

ImageShape ImageShape::of(const Shape& s, const std::string& where) {
  if (s.size() != 3)
    throw ShapeError(where + ": expected a per-example image shape {C,H,W}, got " + shape_string(s) +
                     " (a flat layer output: put a FeedForwardToCnn preprocessor in between)");
  return {s[0], s[1], s[2]};
}

void ImageShape::validate(const std::string& where) const {
  if (channels == 0 || height == 0 || width == 0)
    throw InvalidArgument(where + ": the input image shape " + str() + " (channels, height, width) has a 0");
}

nlohmann::json ImageShape::to_json() const {
  return {channels, height, width};
}

ImageShape ImageShape::from_json(const nlohmann::json& j) {
  if (!j.is_array() || j.size() != 3 || !is_count(j[0]) || !is_count(j[1]) || !is_count(j[2]))
    throw InvalidArgument("layer config: \"input\" must be [channels, height, width], got " + j.dump());
  return {j[0].get<std::size_t>(), j[1].get<std::size_t>(), j[2].get<std::size_t>()};
}

std::string convolution_mode_name(ConvolutionMode mode) {
  switch (mode) {
    case ConvolutionMode::Truncate:
      return "Truncate";
    case ConvolutionMode::Strict:
      return "Strict";
    case ConvolutionMode::Same:
      return "Same";
  }
  return "?";
}

ConvolutionMode convolution_mode_from_name(const std::string& name) {
  const std::string n = lower(name);
  if (n == "truncate") return ConvolutionMode::Truncate;
  if (n == "strict") return ConvolutionMode::Strict;
  if (n == "same") return ConvolutionMode::Same;
  throw InvalidArgument("convolution_mode: unknown mode '" + name + "' (known: Truncate, Strict, Same)");
}

nlohmann::json size2_to_json(const Size2& s) {
  return {s[0], s[1]};
}

Size2 size2_from_json(const nlohmann::json& j, const std::string& key) {
  if (is_count(j)) return {j.get<std::size_t>(), j.get<std::size_t>()};
  if (j.is_array() && j.size() == 2 && is_count(j[0]) && is_count(j[1]))
    return {j[0].get<std::size_t>(), j[1].get<std::size_t>()};
  throw InvalidArgument("layer config: \"" + key + "\" must be [rows, columns] or one non-negative number, got " +
                        j.dump());
}

void Window2d::validate(const std::string& where) const {
  for (int a = 0; a < 2; ++a) {
    if (kernel[a] == 0) throw InvalidArgument(where + ": kernel_size " + size2_str(kernel) + " must be >= 1");
    if (stride[a] == 0) throw InvalidArgument(where + ": stride " + size2_str(stride) + " must be >= 1");
    if (dilation[a] == 0) throw InvalidArgument(where + ": dilation " + size2_str(dilation) + " must be >= 1");
  }
}

ResolvedPadding Window2d::resolve(const Size2& in) const {
  ResolvedPadding r;
  if (mode != ConvolutionMode::Same) {
    r.padding = padding;
    return r;
  }
  for (int a = 0; a < 2; ++a) {
    const std::size_t t = same_total_padding(in[a], stride[a], dilation[a] * (kernel[a] - 1) + 1);
    r.padding[a] = t / 2;
    r.extra_end_padding[a] = t % 2;
  }
  return r;
}

Size2 Window2d::output_size(const std::string& where, const Size2& in) const {
  const ResolvedPadding r = resolve(in);
  Size2 out{};
  for (int a = 0; a < 2; ++a) {
    const std::size_t extent = dilation[a] * (kernel[a] - 1) + 1;
    const std::size_t padded = in[a] + 2 * r.padding[a] + r.extra_end_padding[a];
    if (extent > padded)
      throw ShapeError(where + ": the " + (a == 0 ? "rows" : "columns") + " of the window (kernel_size " +
                       size2_str(kernel) + ", dilation " + size2_str(dilation) + ", extent " + std::to_string(extent) +
                       ") do not fit the padded input (" + std::to_string(in[a]) +
                       " + padding = " + std::to_string(padded) + ")");
    if (mode == ConvolutionMode::Strict && (padded - extent) % stride[a] != 0)
      throw InvalidArgument(where + ": convolution_mode Strict: input " + size2_str(in) + ", kernel_size " +
                            size2_str(kernel) + ", stride " + size2_str(stride) + ", padding " + size2_str(padding) +
                            " do not tile the " + (a == 0 ? "rows" : "columns") + " exactly (use Truncate or Same)");
    out[a] = (padded - extent) / stride[a] + 1;
  }
  return out;
}

ResolvedPadding Window2d::resolve_transposed(Size2& output_padding) const {
  ResolvedPadding r;
  output_padding = {0, 0};
  if (mode != ConvolutionMode::Same) {
    r.padding = padding;
    return r;
  }
  // out = (in-1)*s - 2p - e + extent + op should be in*s: 2p + e - op = extent - s.
  for (int a = 0; a < 2; ++a) {
    const std::size_t extent = dilation[a] * (kernel[a] - 1) + 1;
    if (extent >= stride[a]) {
      r.padding[a] = (extent - stride[a]) / 2;
      r.extra_end_padding[a] = (extent - stride[a]) % 2;
    } else {
      output_padding[a] = stride[a] - extent;
    }
  }
  return r;
}

Size2 Window2d::transposed_output_size(const std::string& where, const Size2& in) const {
  Size2 op{};
  const ResolvedPadding r = resolve_transposed(op);
  Size2 out{};
  for (int a = 0; a < 2; ++a) {
    const std::size_t extent = dilation[a] * (kernel[a] - 1) + 1;
    const std::size_t full = (in[a] - 1) * stride[a] + extent + op[a];
    const std::size_t crop = 2 * r.padding[a] + r.extra_end_padding[a];
    if (crop >= full)
      throw ShapeError(where + ": padding " + size2_str(padding) + " crops the whole transposed-convolution output (" +
                       std::to_string(full) + " " + (a == 0 ? "rows" : "columns") + " before cropping) of input " +
                       size2_str(in));
    out[a] = full - crop;
  }
  return out;
}

void Window2d::write(nlohmann::json& j) const {
  j["kernel_size"] = size2_to_json(kernel);
  j["stride"] = size2_to_json(stride);
  j["padding"] = size2_to_json(padding);
  j["dilation"] = size2_to_json(dilation);
  j["convolution_mode"] = convolution_mode_name(mode);
}

Window2d Window2d::read(const nlohmann::json& j, const Window2d& defaults) {
  Window2d w = defaults;
  if (j.contains("kernel_size")) w.kernel = size2_from_json(j["kernel_size"], "kernel_size");
  if (j.contains("stride")) w.stride = size2_from_json(j["stride"], "stride");
  if (j.contains("padding")) w.padding = size2_from_json(j["padding"], "padding");
  if (j.contains("dilation")) w.dilation = size2_from_json(j["dilation"], "dilation");
  if (j.contains("convolution_mode")) w.mode = convolution_mode_from_name(j["convolution_mode"].get<std::string>());
  return w;
}

const nlohmann::json& config_field(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key))
    throw InvalidArgument(std::string("layer config: missing \"") + key + "\" in " + j.dump());
  return j[key];
}

void check_layer_input(const std::string& layer, const char* where, const Variable& x, const Shape& per_example,
                       const Variable& param) {
  const Shape& s = x.shape();
  bool fits = s.size() == per_example.size() + 1 && s[0] >= 1;
  for (std::size_t i = 0; fits && i < per_example.size(); ++i) fits = s[i + 1] == per_example[i];
  if (!fits) {
    std::string want = "[N";
    for (std::size_t d : per_example) want += ", " + std::to_string(d);
    const bool flat_into_image = per_example.size() == 3 && s.size() == 2;
    throw ShapeError(layer + "::" + where + ": input " + shape_string(s) + " must be " + want + "] (" +
                     (per_example.size() == 3 ? "NCHW, " : "") + "N >= 1" +
                     (flat_into_image ? "; flat rows enter through a FeedForwardToCnn preprocessor)" : ")"));
  }
  if (param.defined() && x.dtype() != param.dtype())
    throw InvalidArgument(layer + "::" + where + ": input is " + dtype_name(x.dtype()) + " but the layer is " +
                          dtype_name(param.dtype()) + " (convert one with Tensor::to / Module::to)");
}

}  // namespace xgrad::nn
