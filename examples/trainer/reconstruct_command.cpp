// `xgrad-vae reconstruct`: test images beside their reconstructions.
#include <iostream>

#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/pictures.hpp"
#include "trainer/png.hpp"

namespace xgrad::trainer {

int reconstruct_command(const ModelUseSettings& use, const DataSettings& data_settings, const SampleSettings& sample) {
  LoadedVae model = load_vae(use.model);
  const std::string path = output_path(use.out, use.model, "reconstructions.png");
  ensure_writable_directory(directory_of(path));
  use_threads(use.threads);
  const FashionData data = load_fashion_data(data_settings, false, model.binarization(), model.vae->options().dtype);
  const Image img = reconstructions_picture(*model.vae, data.test_x, sample.count, sample.cols);
  try {
    write_png(path, img);
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << std::min(sample.count, data.test.size())
            << " test images and their reconstructions)\n";
  return kExitOk;
}

}  // namespace xgrad::trainer
