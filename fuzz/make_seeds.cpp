// Writes the seed corpora of the harnesses into <dir>/<harness>/: valid inputs made by xgrad's own writers
// (IDX plain and gzip, NPY, model files) and config() of objects built through the registries, so the seeds
// follow the formats as the code writes them today. scripts/fuzz.sh runs it before fuzzing; the hand-written
// seeds (CSV, specs, trainer configs) are in fuzz/seeds/.
// Usage: fuzz_make_seeds DIR
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "autograd/xgrad.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/npy.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"
#include "nn/layers/layer.hpp"
#include "nn/optim/optimizers.hpp"
#include "nn/optim/schedules.hpp"
#include "nn/train/serialization.hpp"

using namespace xgrad;
namespace fs = std::filesystem;

namespace {
fs::path root;

std::string dir(const char* harness) {
  fs::create_directories(root / harness);
  return (root / harness).string() + "/";
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// config() of the layer a short config builds (so the seed lists every option).
nlohmann::json full_layer_config(const nlohmann::json& brief) {
  return nn::layer_from_config(brief)->config();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  root = argv[1];

  const std::string idx = dir("idx");
  std::vector<std::uint8_t> pixels(2 * 3 * 4);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 11);
  nn::data::write_idx(idx + "images.idx", {2, 3, 4}, pixels);
  nn::data::write_idx(idx + "images.idx.gz", {2, 3, 4}, pixels, true);
  nn::data::write_idx(idx + "labels.idx", {5}, {0, 1, 2, 3, 9});
  nn::data::write_idx(idx + "labels.idx.gz", {5}, {0, 1, 2, 3, 9}, true);

  const std::string npy = dir("npy");
  nn::data::write_npy(npy + "f32.npy", Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}, DType::float32));
  nn::data::write_npy(npy + "f64.npy", Tensor::from({4}, {0.5, -1, 1e300, 0}, DType::float64));
  nn::data::write_npy(npy + "3d.npy", Tensor::full({2, 1, 2}, 0.25, DType::float32));

  const std::vector<nlohmann::json> layers = {
      {{"type", "Dense"}, {"n_in", 3}, {"n_out", 2}, {"activation", "tanh"}},
      {{"type", "OutputLayer"}, {"n_in", 3}, {"n_out", 2}, {"loss", "mcxent"}},
      {{"type", "AutoEncoder"}, {"n_in", 4}, {"n_out", 2}},
      {{"type", "VariationalAutoencoder"},
       {"n_in", 4},
       {"n_out", 2},
       {"encoder_layer_sizes", {3}},
       {"decoder_layer_sizes", {3}}},
      {{"type", "Sequential"},
       {"layers", {{{"type", "Dense"}, {"n_in", 3}, {"n_out", 2}}, {{"type", "Dense"}, {"n_in", 2}, {"n_out", 1}}}}}};
  const std::string layer = dir("layer_config");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    try {
      write_text(layer + std::to_string(i) + ".json", full_layer_config(layers[i]).dump());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_make_seeds: layer seed %zu: %s\n", i, e.what());
      return 1;
    }
  }

  const std::string dist = dir("distribution_config");
  for (const auto& name : nn::registered_distributions()) {
    nlohmann::json brief = name;
    if (name == "composite")
      brief = {{"type", "composite"},
               {"parts", {{{"size", 2}, {"distribution", "bernoulli"}}, {{"size", 1}, {"distribution", "gaussian"}}}}};
    if (name == "loss_function") brief = {{"type", "loss_function"}, {"activation", "sigmoid"}, {"loss", "mse"}};
    write_text(dist + name + ".json", nn::distribution_from_config(brief)->config().dump());
  }

  const std::string opt = dir("optimizer_config");
  std::vector<nn::NamedParameter> params{{"W", parameter(Tensor::full({3, 2}, 0.1))}};
  for (const auto& type : nn::registered_optimizer_types()) {
    auto o = nn::optimizer_from_config(nlohmann::json{{"type", type}}, params);
    write_text(opt + type + ".json", o->config().dump());
  }
  auto adam = nn::optimizer_from_config(nlohmann::json{{"type", "adam"}}, params);
  adam->set_schedule(std::make_shared<nn::StepSchedule>(nn::ScheduleType::ITERATION, 0.1, 0.5, 10));
  adam->set_gradient_normalization({nn::GradientNormalization::ClipL2PerLayer, 2.0});
  adam->set_weight_decay({1e-4, true, false});
  write_text(opt + "adam_scheduled.json", adam->config().dump());
  auto sgd = nn::optimizer_from_config(nlohmann::json{{"type", "sgd"}}, params);
  sgd->set_schedule(
      std::make_shared<nn::MapSchedule>(nn::ScheduleType::EPOCH, std::map<std::size_t, double>{{0, 0.1}, {3, 0.01}}));
  write_text(opt + "sgd_map.json", sgd->config().dump());

  // A small VAE with its Adam state and trainer-style metadata, as `xgrad-vae train` writes model.xgrad.
  const std::string model = dir("model_file");
  auto vae = nn::layer_from_config(layers[3]);
  auto vae_opt = nn::optimizer_from_config(nlohmann::json{{"type", "adam"}}, vae->named_parameters());
  for (const auto& p : vae->named_parameters()) sum(square(p.variable)).backward();
  vae_opt->step();
  const nlohmann::json extra{{"settings", {{"binarization", "dynamic"}}}, {"epochs_completed", 1}, {"iteration", 1}};
  nn::save_model(model + "vae.xgrad", *vae, vae->config(), vae_opt.get(), extra);
  nn::save_model(model + "vae_bare.xgrad", *vae, vae->config());
  return 0;
}
