#include "nn/distributions/named_registry.hpp"

namespace xgrad::nn {

nlohmann::json typed_config(const std::string& where, const nlohmann::json& config) {
  nlohmann::json cfg = config.is_string() ? nlohmann::json{{"type", config.get<std::string>()}} : config;
  if (!cfg.is_object() || !cfg.contains("type") || !cfg["type"].is_string())
    throw InvalidArgument(where + ": expected a name or an object with a string \"type\", got " + config.dump());
  return cfg;
}

}  // namespace xgrad::nn
