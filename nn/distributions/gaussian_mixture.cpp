#include "nn/distributions/gaussian_mixture.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/ops/shape.hpp"
#include "autograd/tape.hpp"

namespace xgrad::nn {

DiagonalGaussianMixture::DiagonalGaussianMixture(std::size_t rows, Variable means, Variable log_variances,
                                                 Variable logits)
    : rows_(rows), means_(std::move(means)), log_variances_(std::move(log_variances)), logits_(std::move(logits)) {
  if (means_.dim() != 2 || means_.shape()[0] == 0 || means_.shape()[1] == 0 ||
      log_variances_.shape() != means_.shape() || logits_.dim() != 1 || logits_.shape()[0] != means_.shape()[0])
    throw ShapeError(
        "DiagonalGaussianMixture: means and log_variances must be [K, J] and logits [K] with K, J >= 1, got " +
        shape_string(means_.shape()) + ", " + shape_string(log_variances_.shape()) + " and " +
        shape_string(logits_.shape()));
  if (rows_ == 0) throw InvalidArgument("DiagonalGaussianMixture: rows must be >= 1, got 0");
}

Variable DiagonalGaussianMixture::joint_log_prob(const Variable& z) const {
  const std::size_t k = components(), j = dim();
  if (z.dim() != 2 || z.shape()[1] != j)
    throw ShapeError(type_name() + ".log_prob: z " + shape_string(z.shape()) + " must be [M, " + std::to_string(j) +
                     "]");
  const Variable log_n = diagonal_gaussian_log_density_matrix(z, means_, log_variances_);  // [M,K]
  return log_n + reshape(log_softmax(logits_), Shape{1, k});
}

Variable DiagonalGaussianMixture::log_prob(const Variable& z) const {
  if (z.dim() != 2 || z.shape()[1] != dim() || z.shape()[0] % rows_ != 0)
    throw ShapeError(type_name() + ".log_prob: z " + shape_string(z.shape()) + " is not L samples of [" +
                     std::to_string(rows_) + "," + std::to_string(dim()) + "] (expected [L*" + std::to_string(rows_) +
                     "," + std::to_string(dim()) + "])");
  return logsumexp(joint_log_prob(z), 1);
}

Variable DiagonalGaussianMixture::mean() const {
  const Variable pi = reshape(softmax(logits_), Shape{1, components()});
  return broadcast_to(matmul(pi, means_), Shape{rows_, dim()});
}

Tensor DiagonalGaussianMixture::sample(Generator& gen, std::size_t m) const {
  NoGradGuard guard;
  const std::size_t k = components(), j = dim();
  const Tensor pi = softmax(logits_).value(), mu = means_.value(), lv = log_variances_.value();
  const Tensor u = gen.uniform(Shape{m}, 0.0, 1.0, DType::float64);
  const Tensor eps = gen.normal(Shape{m, j}, 0.0, 1.0, DType::float64);
  Tensor out = Tensor::empty(Shape{m, j}, dtype());
  for (std::size_t r = 0; r < m; ++r) {
    std::size_t c = 0;
    double cum = pi.at(0);
    while (c + 1 < k && u.at(r) >= cum) cum += pi.at(++c);
    for (std::size_t d = 0; d < j; ++d)
      out.set(r * j + d, mu.at(c * j + d) + std::exp(0.5 * lv.at(c * j + d)) * eps.at(r * j + d));
  }
  return out;
}

}  // namespace xgrad::nn
