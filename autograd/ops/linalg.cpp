#include "autograd/ops/linalg.hpp"

#include <algorithm>
#include <vector>

#include <xsimd/xsimd.hpp>

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

// The product c = op(a)·op(b) (beta 0) for blas::gemm_batch; c pre-sized [m,n].
template <class T>
blas::Product<T> product_into(const Tensor& a, bool ta, const Tensor& b, bool tb, Tensor& c,
                              blas::Keep keep = blas::Keep::largest) {
  const GemmShape s = gemm_shape("gemm", a.shape(), b.shape(), ta, tb);
  blas::Product<T> p;
  p.trans_a = ta, p.trans_b = tb, p.m = s.m, p.n = s.n, p.k = s.k, p.keep = keep;
  p.a = a.data<T>(), p.lda = a.shape()[1], p.b = b.data<T>(), p.ldb = b.shape()[1], p.c = c.data<T>(), p.ldc = s.n;
  return p;
}

Tensor gemm(const Tensor& a, bool ta, const Tensor& b, bool tb) {
  const GemmShape s = gemm_shape("gemm", a.shape(), b.shape(), ta, tb);
  Tensor c = Tensor::empty(Shape{s.m, s.n}, a.dtype());
  c.visit([&](auto& C) { blas::gemm(product_into<kernels::value_of<decltype(C)>>(a, ta, b, tb, c)); });
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
// The checks of dense's operands: dtypes, inner dimensions, and a bias of the output width.
void check_dense(const Variable& x, const Variable& w, const Variable& b) {
  kernels::check_same_dtype("dense", x.value(), w.value());
  kernels::check_same_dtype("dense", x.value(), b.value());
  const GemmShape s = gemm_shape("dense", x.shape(), w.shape(), false, false);
  if (b.size() != s.n || (b.dim() == 2 && b.shape()[0] != 1) || b.dim() > 2 || b.dim() == 0)
    throw ShapeError("dense: bias " + shape_string(b.shape()) + " does not fit the output width " +
                     std::to_string(s.n) + " (expected [" + std::to_string(s.n) + "] or [1," + std::to_string(s.n) +
                     "])");
}

// Kernels of the activations applied in dense's product blocks: apply(v) = act(v) on an xsimd batch; for the
// fused ones also slope(y) = act'(x) from y = act(x).
struct IdentityKernel {  // the plain dense op
  template <class B>
  B apply(B v) const {
    return v;
  }
};
template <class T>
struct SigmoidKernel {
  template <class B>
  B apply(B v) const {
    return B(T(1)) / (B(T(1)) + xsimd::exp(-v));
  }
  T slope(T y) const { return y * (T(1) - y); }
};
template <class T>
struct TanhKernel {
  template <class B>
  B apply(B v) const {
    return xsimd::tanh(v);
  }
  T slope(T y) const { return T(1) - y * y; }
};
template <class T>
struct LeakyKernel {  // relu: alpha = 0
  T alpha;
  template <class B>
  B apply(B v) const {
    return xsimd::select(v > B(T(0)), v, B(alpha) * v);
  }
  T slope(T y) const { return y > T(0) ? T(1) : alpha; }
};

// p[0, n) = act(p[0, n) + bias[0, n)) in xsimd batches, the tail through one zero-padded batch: every element
// goes through the same vector function wherever it lies, so the bits depend neither on alignment nor on the
// block cut.
template <class T, class Act>
void add_bias_and_activate(const Act& act, T* p, const T* bias, std::size_t n) {
  using Batch = xsimd::batch<T>;
  constexpr std::size_t lanes = Batch::size;
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes)
    act.apply(Batch::load_unaligned(p + i) + Batch::load_unaligned(bias + i)).store_unaligned(p + i);
  if (i == n) return;
  alignas(Batch::arch_type::alignment()) T tail[lanes] = {}, tail_bias[lanes] = {};
  std::copy(p + i, p + n, tail);
  std::copy(bias + i, bias + n, tail_bias);
  act.apply(Batch::load_aligned(tail) + Batch::load_aligned(tail_bias)).store_aligned(tail);
  std::copy(tail, tail + (n - i), p + i);
}

// act(x·W + b): each block of the product gets its bias and activation as soon as it is final, on the thread
// that computed it. W keeps to the same blocks (and core) in all three products and in the optimizer (blas.hpp).
template <class Act>
Tensor dense_forward(const Tensor& x, const Tensor& w, const Tensor& b, const Act& act) {
  Tensor y = Tensor::empty(Shape{x.shape()[0], w.shape()[1]}, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    blas::Product<T> p = product_into<T>(x, false, w, false, y, blas::Keep::b);
    const T* bias = b.data<T>();
    T* out = Y.data();
    const std::size_t n = p.n;
    p.finish = [=](const blas::Region& r) {
      for (std::size_t i = r.row_begin; i < r.row_end; ++i)
        add_bias_and_activate(act, out + i * n + r.col_begin, bias + r.col_begin, r.col_end - r.col_begin);
    };
    blas::gemm(p);
  });
  return y;
}

// The products of dense's backward from the gradient gp of x·W + b, both in one parallel region; the bias
// gradient is given.
void dense_backward(const Tensor& gp, Tensor bias_grad, GradientSink& s) {
  const Tensor& x = s.input_value(0);
  const Tensor& w = s.input_value(1);
  Tensor dx = s.needs(0) ? Tensor::empty(x.shape(), x.dtype()) : Tensor();
  Tensor dw = s.needs(1) ? Tensor::empty(w.shape(), w.dtype()) : Tensor();
  gp.visit([&](const auto& G) {
    using T = kernels::value_of<decltype(G)>;
    std::vector<blas::Product<T>> products;
    if (dx.defined()) products.push_back(product_into<T>(gp, false, w, true, dx, blas::Keep::b));
    if (dw.defined()) products.push_back(product_into<T>(x, true, gp, false, dw, blas::Keep::c));
    blas::gemm_batch(products);
  });
  if (dx.defined()) s.add(0, std::move(dx));
  if (dw.defined()) s.add(1, std::move(dw));
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
  check_dense(x, w, b);
  Tensor y = dense_forward(x.value(), w.value(), b.value(), IdentityKernel{});
  return dense_op.record({x, w, b}, std::move(y), [](const Tensor& g, GradientSink& s) {
    dense_backward(g, s.needs(2) ? kernels::reduce_to_shape(g, s.input_value(2).shape()) : Tensor(), s);
  });
}

Variable dense(const Variable& x, const Variable& w, const Variable& b, const Activation& activation, bool training,
               Generator* gen) {
  if (!fusable(activation)) return activation.apply(dense(x, w, b), training, gen);
  check_dense(x, w, b);
  Tensor y;
  x.value().visit([&](const auto& X) {
    using T = kernels::value_of<decltype(X)>;
    with_kernel<T>(activation, [&](const auto& act) { y = dense_forward(x.value(), w.value(), b.value(), act); });
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
