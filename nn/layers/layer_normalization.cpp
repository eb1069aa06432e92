#include "nn/layers/layer_normalization.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/normalization.hpp"
#include "nn/layers/activation_json.hpp"
#include "nn/layers/cnn_geometry.hpp"

namespace xgrad::nn {

void LayerNormalizationOptions::validate(const std::string &where) const {
  if (input.size() != 1 && input.size() != 3)
    throw InvalidArgument(where + ": input " + shape_braces(input) +
                          " must be a per-example shape {D} or {C, H, W}");
  for (std::size_t d : input)
    if (d == 0)
      throw InvalidArgument(where + ": input " + shape_braces(input) +
                            " has a 0");
  if (!(eps > 0) || !std::isfinite(eps))
    throw InvalidArgument(where + ": eps must be > 0, got " +
                          std::to_string(eps));
  if (activation.kind == ActivationKind::softmax && input.size() == 3)
    throw InvalidArgument(
        where + ": activation softmax is not elementwise over an image");
}

void LayerNormalizationOptions::write(nlohmann::json &j) const {
  j["input"] = std::vector<std::size_t>(input.begin(), input.end());
  j["eps"] = eps;
  j["has_bias"] = has_bias;
  j["activation"] = activation_to_json(activation);
}

LayerNormalizationOptions
LayerNormalizationOptions::read(const nlohmann::json &j) {
  LayerNormalizationOptions o;
  const auto in = config_field(j, "input").get<std::vector<std::size_t>>();
  o.input = Shape(in.begin(), in.end());
  o.eps = j.value("eps", o.eps);
  o.has_bias = j.value("has_bias", true);
  if (j.contains("activation"))
    o.activation = activation_from_json(j["activation"]);
  return o;
}

LayerNormalization::LayerNormalization(LayerNormalizationOptions options)
    : options_(std::move(options)) {
  options_.validate(type_name());
  gain_ = register_parameter("gain",
                             Tensor::full(options_.input, 1.0, options_.dtype));
  if (options_.has_bias)
    bias_ = register_parameter("bias",
                               Tensor::zeros(options_.input, options_.dtype));
}

Variable LayerNormalization::forward(const Variable &x) {
  check_layer_input(type_name(), "forward", x, options_.input, gain_);
  return options_.activation.apply(layer_norm(x, gain_, bias_, options_.eps),
                                   is_training(), &rng());
}

nlohmann::json LayerNormalization::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("LayerNormalization", [](const nlohmann::json &j) {
    return std::make_shared<LayerNormalization>(
        LayerNormalizationOptions::read(j));
  });
  return true;
}();
} // namespace

} // namespace xgrad::nn
