#include "nn/distributions/latent.hpp"

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
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

Variable LatentDistribution::rsample(Generator&, std::size_t) const {
  throw InvalidArgument(type_name() + ".rsample: this distribution has no reparameterised sampler");
}

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

Tensor DiagonalGaussian::draw_eps(Generator& gen, std::size_t samples) const {
  if (samples == 0) throw InvalidArgument(type_name() + ".rsample: samples must be >= 1, got 0");
  return gen.normal(Shape{samples * rows(), dim()}, 0.0, 1.0, dtype());
}

Variable DiagonalGaussian::rsample(Generator& gen, std::size_t samples) const {
  return rsample(draw_eps(gen, samples));
}

Variable DiagonalGaussian::rsample(const Tensor& eps) const {
  return reparameterize(mu_, logvar_, eps);
}

Variable StandardNormal::log_prob(const Variable& z) const {
  check_z(*this, z);
  return -0.5 * (sum(square(z), 1) + kLog2Pi * static_cast<double>(dim_));
}

Variable StandardNormal::mean() const {
  return constant(Tensor::zeros(Shape{rows_, dim_}, dtype_));
}

Variable StandardNormal::rsample(Generator& gen, std::size_t samples) const {
  if (samples == 0) throw InvalidArgument(type_name() + ".rsample: samples must be >= 1, got 0");
  return constant(gen.normal(Shape{samples * rows_, dim_}, 0.0, 1.0, dtype_));
}

}  // namespace xgrad::nn
