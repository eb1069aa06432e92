#include "nn/distributions/categorical.hpp"

#include <cmath>

#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/tape.hpp"

namespace xgrad::nn {

Variable CategoricalDistribution::log_prob(const Variable& x, const Variable& raw) const {
  check_shapes("log_prob", x.shape(), raw.shape());
  return sum(x * log_softmax(raw, 1), 1);
}

Tensor CategoricalDistribution::mean(const Tensor& raw) const {
  NoGradGuard guard;
  return softmax(constant(raw), 1).value();
}

Tensor CategoricalDistribution::sample(const Tensor& raw, Generator& gen) const {
  const Tensor p = mean(raw);
  if (p.dim() != 2) throw ShapeError("categorical.sample: raw must be 2-D, got " + shape_string(raw.shape()));
  const std::size_t n = p.shape()[0], k = p.shape()[1];
  const Tensor u = gen.uniform(Shape{n}, 0.0, 1.0, DType::float64);
  Tensor out = Tensor::zeros(p.shape(), p.dtype());
  for (std::size_t r = 0; r < n; ++r) {
    double c = 0;
    std::size_t pick = k - 1;  // rounding: the last class takes what remains
    for (std::size_t j = 0; j < k; ++j) {
      c += p.at(r * k + j);
      if (u.at(r) < c) {
        pick = j;
        break;
      }
    }
    out.set(r * k + pick, 1.0);
  }
  return out;
}

void CategoricalDistribution::validate(const Tensor& x, std::size_t first_column) const {
  ReconstructionDistribution::validate(x, first_column);  // finite, in [0,1]
  const std::size_t n = x.shape()[0], k = x.shape()[1];
  for (std::size_t r = 0; r < n; ++r) {
    std::size_t ones = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const double v = x.at(r * k + j);
      if (v != 0.0 && v != 1.0)
        throw SupportError(describe(), r, first_column + j, v, "is not 0 or 1 (rows must be one-hot)");
      ones += v == 1.0;
    }
    if (ones != 1) {  // reported at the group's first column, with the number of ones as the value
      const std::string group = std::to_string(first_column) + ".." + std::to_string(first_column + k - 1);
      throw SupportError(describe() + " distribution: row " + std::to_string(r) + " (columns " + group + ") has " +
                             std::to_string(ones) + " ones; rows must be one-hot (exactly one 1)",
                         describe(), r, first_column, static_cast<double>(ones),
                         "is the number of ones in its one-hot group (columns " + group + "), not 1");
    }
  }
}

namespace {
const bool registered = [] {
  register_plain_distribution<CategoricalDistribution>("categorical");
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
