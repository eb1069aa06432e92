// Teaches: the sparse autoencoder. An AutoEncoder layer with sigmoid hidden units and the KL sparsity
// penalty beta * sum_j KL(rho || rho_hat_j) (rho_hat_j = the mean activation of unit j over a batch) learns
// units that are rarely on, each responding to one kind of garment: its weights look like a template of a
// shoe, a trouser leg or a shirt outline. Writes sparse_filters.png (each column of W, the weights into one
// hidden unit, as a 28x28 tile, contrast-stretched per tile) and prints the mean activation of every hidden
// unit on the test set beside the target rho.
#include <algorithm>
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

int main(int argc, char** argv) {
  const auto args = examples::parse_example_args(argc, argv, "a sparse autoencoder and its learned filters");
  const auto t0 = std::chrono::steady_clock::now();

  const auto fm = examples::load_fashion_mnist(args);

  // 784 -> 100 sigmoid units -> 784, binary cross-entropy, target mean activation rho = 0.05 with weight
  // beta = 10 (the cross-entropy is summed over 784 pixels, so the penalty needs a large weight), no corruption.
  AutoEncoderOptions o;
  o.n_in = 784;
  o.n_out = 100;
  o.activation = Activation::from_name("sigmoid");
  o.loss = Loss::XENT;
  o.corruption_level = 0.0;
  o.sparsity = 0.05;
  o.sparsity_beta = 10.0;
  o.seed = 1;
  auto ae = std::make_shared<AutoEncoder>(o);
  Network net({ae});
  net.set_optimizer({{"type", "adam"}, {"learning_rate", 3e-3}});

  FitOptions fit;
  fit.epochs = args.short_mode ? 1 : 5;
  fit.batch_size = 200;
  fit.seed = 2;
  std::printf("training the sparse autoencoder: %zu images, %zu epoch(s), rho = %.2f, beta = %.1f\n", fm.train.size(),
              fit.epochs, o.sparsity, o.sparsity_beta);
  net.pretrain(fm.train, fit);

  // Mean activation of each hidden unit over the test set.
  ae->eval();
  NoGradGuard no_grad;
  const Tensor codes = ae->forward(constant(fm.test.features())).value();
  const std::size_t n = codes.shape()[0], units = codes.shape()[1];
  std::vector<double> rho_hat(units, 0.0);
  const auto c = codes.to_vector();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < units; ++j) rho_hat[j] += c[i * units + j] / static_cast<double>(n);

  std::printf("\nmean activation rho_hat_j of each hidden unit on %zu test images (target rho = %.3f):\n", n,
              o.sparsity);
  for (std::size_t j = 0; j < units; ++j) std::printf("%s%6.3f", j % 10 == 0 ? (j ? "\n  " : "  ") : " ", rho_hat[j]);
  std::vector<double> sorted = rho_hat;
  std::sort(sorted.begin(), sorted.end());
  double avg = 0;
  for (double v : rho_hat) avg += v / static_cast<double>(units);
  std::printf("\n  average %.4f, median %.4f, min %.4f, max %.4f   (target %.4f)\n", avg, sorted[units / 2],
              sorted.front(), sorted.back(), o.sparsity);
  std::printf("  sparsity penalty on the test codes: %.4f\n", ae->sparsity_penalty(constant(codes)).item());

  // The filters: column j of W [784, units] is the weight vector into unit j.
  // Weights have no fixed range: each tile is stretched to [0,1] by its own min and max.
  Tensor filters = transpose(ae->parameter("W")).value().to(DType::float64);
  for (std::size_t j = 0; j < units; ++j) {
    double lo = filters.at(j * 784), hi = lo;
    for (std::size_t k = 0; k < 784; ++k)
      lo = std::min(lo, filters.at(j * 784 + k)), hi = std::max(hi, filters.at(j * 784 + k));
    for (std::size_t k = 0; k < 784; ++k)
      filters.set(j * 784 + k, (filters.at(j * 784 + k) - lo) / std::max(hi - lo, 1e-12));
  }
  const std::string png = args.out + "/sparse_filters.png";
  const trainer::Image grid = trainer::image_grid(filters, 10);
  trainer::write_png(png, grid);
  std::printf("\nwrote %s (%zux%zu): %zu filters as 28x28 tiles\n", png.c_str(), grid.width(), grid.height(), units);
  std::printf("done in %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
