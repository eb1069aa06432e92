#include "nn/layers/convolution.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/conv.hpp"
#include "nn/layers/activation_json.hpp"
#include "nn/config_fields.hpp"

namespace xgrad::nn {

void ConvolutionOptions::validate(const std::string& where) const {
  input.validate(where);
  if (n_out < 1) throw InvalidArgument(where + ": n_out (output channels) must be >= 1, got 0");
  window.validate(where);
  if (activation.kind == ActivationKind::softmax)
    throw InvalidArgument(where +
                          ": activation softmax is not elementwise; use it on a Dense/OutputLayer after a "
                          "CnnToFeedForward preprocessor");
  if (!std::isfinite(bias_init)) throw InvalidArgument(where + ": bias_init must be finite");
  reg.validate(where);
}

void ConvolutionOptions::write(nlohmann::json& j) const {
  j["input"] = input.to_json();
  j["n_out"] = n_out;
  window.write(j);
  j["activation"] = activation_to_json(activation);
  j["has_bias"] = has_bias;
  j["weight_init"] = weight_init.to_json();
  j["bias_init"] = bias_init;
  j.update(reg.to_json());
  j["seed"] = seed;
}

ConvolutionOptions ConvolutionOptions::read(const nlohmann::json& j) {
  ConvolutionOptions o;
  o.input = ImageShape::from_json(config_field(j, "input"));
  o.n_out = size_from_json(config_field(j, "n_out"), "layer config: n_out");
  o.window = Window2d::read(j, o.window);
  if (j.contains("activation")) o.activation = activation_from_json(j["activation"]);
  o.has_bias = j.value("has_bias", true);
  if (j.contains("weight_init")) o.weight_init = WeightInitConfig::from_json(j["weight_init"]);
  o.bias_init = j.value("bias_init", 0.0);
  o.reg = Regularization::from_json(j);
  o.seed = j.value("seed", std::uint64_t{0});
  return o;
}

ConvolutionLayer::ConvolutionLayer(ConvolutionOptions options) : ConvolutionLayer(std::move(options), false) {}

ConvolutionLayer::ConvolutionLayer(ConvolutionOptions options, bool transposed)
    : options_(std::move(options)), transposed_(transposed) {
  const std::string name = transposed_ ? "Deconvolution2D" : "ConvolutionLayer";
  options_.validate(name);
  const Window2d& w = options_.window;
  const Size2 in{options_.input.height, options_.input.width};
  const Size2 out = transposed_ ? w.transposed_output_size(name, in) : w.output_size(name, in);
  output_ = {options_.n_out, out[0], out[1]};
  seed(options_.seed);
  const std::size_t c = options_.input.channels, k = options_.n_out, area = w.kernel[0] * w.kernel[1];
  const std::size_t fan_out = std::max<std::size_t>(1, k * area / (w.stride[0] * w.stride[1]));
  const Shape shape = transposed_ ? Shape{c, k, w.kernel[0], w.kernel[1]} : Shape{k, c, w.kernel[0], w.kernel[1]};
  W_ = register_parameter("W",
                          initialize_weights(options_.weight_init, c * area, fan_out, shape, rng(), options_.dtype));
  if (options_.has_bias) b_ = register_parameter("b", Tensor::full(Shape{k}, options_.bias_init, options_.dtype));
}

Variable ConvolutionLayer::preoutput(const Variable& x) {
  check_image_input(type_name(), "preoutput", x, options_.input, W_);
  const Window2d& w = options_.window;
  const Size2 in{options_.input.height, options_.input.width};
  if (transposed_) {
    ConvTranspose2dOptions o;
    const ResolvedPadding pad = w.resolve_transposed(o.output_padding);
    o.stride = w.stride;
    o.padding = pad.padding;
    o.extra_end_padding = pad.extra_end_padding;
    o.dilation = w.dilation;
    return conv_transpose2d(x, W_, b_, o);
  }
  Conv2dOptions o;
  const ResolvedPadding pad = w.resolve(in);
  o.stride = w.stride;
  o.padding = pad.padding;
  o.extra_end_padding = pad.extra_end_padding;
  o.dilation = w.dilation;
  return conv2d(x, W_, b_, o);
}

Variable ConvolutionLayer::forward(const Variable& x) {
  return options_.activation.apply(preoutput(x), is_training(), &rng());
}

Variable ConvolutionLayer::regularization() const {
  return regularization_penalty(options_.reg, {W_}, b_.defined() ? std::vector<Variable>{b_} : std::vector<Variable>{});
}

nlohmann::json ConvolutionLayer::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("ConvolutionLayer", [](const nlohmann::json& j) {
    return std::make_shared<ConvolutionLayer>(ConvolutionOptions::read(j));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
