#include "nn/distributions/latent.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/ops/shape.hpp"
#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

namespace {
constexpr double kLog2Pi = 1.8378770664093454836;

void check_z(const LatentDistribution& d, const Variable& z) {
  if (z.dim() != 2 || z.shape()[1] != d.dim() || d.rows() == 0 || z.shape()[0] % d.rows() != 0)
    throw ShapeError(d.type_name() + ".log_prob: z " + shape_string(z.shape()) + " is not L samples of [" +
                     std::to_string(d.rows()) + "," + std::to_string(d.dim()) + "] (expected [L*" +
                     std::to_string(d.rows()) + "," + std::to_string(d.dim()) + "])");
}
}  // namespace

Variable LatentDistribution::rsample(Generator& gen, std::size_t samples) const {
  if (!has_rsample()) throw InvalidArgument(type_name() + ".rsample: this distribution has no reparameterised sampler");
  return rsample(draw_noise(gen, samples));
}

Tensor LatentDistribution::draw_noise(Generator&, std::size_t) const {
  throw InvalidArgument(type_name() + ".draw_noise: this distribution has no reparameterised sampler");
}

Variable LatentDistribution::rsample(const Tensor&) const {
  throw InvalidArgument(type_name() + ".rsample: this distribution has no reparameterised sampler");
}

LatentSample LatentDistribution::rsample_with_log_prob(const Tensor& noise) const {
  return {rsample(noise), Variable(), Variable()};
}

Variable log_q_of(const LatentDistribution& q, const LatentSample& s) {
  return s.log_q.defined() ? s.log_q : q.log_prob(s.z);
}

Variable LatentDistribution::entropy() const {
  throw InvalidArgument(type_name() + ".entropy: no closed form is known for this distribution");
}

namespace {
Tensor standard_normal_noise(const LatentDistribution& d, Generator& gen, std::size_t samples) {
  if (samples == 0) throw InvalidArgument(d.type_name() + ".rsample: samples must be >= 1, got 0");
  return gen.normal(Shape{samples * d.rows(), d.dim()}, 0.0, 1.0, d.dtype());
}
}  // namespace

DiagonalGaussian::DiagonalGaussian(Variable mu, Variable logvar) : mu_(std::move(mu)), logvar_(std::move(logvar)) {
  if (mu_.dim() != 2 || mu_.shape() != logvar_.shape())
    throw ShapeError("DiagonalGaussian: mu and logvar must be 2-D of the same shape, got " + shape_string(mu_.shape()) +
                     " and " + shape_string(logvar_.shape()));
  if (mu_.dtype() != logvar_.dtype()) throw InvalidArgument("DiagonalGaussian: mu and logvar have different dtypes");
}

Variable DiagonalGaussian::log_prob(const Variable& z) const {
  check_z(*this, z);
  return diagonal_gaussian_log_prob(z, mu_, logvar_);
}

Variable diagonal_gaussian_log_density_matrix(const Variable& z, const Variable& mu, const Variable& logvar) {
  if (z.dim() != 2 || mu.dim() != 2 || logvar.shape() != mu.shape() || z.shape()[1] != mu.shape()[1])
    throw ShapeError("diagonal_gaussian_log_density_matrix: z " + shape_string(z.shape()) + ", mu " +
                     shape_string(mu.shape()) + " and logvar " + shape_string(logvar.shape()) +
                     " must be [M, J], [K, J] and [K, J]");
  const std::size_t k = mu.shape()[0], j = mu.shape()[1];
  const Variable w = exp(-logvar);  // [K, J]
  const Variable per_component =
      reshape(sum(square(mu) * w + logvar, 1), Shape{1, k}) + kLog2Pi * static_cast<double>(j);
  return -0.5 * (matmul(square(z), w, false, true) - 2.0 * matmul(z, mu * w, false, true) + per_component);
}

Tensor DiagonalGaussian::draw_noise(Generator& gen, std::size_t samples) const {
  return standard_normal_noise(*this, gen, samples);
}

Variable DiagonalGaussian::rsample(const Tensor& eps) const {
  return reparameterize(mu_, logvar_, eps);
}

Variable DiagonalGaussian::entropy() const {
  return 0.5 * (sum(logvar_, 1) + (kLog2Pi + 1.0) * static_cast<double>(dim()));
}

Variable StandardNormal::log_prob(const Variable& z) const {
  check_z(*this, z);
  return -0.5 * (sum(square(z), 1) + kLog2Pi * static_cast<double>(dim_));
}

Variable StandardNormal::mean() const {
  return constant(Tensor::zeros(Shape{rows_, dim_}, dtype_));
}

Tensor StandardNormal::draw_noise(Generator& gen, std::size_t samples) const {
  return standard_normal_noise(*this, gen, samples);
}

Variable StandardNormal::rsample(const Tensor& noise) const {
  if (noise.dim() != 2 || noise.shape()[1] != dim_ || rows_ == 0 || noise.shape()[0] % rows_ != 0 ||
      noise.shape()[0] == 0)
    throw ShapeError(type_name() + ".rsample: noise " + shape_string(noise.shape()) + " must be [L*" +
                     std::to_string(rows_) + "," + std::to_string(dim_) + "] for L >= 1");
  return constant(noise);
}

Variable StandardNormal::entropy() const {
  return constant(Tensor::full(Shape{rows_}, 0.5 * (kLog2Pi + 1.0) * static_cast<double>(dim_), dtype_));
}

}  // namespace xgrad::nn
