#include "nn/distributions/planar_flow.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/ops/shape.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

PlanarFlow::PlanarFlow(std::size_t dim, Generator& gen, DType dtype, double init_scale) : dim_(dim) {
  if (dim_ == 0) throw InvalidArgument("PlanarFlow: the latent width must be >= 1, got 0");
  if (!std::isfinite(init_scale) || !(init_scale > 0))
    throw InvalidArgument("PlanarFlow: init_scale must be finite and > 0, got " + format_number(init_scale));
  u_ = register_parameter("u", gen.normal(Shape{dim_}, 0.0, init_scale, dtype));
  w_ = register_parameter("w", gen.normal(Shape{dim_}, 0.0, init_scale, dtype));
  b_ = register_parameter("b", Tensor::zeros(Shape{1}, dtype));
}

FlowStep PlanarFlow::forward(const Variable& z) {
  if (z.dim() != 2 || z.shape()[1] != dim_)
    throw ShapeError("PlanarFlow.forward: z " + shape_string(z.shape()) + " must be [M, " + std::to_string(dim_) + "]");
  const Variable wu = sum(w_ * u_);
  const Variable u_hat = u_ + (softplus(wu) - 1.0 - wu) * w_ / sum(square(w_));  // [J]
  const Variable t = tanh(matmul(z, reshape(w_, Shape{dim_, 1})) + b_);          // [M,1]
  Variable out = z + t * reshape(u_hat, Shape{1, dim_});
  Variable log_det = reshape(log(1.0 + (1.0 - square(t)) * sum(w_ * u_hat)), Shape{z.shape()[0]});
  return {std::move(out), std::move(log_det)};
}

}  // namespace xgrad::nn
