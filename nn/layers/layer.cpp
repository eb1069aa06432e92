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
