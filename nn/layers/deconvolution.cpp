#include "nn/layers/deconvolution.hpp"

namespace xgrad::nn {

Deconvolution2D::Deconvolution2D(ConvolutionOptions options) : ConvolutionLayer(std::move(options), true) {}

namespace {
const bool registered = [] {
  register_layer_type("Deconvolution2D", [](const nlohmann::json& j) {
    return std::make_shared<Deconvolution2D>(ConvolutionOptions::read(j));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
