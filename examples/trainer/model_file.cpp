#include "trainer/model_file.hpp"

#include <cmath>
#include <filesystem>

#include "nn/config_fields.hpp"
#include "nn/layers/init.hpp"
#include "trainer/architecture.hpp"
#include "trainer/distribution_spec.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/latent_spec.hpp"

namespace xgrad::trainer {

nn::VariationalAutoencoderOptions vae_options(const ModelSettings& m, std::size_t n_in, const nn::ImageShape& image,
                                              std::size_t batches_per_epoch, std::uint64_t seed) {
  nn::VariationalAutoencoderOptions o;
  o.n_in = n_in;
  o.n_out = m.latent;
  o.encoder_layer_sizes = m.encoder_layers;
  o.decoder_layer_sizes = m.decoder_layers;
  o.activation = Activation::from_name(m.activation);
  o.pzx_activation = Activation::from_name(m.pzx_activation);
  o.reconstruction_distribution = make_distribution(m.distribution, n_in);
  if (m.iwae_k > 0 && m.num_samples > 1)
    throw UsageError("--iwae-k " + std::to_string(m.iwae_k) + " and --num-samples " + std::to_string(m.num_samples) +
                     " conflict: the IWAE objective uses its k samples (leave --num-samples at 1)");
  o.num_samples = m.iwae_k > 0 ? m.iwae_k : m.num_samples;
  o.objective = m.iwae_k > 0 ? nn::VaeObjective::iwae : nn::VaeObjective::elbo;
  const LatentConfigs latent = latent_configs(m.prior, m.flow, m.latent_type);
  o.prior = latent.prior;
  o.posterior = latent.posterior;
  if (latent.width > 0) {
    if (m.latent != ModelSettings{}.latent && m.latent != latent.width)
      throw UsageError("--latent " + std::to_string(m.latent) + " conflicts with --latent-type '" + m.latent_type +
                       "', whose latent width is " + std::to_string(latent.width));
    o.n_out = latent.width;
  }
  o.beta = m.beta;
  o.kl_warmup_iterations = static_cast<std::size_t>(std::llround(m.kl_warmup_epochs * batches_per_epoch));
  o.weight_init = nn::WeightInitConfig::from_name(m.weight_init);
  o.reg.l1 = m.l1;
  o.reg.l2 = m.l2;
  o.seed = seed;
  o.dtype = m.dtype == "float64" ? DType::float64 : DType::float32;
  apply_architecture(m, image, o);
  try {
    o.validate("xgrad-vae");
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  return o;
}

ModelSettings model_settings_from(const nlohmann::json& s) {
  ModelSettings m;
  auto get = [&](const char* key, auto& field) {
    if (s.contains(key)) field = s.at(key).get<std::decay_t<decltype(field)>>();
  };
  get("architecture", m.architecture);
  get("encoder_layers", m.encoder_layers);
  get("decoder_layers", m.decoder_layers);
  get("latent", m.latent);
  get("activation", m.activation);
  get("pzx_activation", m.pzx_activation);
  get("distribution", m.distribution);
  get("num_samples", m.num_samples);
  get("beta", m.beta);
  get("kl_warmup", m.kl_warmup_epochs);
  get("iwae_k", m.iwae_k);
  get("prior", m.prior);
  get("flow", m.flow);
  get("latent_type", m.latent_type);
  get("weight_init", m.weight_init);
  get("l1", m.l1);
  get("l2", m.l2);
  get("dtype", m.dtype);
  return m;
}

nn::data::Binarization LoadedVae::binarization() const {
  if (extra.is_object() && extra.contains("settings") && extra["settings"].contains("binarization"))
    return nn::data::binarization_from_name(extra["settings"]["binarization"].get<std::string>());
  return nn::data::Binarization::none;
}

nn::data::ColumnPlan LoadedVae::columns() const {
  if (!extra.is_object() || !extra.contains("columns")) return {};
  nn::data::ColumnPlan plan = nn::data::ColumnPlan::from_json(extra["columns"]);
  if (plan.width() != vae->n_in())
    throw InvalidArgument("metadata columns: a plan of " + std::to_string(plan.width()) + " columns for a model of " +
                          std::to_string(vae->n_in()));
  return plan;
}

std::size_t LoadedVae::epochs_completed() const {
  return extra.is_object() && extra.contains("epochs_completed")
             ? nn::size_from_json(extra["epochs_completed"], "metadata epochs_completed")
             : 0;
}

void save_checkpoint(const std::string& path, const nn::VariationalAutoencoder& vae, const nn::Optimizer& optimizer,
                     const nlohmann::json& extra) {
  try {
    nn::save_model(path, vae, vae.config(), &optimizer, extra);
  } catch (const std::exception& e) {
    throw OutputError(std::string("cannot save the model: ") + e.what());
  }
}

LoadedVae load_vae(const std::string& path) {
  auto fail = [&](const std::string& why) -> InputError {
    return InputError("cannot read model file '" + path + "': " + why);
  };
  if (!std::filesystem::exists(path)) throw fail("no such file (train one with: xgrad-vae train --out DIR)");
  LoadedVae out;
  try {
    out.file = nn::load_model(path);
    std::shared_ptr<nn::Layer> layer = nn::layer_from_config(out.file.config);
    out.vae = std::dynamic_pointer_cast<nn::VariationalAutoencoder>(layer);
    if (!out.vae) throw fail("it holds a " + layer->type_name() + ", not a VariationalAutoencoder");
    nn::load_parameters_into(*out.vae, out.file);
    out.extra = out.file.extra;
    out.binarization();  // metadata that cannot be read is the file's fault: report it here, naming the file
    out.epochs_completed();
    out.columns();
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(e.what());
  }
  out.vae->eval();
  return out;
}

}  // namespace xgrad::trainer
