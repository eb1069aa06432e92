// `xgrad-vae sample`: images generated from the prior.
#include <iostream>

#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/pictures.hpp"
#include "trainer/png.hpp"

namespace xgrad::trainer {

int sample_command(const ModelUseSettings& use, const SampleSettings& sample) {
  LoadedVae model = load_vae(use.model);
  const std::string path = output_path(use.out, use.model, "samples.png");
  ensure_writable_directory(directory_of(path));
  use_threads(use.threads);
  Generator gen(use.seed);
  const Image img = samples_picture(*model.vae, sample.count, sample.cols, sample.mode == "random", gen);
  try {
    write_png(path, img);
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << sample.count << " images, " << sample.mode << " of p(x|z), z ~ N(0, I))\n";
  return kExitOk;
}

}  // namespace xgrad::trainer
