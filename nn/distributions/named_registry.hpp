#pragma once
// NamedRegistry: factories by type name, for the configurable families (priors, posteriors): a config is
// a bare name or an object {"type": name, ...options}; an unknown name raises InvalidArgument listing the
// registered ones and the function that registers more. Thread-safe; re-registering a name replaces it.
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/errors.hpp"

namespace xgrad::nn {

/// {"type": name} for a bare string, the object itself when it has a string "type"; InvalidArgument from
/// `where` otherwise.
nlohmann::json typed_config(const std::string& where, const nlohmann::json& config);

template <class Factory>
class NamedRegistry {
 public:
  /// `family` names the kind in messages ("prior"), `register_function` the function that adds one.
  NamedRegistry(std::string family, std::string register_function)
      : family_(std::move(family)), register_function_(std::move(register_function)) {}

  void add(const std::string& name, Factory factory) {
    if (name.empty() || !factory) throw InvalidArgument(register_function_ + ": empty name or null factory");
    std::lock_guard<std::mutex> lock(mutex_);
    factories_[name] = std::move(factory);
  }

  /// The factory registered under `name`; InvalidArgument from `where` listing the known names otherwise.
  Factory find(const std::string& where, const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = factories_.find(name);
    if (it != factories_.end()) return it->second;
    std::string known;
    for (const auto& [k, f] : factories_) known += (known.empty() ? "" : ", ") + k;
    throw InvalidArgument(where + ": unknown " + family_ + " '" + name + "' (registered: " + known +
                          "); register your own with " + register_function_);
  }

  /// The factory of config's type called with (the normalised config, args...); a field of the wrong JSON type
  /// becomes InvalidArgument naming `where`, the type and the config.
  template <class... Args>
  auto build(const std::string& where, const nlohmann::json& config, const Args&... args) const {
    const nlohmann::json cfg = typed_config(where, config);
    const std::string type = cfg["type"].template get<std::string>();
    const Factory factory = find(where, type);
    try {
      return factory(cfg, args...);
    } catch (const nlohmann::json::exception& e) {
      throw InvalidArgument(where + ": " + type + ": " + e.what() + " in " + config.dump());
    }
  }

  std::vector<std::string> names() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [k, f] : factories_) out.push_back(k);
    return out;
  }

 private:
  std::string family_, register_function_;
  mutable std::mutex mutex_;
  std::map<std::string, Factory> factories_;
};

}  // namespace xgrad::nn
