#include "autograd/ops/linalg.hpp"

#include <algorithm>

#include "autograd/blas.hpp"
#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/parallel.hpp"

namespace xgrad {
namespace {
const Op matmul_op = define_op("matmul", 2, "op(a)·op(b), 2-D, BLAS");
const Op dense_op = define_op("dense", 3, "x·W + b, fused");
const Op dense_activation_op =
    define_op("dense_activation", 3, "act(x·W + b), act sigmoid, tanh, relu or leakyrelu (alpha >= 0), fused");

struct GemmShape {
  std::size_t m, k, n;
};

// Checks 2-D operands and inner dimensions; names the op and both shapes.
GemmShape gemm_shape(const char* op, const Shape& a, const Shape& b, bool ta, bool tb) {
  if (a.size() != 2 || b.size() != 2)
    throw ShapeError(std::string(op) + ": " + shape_string(a) + " x " + shape_string(b) +
                     ": both operands must be 2-D");
  const std::size_t m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1];
  const std::size_t kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
  if (ka != kb)
    throw ShapeError(std::string(op) + ": " + shape_string(a) + (ta ? "^T" : "") + " x " + shape_string(b) +
                     (tb ? "^T" : "") + ": inner " + std::to_string(ka) + " != " + std::to_string(kb));
  return {m, ka, n};
}

// c = alpha * op(a)·op(b) + beta * c; c pre-sized [m,n].
void gemm_into(const Tensor& a, bool ta, const Tensor& b, bool tb, Tensor& c, double beta,
               blas::Keep keep = blas::Keep::largest) {
  const GemmShape s = gemm_shape("gemm", a.shape(), b.shape(), ta, tb);
  c.visit([&](auto& C) {
    using T = kernels::value_of<decltype(C)>;
    if (s.k == 0) {  // empty inner dimension: op(a)·op(b) = 0
      if (beta == 0) std::fill(C.data(), C.data() + C.size(), T(0));
      return;
    }
    blas::gemm(ta, tb, s.m, s.n, s.k, T(1), a.data<T>(), a.shape()[1], b.data<T>(), b.shape()[1], static_cast<T>(beta),
               C.data(), s.n, keep);
  });
}

Tensor gemm(const Tensor& a, bool ta, const Tensor& b, bool tb, blas::Keep keep = blas::Keep::largest) {
  const GemmShape s = gemm_shape("gemm", a.shape(), b.shape(), ta, tb);
  Tensor c = Tensor::empty(Shape{s.m, s.n}, a.dtype());
  gemm_into(a, ta, b, tb, c, 0.0, keep);
  return c;
}
}  // namespace

Variable matmul(const Variable& a, const Variable& b, bool ta, bool tb) {
  kernels::check_same_dtype("matmul", a.value(), b.value());
  gemm_shape("matmul", a.shape(), b.shape(), ta, tb);
  Tensor y = gemm(a.value(), ta, b.value(), tb);
  return matmul_op.record({a, b}, std::move(y), [ta, tb](const Tensor& g, GradientSink& s) {
    const Tensor& av = s.input_value(0);
    const Tensor& bv = s.input_value(1);
    // y = A'B' with A' = op(a), B' = op(b): dA' = g B'^T, dB' = A'^T g
    if (s.needs(0)) s.add(0, ta ? gemm(bv, tb, g, true) : gemm(g, false, bv, !tb));
    if (s.needs(1)) s.add(1, tb ? gemm(g, true, av, ta) : gemm(av, !ta, g, false));
  });
}

namespace {
// x·W + b after checking dtypes and shapes: the bias is copied into every row, then C += x·W.
Tensor dense_forward(const Variable& x, const Variable& w, const Variable& b) {
  kernels::check_same_dtype("dense", x.value(), w.value());
  kernels::check_same_dtype("dense", x.value(), b.value());
  const GemmShape s = gemm_shape("dense", x.shape(), w.shape(), false, false);
  if (b.size() != s.n || (b.dim() == 2 && b.shape()[0] != 1) || b.dim() > 2 || b.dim() == 0)
    throw ShapeError("dense: bias " + shape_string(b.shape()) + " does not fit the output width " +
                     std::to_string(s.n) + " (expected [" + std::to_string(s.n) + "] or [1," + std::to_string(s.n) +
                     "])");
  Tensor y = Tensor::empty(Shape{s.m, s.n}, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T* bias = b.value().data<T>();
    T* out = Y.data();
    const std::size_t n = s.n;
    parallel::for_rows(s.m, n, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) std::copy(bias, bias + n, out + r * n);
    });
  });
  // W keeps to the same blocks (and core) in all three products and in the optimizer (blas.hpp)
  gemm_into(x.value(), false, w.value(), false, y, 1.0, blas::Keep::b);
  return y;
}

// The products of dense's backward from the gradient gp of x·W + b; the bias gradient is given.
void dense_backward(const Tensor& gp, Tensor bias_grad, GradientSink& s) {
  if (s.needs(0)) s.add(0, gemm(gp, false, s.input_value(1), true, blas::Keep::b));
  if (s.needs(1)) s.add(1, gemm(s.input_value(0), true, gp, false, blas::Keep::c));
  if (s.needs(2)) s.add(2, std::move(bias_grad));
}

// The activations dense_activation fuses: those whose derivative is a function of their output.
bool fusable(const Activation& a) {
  switch (a.kind) {
    case ActivationKind::sigmoid:
    case ActivationKind::tanh:
    case ActivationKind::relu:
      return true;
    case ActivationKind::leakyrelu:
      return a.alpha >= 0;  // then y > 0 exactly when x > 0
    default:
      return false;
  }
}

// Kernels of the fused activations: apply(v) = act(v) (an xtensor expression), slope(y) = act'(x) from y = act(x).
template <class T>
struct SigmoidKernel {
  template <class E>
  auto apply(const E& v) const {
    return T(1) / (T(1) + xt::exp(-v));
  }
  T slope(T y) const { return y * (T(1) - y); }
};
template <class T>
struct TanhKernel {
  template <class E>
  auto apply(const E& v) const {
    return xt::tanh(v);
  }
  T slope(T y) const { return T(1) - y * y; }
};
template <class T>
struct LeakyKernel {  // relu: alpha = 0
  T alpha;
  template <class E>
  auto apply(const E& v) const {
    return xt::where(v > T(0), v, alpha * v);
  }
  T slope(T y) const { return y > T(0) ? T(1) : alpha; }
};

// f(kernel of the activation), for a fusable activation.
template <class T, class F>
void with_kernel(const Activation& a, F f) {
  switch (a.kind) {
    case ActivationKind::sigmoid:
      return f(SigmoidKernel<T>{});
    case ActivationKind::tanh:
      return f(TanhKernel<T>{});
    case ActivationKind::relu:
      return f(LeakyKernel<T>{T(0)});
    default:
      return f(LeakyKernel<T>{static_cast<T>(a.alpha)});
  }
}
}  // namespace

Variable dense(const Variable& x, const Variable& w, const Variable& b) {
  return dense_op.record({x, w, b}, dense_forward(x, w, b), [](const Tensor& g, GradientSink& s) {
    dense_backward(g, s.needs(2) ? kernels::reduce_to_shape(g, s.input_value(2).shape()) : Tensor(), s);
  });
}

Variable dense(const Variable& x, const Variable& w, const Variable& b, const Activation& activation, bool training,
               Generator* gen) {
  if (!fusable(activation)) return activation.apply(dense(x, w, b), training, gen);
  Tensor y = dense_forward(x, w, b);
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    with_kernel<T>(activation, [&](const auto& act) {
      T* p = Y.data();
      parallel::for_blocks(Y.size(), [&](std::size_t b0, std::size_t b1) {
        auto block = kernels::span(p + b0, b1 - b0);
        xt::noalias(block) = act.apply(block);
      });
    });
  });
  return dense_activation_op.record({x, w, b}, std::move(y), [activation](const Tensor& g, GradientSink& s) {
    // gp = g * act'(y), written one column block at a time just before its column sums (the bias gradient)
    const Tensor& y = s.output_value();
    Tensor gp = Tensor::empty(g.shape(), g.dtype());
    Tensor db = Tensor::empty(s.input_value(2).shape(), g.dtype());
    gp.visit([&](auto& GP) {
      using T = kernels::value_of<decltype(GP)>;
      with_kernel<T>(activation, [&](const auto& act) {
        const std::size_t cols = g.shape()[1];
        const T* gv = g.data<T>();
        const T* yv = y.data<T>();
        T* out = GP.data();
        kernels::column_sums(out, g.shape()[0], cols, db.data<T>(), [&](std::size_t r, std::size_t c0, std::size_t c1) {
          const auto kernel = act;  // a local copy: its alpha may be loaded unconditionally, so the loop vectorises
          const T* gr = gv + r * cols;
          const T* yr = yv + r * cols;
          T* o = out + r * cols;
#pragma omp simd
          for (std::size_t c = c0; c < c1; ++c) o[c] = gr[c] * kernel.slope(yr[c]);
        });
      });
    });
    dense_backward(gp, std::move(db), s);
  });
}

}  // namespace xgrad
