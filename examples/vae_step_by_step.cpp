// Teaches: the variational autoencoder's objective one term at a time. After a brief training run on
// binarised Fashion-MNIST, one minibatch of test images goes through every step of the ELBO with the
// numbers printed: the encoder's mu and log sigma^2, the noise eps, the reparameterised z, the
// reconstruction log-likelihood log p(x|z), the analytic KL beside its Monte-Carlo estimate, the ELBO,
// and the importance-weighted bound for k = 1, 10, 100, 1000 approaching log p(x). docs/vae-math.md
// explains each formula and quotes this program's output.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "autograd/xgrad.hpp"
#include "common/example_args.hpp"
#include "common/example_data.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/kl.hpp"
#include "nn/layers/vae.hpp"
#include "nn/optim/optimizers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {

constexpr std::size_t kShowCols = 5;

// Prints the first kShowCols columns of every row of a [N, C] tensor.
void print_rows(const char* name, const Tensor& t) {
  std::printf("%s  %s, first %zu columns:\n", name, shape_string(t.shape()).c_str(), kShowCols);
  const std::size_t rows = t.shape()[0], cols = t.shape()[1];
  for (std::size_t r = 0; r < rows; ++r) {
    std::printf("  x%zu:", r);
    for (std::size_t c = 0; c < std::min(cols, kShowCols); ++c) std::printf(" %8.4f", t.at(r * cols + c));
    std::printf("%s\n", cols > kShowCols ? "  ..." : "");
  }
}

double mean_of(const Tensor& t) {
  double s = 0;
  for (double v : t.to_vector()) s += v;
  return s / static_cast<double>(t.size());
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = examples::parse_example_args(argc, argv, "the VAE's ELBO step by step on one minibatch");
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t latent = 10, batch = 4;

  // ---- data: Fashion-MNIST pixels in [0,1]; training images dynamically binarised (a fresh Bernoulli draw
  // per use), the test minibatch binarised once with a fixed seed, so the Bernoulli likelihood is a true
  // probability of binary images.
  const auto fm = examples::load_fashion_mnist(args);
  Generator data_gen(7);
  const Tensor x_test = data::sample_binarize(fm.test.head(batch).features(), data_gen);
  const Variable x = constant(x_test);

  // ---- model: 784-256-10 encoder and 10-256-784 decoder, tanh, Bernoulli p(x|z) from logits.
  VariationalAutoencoderOptions o;
  o.n_in = 784;
  o.n_out = latent;
  o.encoder_layer_sizes = {256};
  o.decoder_layer_sizes = {256};
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = std::make_shared<BernoulliDistribution>();
  o.seed = 1;
  VariationalAutoencoder vae(o);

  // ---- train briefly (Adam 1e-3, batch 100), so that the numbers below describe a model that has learned.
  const std::size_t epochs = args.short_mode ? 1 : 3;
  Adam adam(vae.named_parameters(), AdamOptions{1e-3});
  data::BatchOptions bo;
  bo.batch_size = 100;
  bo.seed = 3;
  bo.binarization = data::Binarization::dynamic;
  data::BatchIterator batches(fm.train, bo);
  std::printf("training %zu epoch(s) on %zu binarised images ...\n", epochs, fm.train.size());
  for (std::size_t e = 0; e < epochs; ++e) {
    batches.start_epoch(e);
    data::Batch b;
    double total = 0;
    std::size_t n = 0;
    while (batches.next(b)) {
      adam.zero_grad();
      Variable loss = vae.pretrain_loss(constant(b.features));
      loss.backward();
      adam.step();
      total += loss.item();
      ++n;
    }
    std::printf("  epoch %zu: mean negative ELBO %.2f nats\n", e + 1, total / static_cast<double>(n));
  }
  vae.eval();
  NoGradGuard no_grad;  // from here on only values are needed
  Generator gen(11);

  std::printf("\n== 1. encode: q(z|x) = N(mu, diag sigma^2)            VariationalAutoencoder::encode\n");
  const DiagonalGaussian q = vae.encode(x);
  print_rows("mu", q.mu().value());
  print_rows("log sigma^2", q.logvar().value());

  std::printf("\n== 2. reparameterise: z = mu + exp(log sigma^2 / 2) * eps, eps ~ N(0, I)   reparameterise\n");
  const Tensor eps = q.draw_eps(gen, 1);
  const Variable z = VariationalAutoencoder::reparameterise(q.mu(), q.logvar(), eps);
  print_rows("eps", eps);
  print_rows("z", z.value());

  std::printf("\n== 3. decode z, score x: log p(x|z) = sum_j [x_j r_j - softplus(r_j)]   decode + log_prob\n");
  const Variable raw = vae.decode(z);
  const Tensor log_px_z = vae.distribution().log_prob(x, raw).value();
  // KL(q || p) three ways: the closed form, the one-sample estimate log q(z) - log p(z) at the z above,
  // and the Monte-Carlo average over 10000 samples.
  const StandardNormal prior(batch, latent, q.dtype());
  const ElboTerms terms = vae.elbo_given_eps(x, eps);  // the same eps: the same z, log p(x|z) and KL
  const Tensor kl = terms.kl.value();
  const Tensor kl_one = (q.log_prob(z) - prior.log_prob(z)).value();
  const Tensor kl_mc = monte_carlo_kl(q, prior, gen, 10000).value();
  std::printf("  %-4s %12s %12s %14s %16s %12s\n", "", "log p(x|z)", "KL analytic", "KL MC (L=1)", "KL MC (L=10000)",
              "ELBO");
  for (std::size_t n = 0; n < batch; ++n)
    std::printf("  x%-3zu %12.3f %12.3f %14.3f %16.3f %12.3f\n", n, log_px_z.at(n), kl.at(n), kl_one.at(n), kl_mc.at(n),
                -terms.negative_elbo.value().at(n));
  std::printf(
      "  ELBO = log p(x|z) - KL; same terms from VariationalAutoencoder::elbo_given_eps: "
      "log p(x|z) %.3f, KL %.3f (means)\n",
      mean_of(terms.reconstruction.value()), mean_of(kl));

  std::printf(
      "\n== 4. importance-weighted bound: IWAE_k = E log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x)   "
      "iwae_bound\n");
  std::printf("  (each IWAE_k is averaged over max(1, 1000/k) independent draws; k = 1 is the ELBO)\n");
  std::printf("  %-6s", "k");
  for (std::size_t n = 0; n < batch; ++n) std::printf("      x%zu", n);
  std::printf("      mean\n");
  for (std::size_t k : {1, 10, 100, 1000}) {
    const std::size_t repeats = std::max<std::size_t>(1, 1000 / k);
    std::vector<double> avg(batch, 0.0);
    for (std::size_t r = 0; r < repeats; ++r) {
      const Tensor b = vae.iwae_bound(x, k).value();
      for (std::size_t n = 0; n < batch; ++n) avg[n] += b.at(n) / static_cast<double>(repeats);
    }
    double m = 0;
    std::printf("  %-6zu", k);
    for (double v : avg) std::printf(" %8.2f", v), m += v / static_cast<double>(batch);
    std::printf("  %8.2f\n", m);
  }
  const Tensor log_px = vae.log_likelihood(x_test, 5000);
  std::printf("  %-6s", "5000");
  for (std::size_t n = 0; n < batch; ++n) std::printf(" %8.2f", log_px.at(n));
  std::printf("  %8.2f   <- log p(x) estimate, VariationalAutoencoder::log_likelihood(x, 5000)\n", mean_of(log_px));
  std::printf("  in bits/dim: %.4f   (-log p(x) / (784 ln 2))\n", -mean_of(log_px) / (784.0 * std::log(2.0)));

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("\ndone in %.1f s\n", secs);
  return 0;
}
