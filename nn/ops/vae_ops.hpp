#pragma once
// Fused, gradient-checked ops for the VAE hot paths (each one tape node; each agrees with its unfused
// composition, see tests/nn/ops/test_vae_ops.cpp). Log-densities are summed over columns: [N,D] -> [N].
// Rows of x and the parameters must match; "tiled" inputs have L*N rows, row l*N+n using row n of the
// [N,.] inputs (L Monte-Carlo samples of z per example).
#include <cstddef>

#include "autograd/variable.hpp"

namespace xgrad::nn {

/// Bernoulli log-likelihood from logits r (p = sigmoid(r)): sum_j [x r - softplus(r)], stable for any r.
/// x, r [N,D] -> [N]. d/dr = x - sigmoid(r), d/dx = r.
Variable bernoulli_logits_log_prob(const Variable& x, const Variable& logits);

/// Gaussian log-density with params [N,2D] = [mu | log sigma^2]:
/// sum_j -0.5 (log 2pi + lv_j + (x_j - mu_j)^2 e^-lv_j). x [N,D] -> [N].
Variable gaussian_log_prob(const Variable& x, const Variable& params);

/// Exponential log-density with gamma = log lambda: sum_j (gamma_j - e^gamma_j x_j). x, gamma [N,D] -> [N].
Variable exponential_log_prob(const Variable& x, const Variable& gamma);

/// Continuous Bernoulli log-density from logits r (lambda = sigmoid(r)):
/// sum_j [x r - softplus(r) + log C(r)], log C(r) = log(r / tanh(r/2)) (= log C(lambda) of Loaiza-Ganem &
/// Cunningham), log 2 at r = 0, by a Taylor series for |r| < 1e-2. x, r [N,D] -> [N].
Variable continuous_bernoulli_log_prob(const Variable& x, const Variable& logits);

/// KL(N(mu, e^lv) || N(0, I)) per row: 0.5 sum_j (mu^2 + e^lv - 1 - lv). mu, lv [N,J] -> [N].
Variable gaussian_kl_standard(const Variable& mu, const Variable& logvar);

/// Reparameterised sample z = mu + e^(lv/2) * eps. mu, lv [N,J]; eps [L*N,J] (a constant) -> z [L*N,J].
Variable reparameterize(const Variable& mu, const Variable& logvar, const Tensor& eps);

/// log N(z; mu, diag e^lv) per row: sum_j -0.5 (log 2pi + lv + (z - mu)^2 e^-lv). z [L*N,J] tiled over
/// mu, lv [N,J] -> [L*N].
Variable diagonal_gaussian_log_prob(const Variable& z, const Variable& mu, const Variable& logvar);

/// Mean over the L samples of each example: v [L*N] -> [N], out_n = (1/L) sum_l v[l*N+n].
Variable sample_mean(const Variable& v, std::size_t samples);

/// log-mean-exp over the L samples of each example (accumulated in double):
/// v [L*N] -> [N], out_n = log((1/L) sum_l e^v[l*N+n]). Gradient: the normalised weights.
Variable sample_log_mean_exp(const Variable& v, std::size_t samples);

/// log C(r) and d log C / dr of the continuous Bernoulli for one logit (used by the op and by sampling).
double continuous_bernoulli_log_norm(double r);
double continuous_bernoulli_log_norm_grad(double r);

}  // namespace xgrad::nn
