#include "trainer/config_file.hpp"

#include <fstream>

#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {
namespace {

/// The command-line words for a JSON value.
std::vector<std::string> words(const nlohmann::json& v, const std::string& where) {
  if (v.is_string()) return {v.get<std::string>()};
  if (v.is_boolean()) return {v.get<bool>() ? "true" : "false"};
  if (v.is_number()) return {v.dump()};
  if (v.is_array()) {
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (e.is_array() || e.is_object()) throw UsageError(where + ": nested arrays/objects are not allowed");
      auto w = words(e, where);
      out.insert(out.end(), w.begin(), w.end());
    }
    if (out.empty()) throw UsageError(where + ": empty list");
    return out;
  }
  throw UsageError(where + ": expected a string, number, boolean or list, got " + v.dump());
}

}  // namespace

void apply_config(const Command& command, const nlohmann::json& config, const std::string& source) {
  if (!config.is_object()) throw UsageError(source + ": the top level must be a JSON object");
  for (const auto& [key, value] : config.items()) {
    if (key == "command") continue;
    const BoundOption* bound = nullptr;
    for (const auto& b : command.options)
      if (b.key == key) bound = &b;
    if (bound == nullptr) {
      std::string known;
      for (const auto& b : command.options) known += (known.empty() ? "" : ", ") + b.key;
      throw UsageError(source + ": unknown key '" + key + "' for '" + command.app->get_name() + "' (known: " + known +
                       ")");
    }
    if (bound->option->count() > 0) continue;  // the command line wins
    const std::string where = source + ", key '" + key + "'";
    try {
      bound->option->clear();
      bound->option->add_result(words(value, where));
      bound->option->run_callback();
    } catch (const CLI::Error& e) {
      throw UsageError(where + ": " + e.what());
    }
  }
}

void apply_config_file(const Command& command, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("config file '" + path + "' cannot be read");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const nlohmann::json::exception& e) {
    throw UsageError("config file '" + path + "' is not valid JSON: " + e.what());
  }
  apply_config(command, j, "config file '" + path + "'");
}

nlohmann::json effective_config(const std::string& name, const Command& command) {
  nlohmann::json j{{"command", name}};
  bool user_data = false;
  for (const auto& b : command.options)
    if (b.key == "data") user_data = !b.value().get<std::string>().empty();
  for (const auto& b : command.options)
    if (user_data || !b.user_data_only) j[b.key] = b.value();
  return j;
}

}  // namespace xgrad::trainer
