#pragma once
// The command line of xgrad-vae (CLI11): subcommands train, evaluate, sample, reconstruct, anomaly and
// latent-map, each with --help listing every option and its default. Every option is bound to a field
// of settings.hpp and known by a JSON key (its long name with '-' -> '_'), so a --config JSON file can
// give the same settings (command-line options win over the file) and the effective settings can be
// written back as JSON (config_file.hpp).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "trainer/settings.hpp"

namespace xgrad::trainer {

/// An option bound to a settings field.
struct BoundOption {
  CLI::Option* option = nullptr;
  std::string key;                        // JSON key
  std::function<nlohmann::json()> value;  // the field's current value
  bool user_data_only = false;            // in the effective config only when --data is given
};

/// A subcommand and its bound options.
struct Command {
  CLI::App* app = nullptr;
  std::vector<BoundOption> options;
  CLI::Option* config = nullptr;  // --config FILE.json
};

class Cli {
 public:
  Cli();
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  /// Parses the arguments and applies a --config file. Returns -1 to go on with command(), or the exit
  /// status after printing help (0) or an error message (kExitUsage).
  int parse(int argc, const char* const* argv);
  /// The chosen subcommand ("train", ...).
  const std::string& command() const { return command_; }
  const Command& bound(const std::string& command) const { return commands_.at(command); }
  CLI::App& app() { return app_; }

  RunSettings run;      // train
  RunSettings map_run;  // latent-map (latent 2, --out out/vae-2d)
  ModelUseSettings use;
  DataSettings use_data;  // evaluate, reconstruct, anomaly (binarisation comes from the model)
  std::string map_model;  // latent-map --model ("" = train first)
  EvaluateSettings evaluate;
  SampleSettings sample;
  AnomalySettings anomaly;
  LatentMapSettings latent_map;

 private:
  Command& add_command(const std::string& name, const std::string& description);
  void add_model_options(Command& c, ModelSettings& model);
  void add_data_options(Command& c, DataSettings& data, bool training);
  void add_train_options(Command& c, TrainSettings& train);
  void add_use_options(Command& c);

  CLI::App app_;
  std::map<std::string, Command> commands_;
  std::string command_;
};

}  // namespace xgrad::trainer
