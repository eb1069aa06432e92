#include "trainer/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "autograd/kernels.hpp"
#include "autograd/tape.hpp"
#include "nn/data/dataset.hpp"
#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {
namespace {

/// Eval mode and a reseeded generator for the scope; restores both.
class EvalScope {
 public:
  EvalScope(nn::VariationalAutoencoder& vae, std::uint64_t seed)
      : vae_(vae), was_training_(vae.is_training()), seed_(vae.rng().seed()), stream_(vae.rng().stream()) {
    vae_.eval();
    vae_.rng().set_state(seed, 0);
  }
  ~EvalScope() {
    vae_.rng().set_state(seed_, stream_);
    vae_.train(was_training_);
  }

 private:
  nn::VariationalAutoencoder& vae_;
  bool was_training_;
  std::uint64_t seed_, stream_;
  NoGradGuard no_grad_;
};

/// Calls f(batch_x, begin) over batches of rows, updating the progress.
template <class F>
void for_batches(const Tensor& x, std::size_t batch, Progress* progress, const char* title, F f) {
  const std::size_t n = x.shape()[0];
  batch = std::max<std::size_t>(1, batch);
  if (progress) progress->start(title, (n + batch - 1) / batch);
  for (std::size_t b = 0, step = 1; b < n; b += batch, ++step) {
    const std::size_t e = std::min(n, b + batch);
    f(row_range(x, b, e), b);
    if (progress) progress->update(step, e, "");
  }
}

}  // namespace

Tensor row_range(const Tensor& x, std::size_t begin, std::size_t end) {
  std::vector<std::size_t> idx(end - begin);
  std::iota(idx.begin(), idx.end(), begin);
  return nn::data::gather_rows(x, idx);
}

double bits_per_dim(double nll_nats, std::size_t dims) {
  return nll_nats / (static_cast<double>(dims) * std::log(2.0));
}

ElboSummary mean_elbo(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t batch, std::size_t samples,
                      std::uint64_t seed, Progress* progress) {
  EvalScope scope(vae, seed);
  double rec = 0, kl = 0;
  for_batches(x, batch, progress, "negative ELBO", [&](const Tensor& xb, std::size_t) {
    const nn::ElboTerms t = vae.elbo(constant(xb), samples, 1.0);
    rec -= kernels::sum_all(t.reconstruction.value());
    kl += kernels::sum_all(t.kl.value());
  });
  ElboSummary s;
  s.images = x.shape()[0];
  if (s.images == 0) return s;
  s.recon = rec / s.images;
  s.kl = kl / s.images;
  s.neg_elbo = s.recon + s.kl;
  return s;
}

namespace {
/// One score per row of x: f(batch) -> [B] scores, in eval scope with the given seed.
template <class F>
std::vector<double> per_image(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t batch, std::uint64_t seed,
                              Progress* progress, const char* title, F f) {
  EvalScope scope(vae, seed);
  std::vector<double> out;
  out.reserve(x.shape()[0]);
  for_batches(x, batch, progress, title, [&](const Tensor& xb, std::size_t) {
    const std::vector<double> v = f(xb).to_vector();
    out.insert(out.end(), v.begin(), v.end());
  });
  return out;
}
}  // namespace

std::vector<double> log_likelihoods(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t k, std::size_t batch,
                                    std::uint64_t seed, Progress* progress) {
  return per_image(vae, x, batch, seed, progress, "log p(x)",
                   [&](const Tensor& xb) { return vae.log_likelihood(xb, k); });
}

std::vector<double> recon_log_probs(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t samples,
                                    std::size_t batch, std::uint64_t seed, Progress* progress) {
  return per_image(vae, x, batch, seed, progress, "reconstruction log-probability",
                   [&](const Tensor& xb) { return vae.reconstruction_log_probability(xb, samples); });
}

Tensor latent_means(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t batch) {
  EvalScope scope(vae, 0);
  const std::size_t n = x.shape()[0], j = vae.n_out();
  std::vector<double> all(n * j);
  for_batches(x, batch, nullptr, "", [&](const Tensor& xb, std::size_t begin) {
    const std::vector<double> mu = vae.forward(constant(xb)).value().to_vector();
    std::copy(mu.begin(), mu.end(), all.begin() + static_cast<std::ptrdiff_t>(begin * j));
  });
  return Tensor::from({n, j}, all, DType::float64);
}

}  // namespace xgrad::trainer
