#include "nn/optim/norms.hpp"

#include <cmath>
#include <vector>

#include "autograd/kernels.hpp"

namespace xgrad::nn {

namespace {
// sum_i f(x_i) in double: per-block partial sums added in block order
template <class F>
double block_sum(const Tensor& x, F f) {
  return x.visit([&](const auto& a) {
    const auto* p = a.data();
    const std::size_t n = a.size();
    const std::size_t blocks = (n + parallel::kGrain - 1) / parallel::kGrain;
    std::vector<double> partial(blocks, 0.0);
    parallel::for_blocks(n, [&](std::size_t b, std::size_t e) {
      double s = 0.0;
#pragma omp simd reduction(+ : s)
      for (std::size_t i = b; i < e; ++i) s += f(static_cast<double>(p[i]));
      partial[b / parallel::kGrain] = s;
    });
    double total = 0.0;
    for (double s : partial) total += s;
    return total;
  });
}
}  // namespace

double l1_norm(const Tensor& x) {
  return block_sum(x, [](double v) { return std::fabs(v); });
}

double squared_l2_norm(const Tensor& x) {
  return block_sum(x, [](double v) { return v * v; });
}

}  // namespace xgrad::nn
