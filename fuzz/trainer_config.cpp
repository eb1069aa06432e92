// The trainer's --config JSON file, through the real command line: `xgrad-vae <command> --config FILE`, the
// command taken from the file's "command" key when it names one (train otherwise). For train the model
// settings then become VariationalAutoencoderOptions, and the effective config, applied to a fresh command
// line, gives the same effective config again.
#include <iostream>

#include "fuzz_support.hpp"
#include "trainer/cli.hpp"
#include "trainer/config_file.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"

using namespace xgrad::trainer;

namespace {
int parse(Cli& cli, const std::vector<std::string>& words) {
  std::vector<const char*> argv{"xgrad-vae"};
  for (const auto& w : words) argv.push_back(w.c_str());
  return cli.parse(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {  // Cli::parse reports each rejected file on std::cerr: not the fuzzer's log
    std::cerr.rdbuf(nullptr);
    return true;
  }();
  (void)quiet;
  std::string command = "train";
  if (const auto json = xgrad::fuzz::parse_json(data, size); json && json->is_object()) {
    const auto it = json->find("command");
    if (it != json->end() && it->is_string())
      for (const char* c : {"evaluate", "sample", "reconstruct", "anomaly", "latent-map"})
        if (*it == c) command = c;
  }
  const std::string& path = xgrad::fuzz::input_file(data, size, ".json");
  Cli cli;
  if (parse(cli, {command, "--config", path}) != -1) return 0;  // a UsageError, reported and mapped to exit 2
  try {
    if (command == "train") (void)vae_options(cli.run.model, 784, xgrad::nn::ImageShape{1, 28, 28}, 10, 1);
  } catch (const UsageError&) {
  }
  const nlohmann::json effective = effective_config(command, cli.bound(command));
  Cli again;
  if (parse(again, {command}) != -1) xgrad::fuzz::fail("a bare '" + command + "' does not parse");
  try {
    apply_config(again.bound(command), effective, "effective config");
  } catch (const UsageError& e) {
    xgrad::fuzz::fail(std::string("the effective config is rejected: ") + e.what() + ": " + effective.dump());
  }
  if (effective_config(command, again.bound(command)) != effective)
    xgrad::fuzz::fail("the effective config does not round-trip: " + effective.dump());
  return 0;
}
