#include "nn/layers/cnn_preprocessors.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/shape.hpp"

namespace xgrad::nn {

FeedForwardToCnn::FeedForwardToCnn(ImageShape image) : image_(image) {
  image_.validate(type_name());
}

Variable FeedForwardToCnn::forward(const Variable& x) {
  if (x.dim() != 2 || x.shape()[0] == 0 || x.shape()[1] != image_.size())
    throw ShapeError(type_name() + image_.str() + "::forward: input " + shape_string(x.shape()) + " must be [N, " +
                     std::to_string(image_.size()) + "] (N >= 1 rows of C*H*W features)");
  return reshape(x, {x.shape()[0], image_.channels, image_.height, image_.width});
}

nlohmann::json FeedForwardToCnn::config() const {
  return {{"type", type_name()}, {"output", image_.to_json()}};
}

CnnToFeedForward::CnnToFeedForward(ImageShape image) : image_(image) {
  image_.validate(type_name());
}

Variable CnnToFeedForward::forward(const Variable& x) {
  check_image_input(type_name(), "forward", x, image_);
  return flatten(x, 1);
}

nlohmann::json CnnToFeedForward::config() const {
  return {{"type", type_name()}, {"input", image_.to_json()}};
}

namespace {
const bool registered = [] {
  register_layer_type("FeedForwardToCnn", [](const nlohmann::json& j) {
    return std::make_shared<FeedForwardToCnn>(ImageShape::from_json(config_field(j, "output")));
  });
  register_layer_type("CnnToFeedForward", [](const nlohmann::json& j) {
    return std::make_shared<CnnToFeedForward>(ImageShape::from_json(config_field(j, "input")));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
