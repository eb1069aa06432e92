#pragma once
// Settings as JSON: a --config file fills every option of a command that the command line did not give
// (keys = long option names with '_' for '-', e.g. {"batch_size": 100, "encoder_layers": [256]}; the
// key "command" is ignored), through the options' own validators; the effective settings of a run are
// written back in the same form (config.json beside the model), so `--config config.json` repeats a run.
#include <string>

#include <nlohmann/json.hpp>

#include "trainer/cli.hpp"

namespace xgrad::trainer {

/// Applies the JSON object in `path` to `command`. Throws UsageError naming the file and the key for
/// unreadable JSON, an unknown key, or a value its option rejects (with the option's message).
void apply_config_file(const Command& command, const std::string& path);
/// Applies an already parsed JSON object (`source` names it in messages).
void apply_config(const Command& command, const nlohmann::json& config, const std::string& source);
/// {"command": name, key: value...} for every bound option of the command.
nlohmann::json effective_config(const std::string& name, const Command& command);

}  // namespace xgrad::trainer
