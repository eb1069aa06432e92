#pragma once
// Distributions over the latent z [N,J] of a VAE, with the vocabulary of torch.distributions:
// log_prob(z) (summed over the J dimensions, one value per row), rsample (reparameterised, differentiable
// in the parameters; from a generator or from caller-given noise, the common random numbers of gradient
// checks), mean, entropy where known. z may hold L samples per example stacked as [L*N, J] (row l*N+n
// belongs to example n): log_prob and rsample accept and produce that layout. Distributions whose density
// is known only at their own samples (normalizing flows) give it through rsample_with_log_prob.
#include <cstddef>
#include <string>

#include "autograd/random.hpp"
#include "autograd/variable.hpp"

namespace xgrad::nn {

/// A reparameterised draw: z [L*N, J]; log_q = log q(z) [L*N] only from distributions whose density is known
/// just along their own samples (flows; otherwise undefined: log_q_of evaluates log_prob(z)); log_det =
/// sum_k log|det dz_k/dz_(k-1)| [L*N] of the flows (undefined without flows).
struct LatentSample {
  Variable z;
  Variable log_q;
  Variable log_det;
};

class LatentDistribution {
 public:
  virtual ~LatentDistribution() = default;
  /// Type name used by the KL registry's messages ("DiagonalGaussian").
  virtual std::string type_name() const = 0;
  /// Examples N and dimensions J.
  virtual std::size_t rows() const = 0;
  virtual std::size_t dim() const = 0;
  virtual DType dtype() const = 0;
  /// log q(z) per row, z [L*N, J] -> [L*N].
  virtual Variable log_prob(const Variable& z) const = 0;
  /// [N, J]
  virtual Variable mean() const = 0;
  /// True when rsample is available (needed by the Monte-Carlo KL fallback).
  virtual bool has_rsample() const { return false; }
  /// L reparameterised samples per example, [L*N, J], drawn from gen: rsample(draw_noise(gen, samples)).
  /// Throws InvalidArgument unless has_rsample().
  virtual Variable rsample(Generator& gen, std::size_t samples = 1) const;
  /// The noise rsample(noise) turns into L samples per example (standard normals [L*N, J] for Gaussians).
  virtual Tensor draw_noise(Generator& gen, std::size_t samples = 1) const;
  /// z from caller-given noise of draw_noise's shape (common random numbers), differentiable in the parameters.
  virtual Variable rsample(const Tensor& noise) const;
  /// {rsample(noise), undefined, undefined}; flows override it to carry log q(z) and log|det J| along.
  virtual LatentSample rsample_with_log_prob(const Tensor& noise) const;
  /// True when entropy() is known in closed form.
  virtual bool has_entropy() const { return false; }
  /// H[q] = -E_q log q(z) per example, [N]. Throws InvalidArgument unless has_entropy().
  virtual Variable entropy() const;
};

/// log q(z) at a sample of q: s.log_q when the sample carries it, else q.log_prob(s.z).
Variable log_q_of(const LatentDistribution& q, const LatentSample& s);

/// q(z|x) = N(mu, diag(e^logvar)): the VAE's posterior, mu and logvar = log sigma^2 both [N,J].
///   log q(z) = sum_j -0.5 (log 2pi + logvar_j + (z_j - mu_j)^2 e^-logvar_j)
///   rsample: z = mu + e^(logvar/2) * eps, eps ~ N(0, I)
///   entropy  H = sum_j 0.5 (log 2pi + 1 + logvar_j)
class DiagonalGaussian : public LatentDistribution {
 public:
  DiagonalGaussian(Variable mu, Variable logvar);
  const Variable& mu() const { return mu_; }
  const Variable& logvar() const { return logvar_; }

  std::string type_name() const override { return "DiagonalGaussian"; }
  std::size_t rows() const override { return mu_.shape()[0]; }
  std::size_t dim() const override { return mu_.shape()[1]; }
  DType dtype() const override { return mu_.dtype(); }
  Variable log_prob(const Variable& z) const override;
  Variable mean() const override { return mu_; }
  bool has_rsample() const override { return true; }
  using LatentDistribution::rsample;
  /// z = mu + e^(logvar/2) * eps with a caller-supplied eps [L*N, J] (the fused op "reparameterize").
  Variable rsample(const Tensor& eps) const override;
  /// eps ~ N(0, I) of shape [L*N, J] in this distribution's dtype (= draw_noise).
  Tensor draw_eps(Generator& gen, std::size_t samples = 1) const { return draw_noise(gen, samples); }
  Tensor draw_noise(Generator& gen, std::size_t samples = 1) const override;
  bool has_entropy() const override { return true; }
  Variable entropy() const override;

 private:
  Variable mu_, logvar_;
};

/// log N(z_m; mu_k, diag e^logvar_k) for every row m of z [M, J] and every row k of mu, logvar [K, J] -> [M, K]:
/// -0.5 (z^2 w^T - 2 z (mu w)^T + sum_j (mu_kj^2 w_kj + logvar_kj + log 2pi)), w = e^-logvar: two GEMMs and no
/// [M, K, J] temporary (the mixture and VampPrior densities). Differentiable in all three.
Variable diagonal_gaussian_log_density_matrix(const Variable& z, const Variable& mu, const Variable& logvar);

/// p(z) = N(0, I) over [N, J]: the VAE's prior.   log p(z) = sum_j -0.5 (log 2pi + z_j^2),
/// rsample(noise) = noise (a constant), entropy = 0.5 J (log 2pi + 1).
class StandardNormal : public LatentDistribution {
 public:
  StandardNormal(std::size_t rows, std::size_t dim, DType dtype = DType::float32)
      : rows_(rows), dim_(dim), dtype_(dtype) {}
  std::string type_name() const override { return "StandardNormal"; }
  std::size_t rows() const override { return rows_; }
  std::size_t dim() const override { return dim_; }
  DType dtype() const override { return dtype_; }
  Variable log_prob(const Variable& z) const override;
  Variable mean() const override;
  bool has_rsample() const override { return true; }
  using LatentDistribution::rsample;
  Tensor draw_noise(Generator& gen, std::size_t samples = 1) const override;
  Variable rsample(const Tensor& noise) const override;
  bool has_entropy() const override { return true; }
  Variable entropy() const override;

 private:
  std::size_t rows_, dim_;
  DType dtype_;
};

}  // namespace xgrad::nn
