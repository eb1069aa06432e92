#pragma once
// Evaluation of a VAE over a data set in minibatches, without gradients, in eval mode, with the VAE's
// random generator reseeded from `seed` for the duration (and restored afterwards), so the figures
// are reproducible and training continues with its own stream. Units: nats per image.
//   mean_elbo:        neg_elbo = recon + kl, recon = -(1/L) sum_l log p(x|z_l), kl analytic
//   log_likelihoods:  log p(x) ~ log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x)  (VariationalAutoencoder::log_likelihood)
//   recon_log_probs:  DL4J's reconstructionLogProbability, (1/n) sum_l log p(x|z_l) (not a likelihood)
#include <cstdint>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/layers/vae.hpp"
#include "trainer/progress.hpp"

namespace xgrad::trainer {

struct ElboSummary {
  double neg_elbo = 0, recon = 0, kl = 0;
  std::size_t images = 0;
};

/// Means over the rows of x [N, D] with `samples` z per image.
ElboSummary mean_elbo(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t batch, std::size_t samples,
                      std::uint64_t seed, Progress* progress = nullptr);
/// log p(x) estimate per row of x with k importance samples.
std::vector<double> log_likelihoods(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t k, std::size_t batch,
                                    std::uint64_t seed, Progress* progress = nullptr);
/// DL4J's reconstruction log-probability per row of x with `samples` samples.
std::vector<double> recon_log_probs(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t samples,
                                    std::size_t batch, std::uint64_t seed, Progress* progress = nullptr);
/// Means of q(z|x) [N, J] for the rows of x.
Tensor latent_means(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t batch);
/// Rows [begin, end) of a 2-D tensor.
Tensor row_range(const Tensor& x, std::size_t begin, std::size_t end);
/// Negative log-likelihood in nats per image -> bits per dimension: nll / (dims * ln 2).
double bits_per_dim(double nll_nats, std::size_t dims);
}  // namespace xgrad::trainer
