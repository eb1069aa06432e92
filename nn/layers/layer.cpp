#include "nn/layers/layer.hpp"

#include <map>
#include <mutex>

#include "autograd/errors.hpp"

namespace xgrad::nn {

Variable Layer::regularization() const {
  const auto params = parameters();
  return constant(0.0, params.empty() ? DType::float32 : params.front().dtype());
}

Variable Layer::pretrain_loss(const Variable&) {
  throw InvalidArgument(type_name() +
                        "::pretrain_loss: this layer is not pretrainable (only AutoEncoder and "
                        "VariationalAutoencoder layers have an unsupervised objective)");
}

std::string shape_braces(const Shape& s) {
  std::string out = "{";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "}";
}

void check_layers_fit(const std::string& where, std::size_t index, const Layer& prev, const Layer& next) {
  const Shape out = prev.output_shape(), in = next.input_shape();
  if (out == in) return;
  const std::string at = where + ": layer " + std::to_string(index) + " (" + next.type_name();
  const std::string before = "layer " + std::to_string(index - 1) + " (" + prev.type_name();
  if (out.size() == 1 && in.size() == 1)
    throw ShapeError(at + ", n_in " + std::to_string(next.n_in()) + ") does not fit " + before + ", n_out " +
                     std::to_string(prev.n_out()) + ")");
  std::string hint;
  if (out.size() == 3 && in.size() == 1) hint = " (put a CnnToFeedForward preprocessor in between)";
  if (out.size() == 1 && in.size() == 3) hint = " (put a FeedForwardToCnn preprocessor in between)";
  throw ShapeError(at + ", input " + shape_braces(in) + ") does not fit " + before + ", output " + shape_braces(out) +
                   ")" + hint);
}

namespace {
struct LayerRegistry {
  std::mutex mutex;
  std::map<std::string, LayerFactory> factories;
};
LayerRegistry& layer_registry() {
  static LayerRegistry r;
  return r;
}
}  // namespace

void register_layer_type(const std::string& type, LayerFactory factory) {
  LayerRegistry& r = layer_registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[type] = std::move(factory);
}

std::shared_ptr<Layer> layer_from_config(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
    throw InvalidArgument("layer_from_config: the config has no string field \"type\": " + config.dump());
  const std::string type = config["type"].get<std::string>();
  LayerFactory factory;
  {
    LayerRegistry& r = layer_registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.factories.find(type);
    if (it == r.factories.end()) {
      std::string known;
      for (auto& [k, f] : r.factories) known += (known.empty() ? "" : ", ") + k;
      throw InvalidArgument("layer_from_config: unknown layer type '" + type + "' (registered: " + known + ")");
    }
    factory = it->second;
  }
  try {
    return factory(config);
  } catch (const nlohmann::json::exception& e) {  // a field of the wrong type (a string for "n_in", ...)
    throw InvalidArgument("layer_from_config: " + type + ": " + e.what() + " in " + config.dump());
  }
}

std::vector<std::string> registered_layer_types() {
  LayerRegistry& r = layer_registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> out;
  for (auto& [k, f] : r.factories) out.push_back(k);
  return out;
}

}  // namespace xgrad::nn
