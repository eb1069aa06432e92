#pragma once
// Batched, TBB-parallel kernels over Tensors, shared by the ops. Elementwise work runs on contiguous
// 1-D blocks of kGrain elements through xtensor expressions (xsimd-vectorised); the block boundaries
// do not depend on the thread count, so results are bit-identical for 1 or N threads.
#include <array>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/parallel.hpp"
#include "autograd/tensor.hpp"

namespace xgrad::kernels {

/// A 1-D xtensor view of n contiguous elements (no copy, no ownership).
template <class T>
auto span(T* p, std::size_t n) {
  return xt::adapt(p, n, xt::no_ownership(), std::array<std::size_t, 1>{n});
}

/// Scratch memory for kernels, aligned like xarray's buffers. xtensor runs the elements before the first
/// aligned address of a destination as scalar code (std::exp instead of xsimd's exp, different last bits),
/// so an unaligned scratch buffer would make results depend on where malloc put it (and on the thread).
template <class T>
using scratch_vector = std::vector<T, xsimd::aligned_allocator<T, XTENSOR_DEFAULT_ALIGNMENT>>;

namespace detail {
template <class A, bool = std::is_arithmetic_v<std::decay_t<A>>>
struct value_of_impl {
  using type = std::decay_t<A>;
};
template <class A>
struct value_of_impl<A, false> {
  using type = typename std::decay_t<A>::value_type;
};
}  // namespace detail
/// Element type of an xtensor expression, or the type itself for a scalar.
template <class A>
using value_of = typename detail::value_of_impl<A>::type;

/// out = f(x) elementwise; f maps a 1-D xtensor expression to an expression.
template <class F>
Tensor map(const Tensor& x, F f) {
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  x.visit([&](const auto& a) {
    using T = value_of<decltype(a)>;
    const T* in = a.data();
    T* o = out.data<T>();
    parallel::for_blocks(a.size(), [&](std::size_t b, std::size_t e) {
      auto O = span(o + b, e - b);
      xt::noalias(O) = f(span(in + b, e - b));
    });
  });
  return out;
}

/// out = f(x, y) elementwise for tensors of the same shape and dtype (checked by the caller).
template <class F>
Tensor map2(const Tensor& x, const Tensor& y, F f) {
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  x.visit([&](const auto& a) {
    using T = value_of<decltype(a)>;
    const T* p = a.data();
    const T* q = y.data<T>();
    T* o = out.data<T>();
    parallel::for_blocks(a.size(), [&](std::size_t b, std::size_t e) {
      auto O = span(o + b, e - b);
      xt::noalias(O) = f(span(p + b, e - b), span(q + b, e - b));
    });
  });
  return out;
}

/// out = f(x, y, z) elementwise for tensors of the same shape and dtype.
template <class F>
Tensor map3(const Tensor& x, const Tensor& y, const Tensor& z, F f) {
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  x.visit([&](const auto& a) {
    using T = value_of<decltype(a)>;
    const T* p = a.data();
    const T* q = y.data<T>();
    const T* r = z.data<T>();
    T* o = out.data<T>();
    parallel::for_blocks(a.size(), [&](std::size_t b, std::size_t e) {
      auto O = span(o + b, e - b);
      xt::noalias(O) = f(span(p + b, e - b), span(q + b, e - b), span(r + b, e - b));
    });
  });
  return out;
}

/// NumPy broadcast shape of a and b; throws ShapeError naming `op` and both shapes.
Shape broadcast_shape(const char* op, const Shape& a, const Shape& b);
/// Throws InvalidArgument naming `op` when the dtypes differ.
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b);

/// How b lines up against a for a broadcast binary op (the fast paths of `binary`).
enum class BroadcastKind { same, a_scalar, b_scalar, b_rows, a_rows, general };
BroadcastKind broadcast_kind(const Shape& a, const Shape& b, const Shape& out);

/// out = f(a, b) with NumPy broadcasting; f takes two 1-D expressions, or an expression and a scalar T.
/// Fast paths: equal shapes, a size-1 operand, a row vector against a matrix; else xtensor broadcasting.
template <class F>
Tensor binary(const char* op, const Tensor& x, const Tensor& y, F f) {
  check_same_dtype(op, x, y);
  const Shape out_shape = broadcast_shape(op, x.shape(), y.shape());
  const BroadcastKind kind = broadcast_kind(x.shape(), y.shape(), out_shape);
  if (kind == BroadcastKind::same) return map2(x, y, f);
  Tensor out = Tensor::empty(out_shape, x.dtype());
  x.visit([&](const auto& a) {
    using T = value_of<decltype(a)>;
    const T* p = a.data();
    const T* q = y.data<T>();
    T* o = out.data<T>();
    const std::size_t n = out.size();
    switch (kind) {
      case BroadcastKind::b_scalar: {
        const T s = q[0];
        parallel::for_blocks(n, [&](std::size_t b, std::size_t e) {
          auto O = span(o + b, e - b);
          xt::noalias(O) = f(span(p + b, e - b), s);
        });
        break;
      }
      case BroadcastKind::a_scalar: {
        const T s = p[0];
        parallel::for_blocks(n, [&](std::size_t b, std::size_t e) {
          auto O = span(o + b, e - b);
          xt::noalias(O) = f(s, span(q + b, e - b));
        });
        break;
      }
      case BroadcastKind::b_rows: {
        const std::size_t inner = y.size();
        parallel::for_rows(n / inner, inner, [&](std::size_t r0, std::size_t r1) {
          auto B = span(q, inner);
          for (std::size_t r = r0; r < r1; ++r) {
            auto O = span(o + r * inner, inner);
            xt::noalias(O) = f(span(p + r * inner, inner), B);
          }
        });
        break;
      }
      case BroadcastKind::a_rows: {
        const std::size_t inner = x.size();
        parallel::for_rows(n / inner, inner, [&](std::size_t r0, std::size_t r1) {
          auto A = span(p, inner);
          for (std::size_t r = r0; r < r1; ++r) {
            auto O = span(o + r * inner, inner);
            xt::noalias(O) = f(A, span(q + r * inner, inner));
          }
        });
        break;
      }
      default: {
        auto& O = out.array<T>();
        xt::noalias(O) = f(a, y.array<T>());
      }
    }
  });
  return out;
}

/// o[c] = sum_r m[r, c] over a row-major [rows, cols] matrix, accumulated in double, in parallel blocks of
/// columns (the same blocks for any thread count; each sum is one column's, in row order). fill(r, c0, c1), if
/// given, runs first for each row's part of a block, on the thread that then sums it: it may write
/// m[r, c0..c1) (a fused backward writes its gradient there and sums it while the lines are in cache).
/// T is float or double.
using ColumnFill = std::function<void(std::size_t row, std::size_t c0, std::size_t c1)>;
template <class T>
void column_sums(const T* m, std::size_t rows, std::size_t cols, T* o, const ColumnFill& fill = {});

/// Sums a gradient of a broadcast shape back to `shape` (the inverse of broadcasting).
Tensor reduce_to_shape(const Tensor& g, const Shape& shape);
/// dst += src (same shape and dtype), in place.
void accumulate(Tensor& dst, const Tensor& src);
/// Sum of all elements, accumulated in double, deterministic block order.
double sum_all(const Tensor& x);
/// Index of the first NaN/Inf element, or size() when all are finite.
std::size_t first_non_finite(const Tensor& x);

}  // namespace xgrad::kernels
