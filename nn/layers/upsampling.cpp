#include "nn/layers/upsampling.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/upsample.hpp"

namespace xgrad::nn {

Upsampling2D::Upsampling2D(Upsampling2DOptions options)
    : options_(std::move(options)) {
  options_.input.validate(type_name());
  if (options_.size[0] == 0 || options_.size[1] == 0)
    throw InvalidArgument(type_name() + ": size (" +
                          std::to_string(options_.size[0]) + ", " +
                          std::to_string(options_.size[1]) + ") must be >= 1");
  output_ = {options_.input.channels, options_.input.height * options_.size[0],
             options_.input.width * options_.size[1]};
}

Variable Upsampling2D::forward(const Variable &x) {
  check_image_input(type_name(), "forward", x, options_.input);
  return upsample2d(x, options_.size);
}

nlohmann::json Upsampling2D::config() const {
  return {{"type", type_name()},
          {"input", options_.input.to_json()},
          {"size", size2_to_json(options_.size)}};
}

namespace {
const bool registered = [] {
  register_layer_type("Upsampling2D", [](const nlohmann::json &j) {
    Upsampling2DOptions o;
    o.input = ImageShape::from_json(config_field(j, "input"));
    if (j.contains("size"))
      o.size = size2_from_json(j["size"], "size");
    return std::make_shared<Upsampling2D>(o);
  });
  return true;
}();
} // namespace

} // namespace xgrad::nn
