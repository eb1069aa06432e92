#include "nn/layers/sequential.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"

namespace xgrad::nn {

Sequential::Sequential(std::vector<std::shared_ptr<Layer>> layers) {
  for (auto& l : layers) add(std::move(l));
}

Sequential& Sequential::add(std::shared_ptr<Layer> layer) {
  if (!layer) throw InvalidArgument("Sequential::add: layer " + std::to_string(layers_.size()) + " is null");
  if (!layers_.empty()) check_layers_fit("Sequential::add", layers_.size(), *layers_.back(), *layer);
  register_module(std::to_string(layers_.size()), layer);
  layer->train(is_training());
  layers_.push_back(std::move(layer));
  return *this;
}

const std::shared_ptr<Layer>& Sequential::layer(std::size_t i) const {
  if (i >= layers_.size())
    throw InvalidArgument("Sequential::layer: index " + std::to_string(i) + " out of range (size " +
                          std::to_string(layers_.size()) + ")");
  return layers_[i];
}

Variable Sequential::forward(const Variable& x) {
  if (layers_.empty()) throw InvalidArgument("Sequential::forward: no layers");
  Variable h = x;
  for (auto& l : layers_) h = l->forward(h);
  return h;
}

std::size_t Sequential::n_in() const {
  return layers_.empty() ? 0 : layers_.front()->n_in();
}
std::size_t Sequential::n_out() const {
  return layers_.empty() ? 0 : layers_.back()->n_out();
}

Variable Sequential::regularization() const {
  Variable total;
  for (const auto& l : layers_) {
    Variable r = l->regularization();
    if (r.is_leaf() && !r.requires_grad() && r.item() == 0) continue;  // a layer without a penalty
    total = total.defined() ? xgrad::add(total, r) : r;
  }
  return total.defined() ? total : Layer::regularization();
}

nlohmann::json Sequential::config() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : layers_) layers.push_back(l->config());
  return {{"type", "Sequential"}, {"layers", layers}};
}

namespace {
const bool registered = [] {
  register_layer_type("Sequential", [](const nlohmann::json& j) {
    if (!j.contains("layers") || !j["layers"].is_array())
      throw InvalidArgument("layer_from_config(Sequential): missing array \"layers\" in " + j.dump());
    auto s = std::make_shared<Sequential>();
    for (const auto& lj : j["layers"]) s->add(layer_from_config(lj));
    return s;
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
