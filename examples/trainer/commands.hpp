#pragma once
// The subcommands of xgrad-vae. Each returns the process exit status (exit_codes.hpp) or throws
// UsageError / InputError / OutputError / Interrupted, which main() reports and maps to a status.
#include <string>

#include <nlohmann/json.hpp>

#include "trainer/settings.hpp"

namespace xgrad::trainer {

/// What a training run produced.
struct TrainOutcome {
  std::string out_dir, model_path;
  double test_neg_elbo = 0;
  double seconds = 0;
};

/// Trains a VAE into settings.train.out_dir: model.xgrad (checkpoint after every epoch), config.json
/// (`settings_json`, the effective settings), metrics.csv, reconstructions.png, samples.png,
/// loss_curves.png, for a 2-D latent space latent_manifold.png and latent_scatter.png, and report.md.
TrainOutcome train_command(const RunSettings& settings, const nlohmann::json& settings_json,
                           const std::string& command_line);
/// Prints test negative ELBO, log p(x) (k importance samples on a subset), bits/dim and DL4J's
/// reconstruction log-probability; with use.out also writes them as JSON.
int evaluate_command(const ModelUseSettings& use, const DataSettings& data, const EvaluateSettings& eval);
/// samples.png (or use.out) from z ~ N(0, I).
int sample_command(const ModelUseSettings& use, const SampleSettings& sample);
/// reconstructions.png (or use.out): test images beside their reconstructions.
int reconstruct_command(const ModelUseSettings& use, const DataSettings& data, const SampleSettings& sample);
/// anomaly.png (or use.out) and anomaly.csv: per class the most and least typical test images. With data.data_file:
/// anomaly_scores.csv (every row's scores), anomaly.md (anomaly_report.hpp) and its PNGs.
int anomaly_command(const ModelUseSettings& use, const DataSettings& data, const AnomalySettings& anomaly,
                    const std::string& command_line = "");
/// latent_manifold.png and latent_scatter.png of a 2-D latent model (`model`), written to out_dir; with
/// an empty `model` first trains one (train_command with `settings`, which must have latent 2).
int latent_map_command(const RunSettings& settings, const nlohmann::json& settings_json, const std::string& model,
                       const std::string& out_dir, const LatentMapSettings& map, const std::string& command_line);

/// set_num_threads(threads, or every core when 0); returns the count used.
int use_threads(int threads);
/// The directory of a model file ("." when it has none).
std::string directory_of(const std::string& path);
/// `explicit_path` if not empty, else <directory of model>/<file_name>.
std::string output_path(const std::string& explicit_path, const std::string& model, const std::string& file_name);

}  // namespace xgrad::trainer
