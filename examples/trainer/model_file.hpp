#pragma once
// The trainer's model file (model.xgrad, nn/train/serialization.hpp): the VAE's configuration and parameters,
// the optimizer's configuration and state, and "extra" training metadata:
//   {"settings": <effective config.json of the run>, "epochs_completed": n, "iteration": t,
//    "batch_iterator": BatchIterator::state(), "rng": {"seed", "stream"} (the VAE's generator),
//    "columns": nn::data::ColumnPlan::to_json() (train --data when the columns are listed, coded or standardised)}
// It is rewritten atomically after every epoch, so it is always the last completed checkpoint.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/data/column_plan.hpp"
#include "nn/data/dataset.hpp"
#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/vae.hpp"
#include "nn/optim/optimizer.hpp"
#include "nn/train/serialization.hpp"
#include "trainer/settings.hpp"

namespace xgrad::trainer {

/// VariationalAutoencoderOptions from the settings for data of width n_in whose rows are images of shape `image`
/// ({0,0,0}: no images; --architecture conv needs them). The KL warm-up in epochs becomes
/// round(kl_warmup_epochs * batches_per_epoch) iterations. Throws UsageError for a bad spec.
nn::VariationalAutoencoderOptions vae_options(const ModelSettings& model, std::size_t n_in, const nn::ImageShape& image,
                                              std::size_t batches_per_epoch, std::uint64_t seed);
/// Model settings read back from a settings JSON (effective config).
ModelSettings model_settings_from(const nlohmann::json& settings);

struct LoadedVae {
  std::shared_ptr<nn::VariationalAutoencoder> vae;
  nn::LoadedModel file;
  nlohmann::json extra;  // see the file comment (null for a VAE saved by other code)

  /// The run's binarisation ("none" when the file does not say).
  nn::data::Binarization binarization() const;
  std::size_t epochs_completed() const;
  /// The data's columns -> the model's (extra "columns", saved by train --data); the identity when absent.
  nn::data::ColumnPlan columns() const;
};

/// Writes the checkpoint atomically; throws OutputError naming the path.
void save_checkpoint(const std::string& path, const nn::VariationalAutoencoder& vae, const nn::Optimizer& optimizer,
                     const nlohmann::json& extra);
/// Loads a model file; throws InputError "cannot read model file '<path>': <reason>" when it is missing,
/// corrupt, does not hold a VariationalAutoencoder, or its metadata (binarisation, epochs) cannot be read.
LoadedVae load_vae(const std::string& path);

}  // namespace xgrad::trainer
