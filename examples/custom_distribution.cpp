// Teaches: writing your own reconstruction distribution. A Laplace p(x|z) takes about 40 lines built
// from existing ops (slice, abs, exp, sum): autograd supplies its gradients. It is registered by name, so
// a VAE configuration can say "laplace"; the library's conformance checker verifies it (gradient check
// in float64, the density integrates to 1, the sample mean matches mean(), validate() rejects NaN);
// then a VAE with it trains on (dequantised) Fashion-MNIST pixels and its configuration round-trips through
// JSON.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "autograd/kernels.hpp"
#include "autograd/xgrad.hpp"
#include "common/example_args.hpp"
#include "common/example_data.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/conformance.hpp"
#include "nn/layers/vae.hpp"
#include "nn/train/network.hpp"

using namespace xgrad;
using namespace xgrad::nn;

// ---------------------------------------------------------------- the user's distribution (about 40 lines)
// Laplace(mu, b) per data column. raw [N, 2D] = [mu | log b] (log b so that any real raw is a valid scale):
//   log p(x|raw) = sum_j ( -log 2 - log b_j - |x_j - mu_j| / b_j ),   mean = mu,
//   sample = mu + b (E1 - E2) with E1, E2 ~ Exponential(1) (the difference of two is Laplace(0, 1)).
class LaplaceDistribution : public ReconstructionDistribution {
 public:
  std::string name() const override { return "laplace"; }
  std::size_t input_size(std::size_t data_size) const override { return 2 * data_size; }

  Variable log_prob(const Variable& x, const Variable& raw) const override {
    check_shapes("log_prob", x.shape(), raw.shape());  // x [N,D], raw [N,2D], else a ShapeError
    const long d = static_cast<long>(x.shape()[1]);
    const Variable mu = slice(raw, 1, 0, d), log_b = slice(raw, 1, d, 2 * d);
    return sum(-log_b - abs(x - mu) * exp(-log_b) - std::log(2.0), 1);  // [N]
  }

  Tensor mean(const Tensor& raw) const override { return take_columns(raw, 0, data_size_of("mean", raw.shape(), 2)); }

  Tensor sample(const Tensor& raw, Generator& gen) const override {
    NoGradGuard no_grad;
    const std::size_t d = data_size_of("sample", raw.shape(), 2);
    const Variable mu = constant(take_columns(raw, 0, d)), b = exp(constant(take_columns(raw, d, 2 * d)));
    // -log(1 - U) is Exponential(1) for U uniform on [0, 1); log1p keeps it finite.
    const Variable e1 = -log1p(-constant(gen.uniform(mu.shape(), 0, 1, raw.dtype())));
    const Variable e2 = -log1p(-constant(gen.uniform(mu.shape(), 0, 1, raw.dtype())));
    return (mu + b * (e1 - e2)).value();
  }

  nlohmann::json config() const override { return {{"type", name()}}; }
};

// Registration: from now on {"type": "laplace"} (or just "laplace") names it in any configuration.
const bool laplace_registered = [] {
  register_distribution("laplace", [](const nlohmann::json&) { return std::make_shared<LaplaceDistribution>(); });
  return true;
}();
// ---------------------------------------------------------------- end of the user's distribution

// Dequantisation: the 8-bit pixel k (stored as k/255) becomes (k + U)/256, U ~ Uniform[0,1). A continuous
// density fitted to exact pixel values could grow without bound on the all-zero background; on dequantised
// data it cannot, and log p(x~) - D log 256 is a lower bound on the log-probability of the discrete pixels.
Tensor dequantise(const Tensor& x, Generator& gen) {
  return kernels::map2(x, gen.uniform(x.shape(), 0, 1, x.dtype()), [](auto&& pixel, auto&& u) {
    using T = kernels::value_of<decltype(pixel)>;
    return (pixel * T(255) + u) / T(256);
  });
}

int main(int argc, char** argv) {
  const auto args = examples::parse_example_args(argc, argv, "a user-written Laplace reconstruction distribution");
  const auto t0 = std::chrono::steady_clock::now();

  std::printf("conformance check of LaplaceDistribution (check_conformance):\n");
  const ConformanceReport report = check_conformance(LaplaceDistribution());
  std::printf("%s\n=> %s\n", report.str().c_str(), report.ok ? "CONFORMS" : "DOES NOT CONFORM");
  if (!report.ok) return 1;

  // A VAE whose p(x|z) is named by the registry, exactly as a configuration file would name it.
  VariationalAutoencoderOptions o;
  o.n_in = 784;
  o.n_out = 16;
  o.encoder_layer_sizes = {256};
  o.decoder_layer_sizes = {256};
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = distribution_from_config("laplace");
  o.seed = 1;
  auto vae = std::make_shared<VariationalAutoencoder>(o);
  Network net({vae});
  net.set_optimizer({{"type", "adam"}, {"learning_rate", 1e-3}});

  auto fm = examples::load_fashion_mnist(args, 1000, 20000);
  Generator gen(3);
  fm.train.set_features(dequantise(fm.train.features(), gen));
  fm.test.set_features(dequantise(fm.test.features(), gen));
  FitOptions fit;
  fit.epochs = args.short_mode ? 1 : 5;
  fit.batch_size = 100;
  fit.seed = 2;
  const data::Dataset test = fm.test.head(1000);
  std::printf("\nVAE 784-256-16 with p(x|z) = %s, %zu dequantised images, %zu epoch(s)\n",
              vae->distribution().describe().c_str(), fm.train.size(), fit.epochs);
  std::printf("  test negative ELBO before training: %10.2f nats\n", net.pretrain_score(0, test));
  net.pretrain(fm.train, fit);
  std::printf("  test negative ELBO after training:  %10.2f nats\n", net.pretrain_score(0, test));
  {
    NoGradGuard no_grad;
    const std::size_t n = args.short_mode ? 20 : 100, k = args.short_mode ? 100 : 1000;
    const Tensor ll = vae->log_likelihood(test.head(n).features(), k);
    double m = 0;
    for (double v : ll.to_vector()) m += v / static_cast<double>(ll.size());
    const double discrete = m - 784 * std::log(256.0);
    std::printf("  log p(x~) estimate (k = %zu, %zu test images): %.2f nats (a density on [0,1]^784: may exceed 0)\n",
                k, n, m);
    std::printf("  log P(8-bit pixels) >= log p(x~) - 784 log 256 = %.2f nats = %.3f bits/dim\n", discrete,
                -discrete / (784 * std::log(2.0)));
  }

  // The configuration names the distribution; layer_from_config rebuilds it through the registry.
  const nlohmann::json config = vae->config();
  const auto rebuilt = layer_from_config(config);
  std::printf("\nconfig reconstruction_distribution: %s\nrebuilt from JSON: %s, distribution %s\n",
              config["reconstruction_distribution"].dump().c_str(), rebuilt->type_name().c_str(),
              static_cast<VariationalAutoencoder&>(*rebuilt).distribution().describe().c_str());
  std::printf("done in %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
