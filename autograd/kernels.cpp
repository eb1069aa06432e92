#include "autograd/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <xtensor/xreducer.hpp>

namespace xgrad::kernels {

Shape broadcast_shape(const char* op, const Shape& a, const Shape& b) {
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::size_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError(std::string(op) + ": shapes " + shape_string(a) + " and " + shape_string(b) +
                       " do not broadcast (axis " + std::to_string(i) + ": " + std::to_string(da) + " vs " +
                       std::to_string(db) + ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype())
    throw InvalidArgument(std::string(op) + ": operands have different dtypes (" + dtype_name(a.dtype()) + " vs " +
                          dtype_name(b.dtype()) + ")");
}

namespace {
// True when `small` (leading 1s ignored) equals the trailing dims of `big`.
bool is_trailing(const Shape& small, const Shape& big) {
  std::size_t s = 0;
  while (s < small.size() && small[s] == 1) ++s;
  const std::size_t k = small.size() - s;
  if (k > big.size()) return false;
  for (std::size_t i = 0; i < k; ++i)
    if (small[s + i] != big[big.size() - k + i]) return false;
  return true;
}
}  // namespace

BroadcastKind broadcast_kind(const Shape& a, const Shape& b, const Shape& out) {
  if (a == b) return BroadcastKind::same;
  const std::size_t na = shape_size(a), nb = shape_size(b), no = shape_size(out);
  if (nb == 1 && na == no) return BroadcastKind::b_scalar;
  if (na == 1 && nb == no) return BroadcastKind::a_scalar;
  if (na == no && nb > 0 && is_trailing(b, out)) return BroadcastKind::b_rows;
  if (nb == no && na > 0 && is_trailing(a, out)) return BroadcastKind::a_rows;
  return BroadcastKind::general;
}

double sum_all(const Tensor& x) {
  return x.visit([&](const auto& a) -> double {
    const std::size_t n = a.size();
    const auto* p = a.data();
    const std::size_t blocks = (n + parallel::kGrain - 1) / parallel::kGrain;
    std::vector<double> partial(blocks, 0.0);
    parallel::for_blocks(n, [&](std::size_t b, std::size_t e) {
      double s = 0.0;
#pragma omp simd reduction(+ : s)
      for (std::size_t i = b; i < e; ++i) s += static_cast<double>(p[i]);
      partial[b / parallel::kGrain] = s;
    });
    double total = 0.0;
    for (double s : partial) total += s;
    return total;
  });
}

template <class T>
void column_sums(const T* m, std::size_t rows, std::size_t cols, T* o, const ColumnFill& fill) {
  const std::size_t block = std::max<std::size_t>(64, (cols / 4 + 63) / 64 * 64);
  parallel::for_blocks(
      cols,
      [&](std::size_t c0, std::size_t c1) {
        std::vector<double> acc(c1 - c0, 0.0);
        for (std::size_t r = 0; r < rows; ++r) {
          if (fill) fill(r, c0, c1);
          const T* row = m + r * cols;
#pragma omp simd
          for (std::size_t c = c0; c < c1; ++c) acc[c - c0] += static_cast<double>(row[c]);
        }
        for (std::size_t c = c0; c < c1; ++c) o[c] = static_cast<T>(acc[c - c0]);
      },
      rows * cols > parallel::kGrain ? block : cols);
}
template void column_sums<float>(const float*, std::size_t, std::size_t, float*, const ColumnFill&);
template void column_sums<double>(const double*, std::size_t, std::size_t, double*, const ColumnFill&);

Tensor reduce_to_shape(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  const std::size_t target = shape_size(shape);
  if (target == 1) return Tensor::full(shape, sum_all(g), g.dtype());
  if (is_trailing(shape, g.shape())) {
    // column sums of a [rows, target] matrix
    Tensor out = Tensor::empty(shape, g.dtype());
    g.visit([&](const auto& a) {
      using T = value_of<decltype(a)>;
      column_sums(a.data(), a.size() / target, target, out.data<T>());
    });
    return out;
  }
  // general: sum over the axes that were broadcast, then reshape
  const Shape& gs = g.shape();
  const std::size_t lead = gs.size() - shape.size();
  std::vector<std::size_t> axes;
  for (std::size_t i = 0; i < gs.size(); ++i)
    if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) axes.push_back(i);
  return g.visit([&](const auto& a) -> Tensor {
    using T = value_of<decltype(a)>;
    Array<double> wide = xt::cast<double>(a);
    Array<double> s = xt::sum(wide, axes, xt::evaluation_strategy::immediate);
    Array<T> out = xt::cast<T>(s);
    out.reshape(shape);
    return Tensor(std::move(out));
  });
}

void accumulate(Tensor& dst, const Tensor& src) {
  check_same_dtype("accumulate", dst, src);
  if (dst.shape() != src.shape())
    throw ShapeError("accumulate: gradient shape " + shape_string(src.shape()) + " != " + shape_string(dst.shape()));
  dst.visit([&](auto& a) {
    using T = value_of<decltype(a)>;
    T* d = a.data();
    const T* s = src.data<T>();
    parallel::for_blocks(a.size(), [&](std::size_t b, std::size_t e) {
#pragma omp simd
      for (std::size_t i = b; i < e; ++i) d[i] += s[i];
    });
  });
}

std::size_t first_non_finite(const Tensor& x) {
  return x.visit([&](const auto& a) -> std::size_t {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!std::isfinite(a.data()[i])) return i;
    return a.size();
  });
}

}  // namespace xgrad::kernels
