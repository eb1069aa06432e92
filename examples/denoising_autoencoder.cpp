// Teaches: the denoising autoencoder. Each training image is corrupted with masking noise (every pixel
// zeroed with probability corruption_level, fresh each step) and the AutoEncoder layer learns to
// reconstruct the CLEAN image from it (DL4J reconstructs the corrupted one, which teaches nothing about
// noise). Writes denoising.png: a row of clean test images, the same images corrupted, and the denoised
// reconstructions; prints the test error of the corrupted and of the denoised images against the clean ones.
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "autograd/xgrad.hpp"
#include "common/example_args.hpp"
#include "common/example_data.hpp"
#include "nn/layers/autoencoder.hpp"
#include "nn/train/network.hpp"
#include "trainer/png.hpp"
#include "trainer/tile_grid.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {

// Mean over examples of the summed squared error per image.
double mean_squared_error(const Tensor& a, const Tensor& b) {
  const auto va = a.to_vector(), vb = b.to_vector();
  double s = 0;
  for (std::size_t i = 0; i < va.size(); ++i) s += (va[i] - vb[i]) * (va[i] - vb[i]);
  return s / static_cast<double>(a.shape()[0]);
}

Tensor first_rows(const Tensor& t, std::size_t n) {
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = i;
  return data::gather_rows(t, rows);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = examples::parse_example_args(argc, argv, "a denoising autoencoder on Fashion-MNIST");
  const auto t0 = std::chrono::steady_clock::now();

  const auto fm = examples::load_fashion_mnist(args);

  // 784 -> 256 sigmoid code -> 784 sigmoid reconstruction (tied weights), binary cross-entropy against the
  // clean pixels in [0,1], 40% of the input pixels masked in every training step.
  AutoEncoderOptions o;
  o.n_in = 784;
  o.n_out = 256;
  o.activation = Activation::from_name("sigmoid");
  o.loss = Loss::XENT;
  o.corruption_level = 0.4;
  o.seed = 1;
  auto ae = std::make_shared<AutoEncoder>(o);
  Network net({ae});
  net.set_optimizer({{"type", "adam"}, {"learning_rate", 1e-3}});

  FitOptions fit;
  fit.epochs = args.short_mode ? 1 : 5;
  fit.batch_size = 100;
  fit.seed = 2;
  std::printf("training the denoising autoencoder: %zu images, %zu epoch(s), corruption level %.1f\n", fm.train.size(),
              fit.epochs, o.corruption_level);
  net.pretrain(fm.train, fit);

  // The test set, corrupted once with the same masking noise, then denoised by the trained layer.
  ae->eval();
  NoGradGuard no_grad;
  const data::Dataset test = fm.test.head(args.short_mode ? 500 : 2000);
  const Tensor clean = test.features();
  ae->seed(99);  // corrupt() draws from the layer's own generator
  const Tensor corrupted = ae->corrupt(clean);
  const Tensor denoised = ae->reconstruct(constant(corrupted)).value();
  const Tensor plain = ae->reconstruct(constant(clean)).value();
  std::printf("\nsquared error per image against the clean test images (%zu images):\n", test.size());
  std::printf("  corrupted input:                   %8.2f\n", mean_squared_error(corrupted, clean));
  std::printf("  denoised (reconstruct(corrupted)): %8.2f\n", mean_squared_error(denoised, clean));
  std::printf("  reconstruct(clean):                %8.2f\n", mean_squared_error(plain, clean));

  const std::size_t shown = 10;
  const std::string png = args.out + "/denoising.png";
  const trainer::Image grid = trainer::tile_rows(
      {{"", {first_rows(clean, shown)}}, {"", {first_rows(corrupted, shown)}}, {"", {first_rows(denoised, shown)}}}, {},
      trainer::TileLayout{});
  trainer::write_png(png, grid);
  std::printf("\nwrote %s (%zux%zu): rows = clean, corrupted, denoised\n", png.c_str(), grid.width(), grid.height());
  std::printf("done in %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
