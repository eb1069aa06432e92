#pragma once
// Norms of a tensor, accumulated in double over fixed blocks (deterministic for any thread count).
#include "autograd/tensor.hpp"

namespace xgrad::nn {

/// sum_i |x_i|
double l1_norm(const Tensor& x);
/// sum_i x_i^2 (the squared L2 norm)
double squared_l2_norm(const Tensor& x);

}  // namespace xgrad::nn
