// `xgrad-vae latent-map`: the pictures of a 2-D latent space, for a given model or after training one.
#include <filesystem>
#include <iostream>

#include "nn/data/fashion_mnist.hpp"
#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/pictures.hpp"
#include "trainer/png.hpp"

namespace xgrad::trainer {

int latent_map_command(const RunSettings& settings, const nlohmann::json& settings_json, const std::string& model,
                       const std::string& out_dir, const LatentMapSettings& map, const std::string& command_line) {
  std::string model_path = model;
  if (model_path.empty()) {
    if (settings.model.latent != 2)
      throw UsageError("latent-map: --latent must be 2 (the maps show a 2-D latent space), got " +
                       std::to_string(settings.model.latent));
    model_path = train_command(settings, settings_json, command_line).model_path;
  }
  LoadedVae loaded = load_vae(model_path);
  nn::VariationalAutoencoder& vae = *loaded.vae;
  if (vae.n_out() != 2)
    throw UsageError("latent-map: the model " + model_path + " has " + std::to_string(vae.n_out()) +
                     " latent dimensions; the maps need 2 (train with --latent 2, or run latent-map without --model)");
  use_threads(settings.train.threads);
  const FashionData data = load_fashion_data(settings.data, false, loaded.binarization(), vae.options().dtype);
  ensure_writable_directory(out_dir);
  namespace fs = std::filesystem;
  const std::string manifold = (fs::path(out_dir) / "latent_manifold.png").string();
  const std::string scatter = (fs::path(out_dir) / "latent_scatter.png").string();
  try {
    write_png(manifold, latent_manifold_picture(vae, map.grid, map.quantile));
    write_png(scatter,
              latent_scatter_picture(vae, data.test_x, data.test.labels(), nn::data::fashion_mnist_class_names()));
  } catch (const OutputError&) {
    throw;
  } catch (const DataError& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << manifold << " and " << scatter << "\n";
  return kExitOk;
}

}  // namespace xgrad::trainer
