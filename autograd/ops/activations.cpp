// GCC 12 reports -Wuninitialized false positives inside xsimd's AVX-512 exp (toolchain note 17);
// before any include: the warning is located in the intrinsics headers.
#pragma GCC diagnostic ignored "-Wuninitialized"
#include "autograd/ops/activations.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/ops/shape.hpp"

namespace xgrad {
namespace {
template <class A>
using V = kernels::value_of<A>;

// Every activation is one fused op with a hand-written backward (one tape node each).
const Op identity_op = define_op("identity", 1, "x");
const Op sigmoid_op = define_op("sigmoid", 1, "1 / (1 + e^-x)");
const Op tanh_op = define_op("tanh", 1, "tanh x");
const Op relu_op = define_op("relu", 1, "max(x, 0)");
const Op relu6_op = define_op("relu6", 1, "min(max(x, 0), 6)");
const Op leaky_relu_op = define_op("leakyrelu", 1, "x > 0 ? x : alpha x");
const Op rrelu_op = define_op("rrelu", 1, "x >= 0 ? x : a x, a ~ U(lower, upper) in training, mean in inference");
const Op elu_op = define_op("elu", 1, "x > 0 ? x : alpha (e^x - 1)");
const Op selu_op = define_op("selu", 1, "lambda (x > 0 ? x : alpha (e^x - 1))");
const Op gelu_op = define_op("gelu", 1, "0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))");
const Op swish_op = define_op("swish", 1, "x sigmoid(x)");
const Op mish_op = define_op("mish", 1, "x tanh(softplus(x))");
const Op softplus_op = define_op("softplus", 1, "log(1 + e^x), stable");
const Op softsign_op = define_op("softsign", 1, "x / (1 + |x|)");
const Op hard_sigmoid_op = define_op("hardsigmoid", 1, "min(max(0.2 x + 0.5, 0), 1)");
const Op hard_tanh_op = define_op("hardtanh", 1, "min(max(x, -1), 1)");
const Op cube_op = define_op("cube", 1, "x^3");
const Op rational_tanh_op = define_op("rationaltanh", 1, "1.7159 tanh_approx(2x/3)");
const Op rectified_tanh_op = define_op("rectifiedtanh", 1, "max(0, tanh x)");
const Op thresholded_relu_op = define_op("thresholdedrelu", 1, "x > theta ? x : 0");
const Op log_sigmoid_op = define_op("log_sigmoid", 1, "-softplus(-x), stable");
const Op softmax_op = define_op("softmax", 1, "e^x_i / sum_j e^x_j along an axis");
const Op log_softmax_op = define_op("log_softmax", 1, "x_i - logsumexp(x) along an axis");
const Op logsumexp_op = define_op("logsumexp", 1, "log sum_i e^x_i along an axis");

constexpr double kSeluLambda = 1.0507009873554805;
constexpr double kSeluAlpha = 1.6732632423543772;
constexpr double kGeluC = 0.7978845608028654;  // sqrt(2/pi)
constexpr double kGeluA = 0.044715;

// Stable building blocks on 1-D expressions (x is an lvalue span; temporaries are moved in).
// sigmoid(x) = 1 / (1 + e^-x): e^-x overflows to inf for x << 0, giving exactly 0, never NaN.
template <class E>
auto sigmoid_expr(E&& a) {
  using T = V<std::decay_t<E>>;
  return T(1) / (T(1) + xt::exp(-std::forward<E>(a)));
}
// softplus(x) = max(x, 0) + log1p(e^-|x|)
template <class E>
auto softplus_expr(const E& a) {
  using T = V<E>;
  return xt::maximum(a, T(0)) + xt::log1p(xt::exp(-xt::abs(a)));
}

// out = f(O, a, b, ...) elementwise over same-shape tensors, in parallel blocks: f receives 1-D spans
// of the output block O and of each input and writes O with one or more xt::noalias assignments
// (so intermediate results can live in O instead of dangling in a returned expression).
template <class F, class... Ts>
Tensor compute(F f, const Tensor& first, const Ts&... rest) {
  Tensor out = Tensor::empty(first.shape(), first.dtype());
  first.visit([&](const auto& a) {
    using T = V<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    parallel::for_blocks(a.size(), [&](std::size_t b, std::size_t e) {
      auto O = kernels::span(o + b, e - b);
      f(O, kernels::span(p + b, e - b), kernels::span(rest.template data<T>() + b, e - b)...);
    });
  });
  return out;
}

// An elementwise activation: y = fwd(O, x) ; dx = bwd(O, g, x, y).
template <class F, class B>
Variable unary(const Op& op, const Variable& x, F fwd, B bwd) {
  return op.record({x}, compute(fwd, x.value()), [bwd](const Tensor& g, GradientSink& s) {
    s.add(0, compute(bwd, g, s.input_value(0), s.output_value()));
  });
}

// Leaky-ReLU family with a per-element (slopes defined) or a constant slope.
Variable leaky(const Op& op, const Variable& x, double alpha) {
  return unary(
      op, x,
      [alpha](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), a, T(alpha) * a);
      },
      [alpha](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), g, T(alpha) * g);
      });
}

// ---- softmax / log_softmax / logsumexp along one axis -------------------------------------------
// x is viewed as [outer, len, inner] around the axis; a "lane" is one (outer, inner) pair with len
// elements at stride `inner`. Lanes run in parallel row blocks (for 2-D along axis 1: one lane per
// row, contiguous). Strided lanes are gathered into a contiguous buffer so one kernel serves all.
struct Lanes {
  std::size_t outer = 1, len = 1, inner = 1;
  Shape reduced;  // shape of a per-lane result (keepdims or not)
};

Lanes lanes_of(const char* op, const Shape& shape, int axis, bool keepdims) {
  const AxisSplit a = split_at_axis(op, shape, axis);
  Lanes l{a.outer, a.len, a.inner, shape};
  if (keepdims)
    l.reduced[a.axis] = 1;
  else
    l.reduced.erase(l.reduced.begin() + static_cast<std::ptrdiff_t>(a.axis));
  return l;
}

// f(lane index, offset of the lane's first element) over all lanes, in parallel blocks of lanes.
template <class F>
void for_lanes(const Lanes& l, F f) {
  parallel::for_rows(l.outer * l.inner, l.len, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) f(r, (r / l.inner) * l.len * l.inner + r % l.inner);
  });
}

// A lane's elements as a contiguous array: the data itself when the stride is 1, else gathered
// into `buf` (a per-thread scratch vector).
template <class T>
const T* lane_in(const T* p, std::size_t base, const Lanes& l, kernels::scratch_vector<T>& buf) {
  if (l.inner == 1) return p + base;
  buf.resize(l.len);
  for (std::size_t k = 0; k < l.len; ++k) buf[k] = p[base + k * l.inner];
  return buf.data();
}
// Where to write a lane's results: in place when the stride is 1, else `buf` (then lane_out_done).
template <class T>
T* lane_out(T* p, std::size_t base, const Lanes& l, kernels::scratch_vector<T>& buf) {
  if (l.inner == 1) return p + base;
  buf.resize(l.len);
  return buf.data();
}
template <class T>
void lane_out_done(const T* y, T* p, std::size_t base, const Lanes& l) {
  if (l.inner == 1) return;
  for (std::size_t k = 0; k < l.len; ++k) p[base + k * l.inner] = y[k];
}

template <class T>
T lane_max(const T* x, std::size_t n) {
  T m = -std::numeric_limits<T>::infinity();
  for (std::size_t k = 0; k < n; ++k) m = std::max(m, x[k]);
  return std::isfinite(m) ? m : T(0);  // all -inf (or +inf): no shift
}

// y = e^(x - m) and returns m, sum(y) (in double).
template <class T>
double shifted_exp(const T* x, T* y, std::size_t n, T& m) {
  m = lane_max(x, n);
  auto Y = kernels::span(y, n);
  xt::noalias(Y) = xt::exp(kernels::span(x, n) - m);
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (std::size_t k = 0; k < n; ++k) s += static_cast<double>(y[k]);
  return s;
}

enum class AxisKind { softmax, log_softmax };

// softmax / log_softmax forward: out has x's shape.
Tensor softmax_forward(const Tensor& x, const Lanes& l, AxisKind kind) {
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  x.visit([&](const auto& a) {
    using T = V<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    for_lanes(l, [&](std::size_t, std::size_t base) {
      thread_local kernels::scratch_vector<T> in_buf, out_buf;
      const T* xin = lane_in(p, base, l, in_buf);
      T* y = lane_out(o, base, l, out_buf);
      T m;
      const double s = shifted_exp(xin, y, l.len, m);
      auto Y = kernels::span(y, l.len);
      if (kind == AxisKind::softmax)
        xt::noalias(Y) = Y * static_cast<T>(1.0 / s);
      else
        xt::noalias(Y) = kernels::span(xin, l.len) - static_cast<T>(static_cast<double>(m) + std::log(s));
      lane_out_done(y, o, base, l);
    });
  });
  return out;
}

// softmax: dx = y (g - <g, y>);  log_softmax: dx = g - e^y sum(g).
Tensor softmax_backward(const Tensor& g, const Tensor& y, const Lanes& l, AxisKind kind) {
  Tensor dx = Tensor::empty(y.shape(), y.dtype());
  y.visit([&](const auto& ya) {
    using T = V<decltype(ya)>;
    const T* gp = g.data<T>();
    const T* yp = ya.data();
    T* o = dx.data<T>();
    for_lanes(l, [&](std::size_t, std::size_t base) {
      thread_local kernels::scratch_vector<T> gb, yb, ob;
      const T* gl = lane_in(gp, base, l, gb);
      const T* yl = lane_in(yp, base, l, yb);
      T* ol = lane_out(o, base, l, ob);
      auto G = kernels::span(gl, l.len);
      auto Y = kernels::span(yl, l.len);
      auto O = kernels::span(ol, l.len);
      double s = 0.0;
      if (kind == AxisKind::softmax) {
#pragma omp simd reduction(+ : s)
        for (std::size_t k = 0; k < l.len; ++k) s += static_cast<double>(gl[k]) * static_cast<double>(yl[k]);
        xt::noalias(O) = Y * (G - static_cast<T>(s));
      } else {
#pragma omp simd reduction(+ : s)
        for (std::size_t k = 0; k < l.len; ++k) s += static_cast<double>(gl[k]);
        xt::noalias(O) = G - xt::exp(Y) * static_cast<T>(s);
      }
      lane_out_done(ol, o, base, l);
    });
  });
  return dx;
}

Variable axis_softmax(const Op& op, const char* name, const Variable& x, int axis, AxisKind kind) {
  const Lanes l = lanes_of(name, x.shape(), axis, false);
  return op.record({x}, softmax_forward(x.value(), l, kind), [l, kind](const Tensor& g, GradientSink& s) {
    s.add(0, softmax_backward(g, s.output_value(), l, kind));
  });
}
}  // namespace

Variable identity(const Variable& x) {
  return unary(
      identity_op, x, [](auto& O, auto&& a) { xt::noalias(O) = 1 * a; },
      [](auto& O, auto&& g, auto&&, auto&&) { xt::noalias(O) = 1 * g; });
}

Variable sigmoid(const Variable& x) {
  return unary(
      sigmoid_op, x, [](auto& O, auto&& a) { xt::noalias(O) = sigmoid_expr(a); },
      [](auto& O, auto&& g, auto&&, auto&& y) {
        using T = V<decltype(y)>;
        xt::noalias(O) = g * y * (T(1) - y);
      });
}

Variable tanh(const Variable& x) {
  return unary(
      tanh_op, x, [](auto& O, auto&& a) { xt::noalias(O) = xt::tanh(a); },
      [](auto& O, auto&& g, auto&&, auto&& y) {
        using T = V<decltype(y)>;
        xt::noalias(O) = g * (T(1) - y * y);
      });
}

Variable relu(const Variable& x) {
  return unary(
      relu_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::maximum(a, T(0));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), g, T(0));
      });
}

Variable relu6(const Variable& x) {
  return unary(
      relu6_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::clip(a, T(0), T(6));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0) && a < T(6), g, T(0));
      });
}

Variable leaky_relu(const Variable& x, double alpha) {
  return leaky(leaky_relu_op, x, alpha);
}

Variable rrelu(const Variable& x, bool training, Generator& gen, double lower, double upper) {
  if (!(lower >= 0 && lower <= upper))
    throw InvalidArgument("rrelu: need 0 <= lower <= upper, got lower=" + std::to_string(lower) +
                          " upper=" + std::to_string(upper));
  if (!training) return leaky(rrelu_op, x, 0.5 * (lower + upper));
  Tensor slopes = gen.uniform(x.shape(), lower, upper, x.dtype());
  Tensor y = compute(
      [](auto& O, auto&& a, auto&& k) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a >= T(0), a, k * a);
      },
      x.value(), slopes);
  return rrelu_op.record({x}, std::move(y), [slopes = std::move(slopes)](const Tensor& g, GradientSink& s) {
    s.add(0, compute(
                 [](auto& O, auto&& gg, auto&& a, auto&& k) {
                   using T = V<decltype(a)>;
                   xt::noalias(O) = xt::where(a >= T(0), gg, k * gg);
                 },
                 g, s.input_value(0), slopes));
  });
}

Variable elu(const Variable& x, double alpha) {
  // dy/dx = alpha e^x = y + alpha for x <= 0
  return unary(
      elu_op, x,
      [alpha](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), a, T(alpha) * xt::expm1(xt::minimum(a, T(0))));
      },
      [alpha](auto& O, auto&& g, auto&& a, auto&& y) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), g, g * (y + T(alpha)));
      });
}

Variable selu(const Variable& x) {
  return unary(
      selu_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = T(kSeluLambda) * xt::where(a > T(0), a, T(kSeluAlpha) * xt::expm1(xt::minimum(a, T(0))));
      },
      [](auto& O, auto&& g, auto&& a, auto&& y) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), T(kSeluLambda) * g, g * (y + T(kSeluLambda * kSeluAlpha)));
      });
}

Variable gelu(const Variable& x) {
  // u = c (x + a x^3), t = tanh u; dy/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2)
  return unary(
      gelu_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = T(0.5) * a * (T(1) + xt::tanh(T(kGeluC) * (a + T(kGeluA) * a * a * a)));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::tanh(T(kGeluC) * (a + T(kGeluA) * a * a * a));  // t
        xt::noalias(O) = g * T(0.5) * (T(1) + O + a * (T(1) - O * O) * T(kGeluC) * (T(1) + T(3 * kGeluA) * a * a));
      });
}

Variable swish(const Variable& x) {
  // dy/dx = s + x s (1 - s), s = sigmoid(x)
  return unary(
      swish_op, x, [](auto& O, auto&& a) { xt::noalias(O) = a * sigmoid_expr(a); },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = sigmoid_expr(a);  // s
        xt::noalias(O) = g * O * (T(1) + a * (T(1) - O));
      });
}

Variable mish(const Variable& x) {
  // t = tanh(softplus x); dy/dx = t + x (1 - t^2) sigmoid(x)
  return unary(
      mish_op, x, [](auto& O, auto&& a) { xt::noalias(O) = a * xt::tanh(softplus_expr(a)); },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::tanh(softplus_expr(a));  // t
        xt::noalias(O) = g * (O + a * (T(1) - O * O) * sigmoid_expr(a));
      });
}

Variable softplus(const Variable& x) {
  return unary(
      softplus_op, x, [](auto& O, auto&& a) { xt::noalias(O) = softplus_expr(a); },
      [](auto& O, auto&& g, auto&& a, auto&&) { xt::noalias(O) = g * sigmoid_expr(a); });
}

Variable softsign(const Variable& x) {
  return unary(
      softsign_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = a / (T(1) + xt::abs(a));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = T(1) + xt::abs(a);  // d
        xt::noalias(O) = g / (O * O);
      });
}

Variable hard_sigmoid(const Variable& x) {
  return unary(
      hard_sigmoid_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::clip(T(0.2) * a + T(0.5), T(0), T(1));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(-2.5) && a < T(2.5), T(0.2) * g, T(0));
      });
}

Variable hard_tanh(const Variable& x) {
  return unary(
      hard_tanh_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::clip(a, T(-1), T(1));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(-1) && a < T(1), g, T(0));
      });
}

Variable cube(const Variable& x) {
  return unary(
      cube_op, x, [](auto& O, auto&& a) { xt::noalias(O) = a * a * a; },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = T(3) * g * a * a;
      });
}

Variable rational_tanh(const Variable& x) {
  // z = 2x/3, D = 1 + |z| + z^2 + 1.41645 z^4, y = 1.7159 sgn(z) (1 - 1/D);
  // dy/dx = 1.7159 (2/3) (1 + 2|z| + 4 1.41645 |z|^3) / D^2
  return unary(
      rational_tanh_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::abs(T(2.0 / 3.0) * a);  // z
        xt::noalias(O) = T(1.7159) * xt::sign(a) * (T(1) - T(1) / (T(1) + O + O * O + T(1.41645) * (O * O) * (O * O)));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        auto z = xt::abs(T(2.0 / 3.0) * a);  // an expression of a: safe to reuse (holds a by reference)
        xt::noalias(O) = T(1) + z + z * z + T(1.41645) * (z * z) * (z * z);  // D
        xt::noalias(O) = g * T(1.7159 * 2.0 / 3.0) * (T(1) + T(2) * z + T(4 * 1.41645) * z * z * z) / (O * O);
      });
}

Variable rectified_tanh(const Variable& x) {
  return unary(
      rectified_tanh_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::maximum(xt::tanh(a), T(0));
      },
      [](auto& O, auto&& g, auto&& a, auto&& y) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(0), g * (T(1) - y * y), T(0));
      });
}

Variable thresholded_relu(const Variable& x, double theta) {
  return unary(
      thresholded_relu_op, x,
      [theta](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(theta), a, T(0));
      },
      [theta](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::where(a > T(theta), g, T(0));
      });
}

Variable log_sigmoid(const Variable& x) {
  // min(x, 0) - log1p(e^-|x|); dy/dx = sigmoid(-x) = 1 / (1 + e^x)
  return unary(
      log_sigmoid_op, x,
      [](auto& O, auto&& a) {
        using T = V<decltype(a)>;
        xt::noalias(O) = xt::minimum(a, T(0)) - xt::log1p(xt::exp(-xt::abs(a)));
      },
      [](auto& O, auto&& g, auto&& a, auto&&) {
        using T = V<decltype(a)>;
        xt::noalias(O) = g / (T(1) + xt::exp(a));
      });
}

Variable softmax(const Variable& x, int axis) {
  return axis_softmax(softmax_op, "softmax", x, axis, AxisKind::softmax);
}

Variable log_softmax(const Variable& x, int axis) {
  return axis_softmax(log_softmax_op, "log_softmax", x, axis, AxisKind::log_softmax);
}

Variable logsumexp(const Variable& x, int axis, bool keepdims) {
  const Lanes l = lanes_of("logsumexp", x.shape(), axis, keepdims);
  Tensor out = Tensor::empty(l.reduced, x.dtype());
  x.value().visit([&](const auto& a) {
    using T = V<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    for_lanes(l, [&](std::size_t lane, std::size_t base) {
      thread_local kernels::scratch_vector<T> in_buf, tmp;
      const T* xin = lane_in(p, base, l, in_buf);
      tmp.resize(l.len);
      T m;
      const double s = shifted_exp(xin, tmp.data(), l.len, m);
      o[lane] = static_cast<T>(static_cast<double>(m) + std::log(s));
    });
  });
  // dx = g_lane e^(x - out_lane)
  return logsumexp_op.record({x}, std::move(out), [l](const Tensor& g, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    Tensor dx = Tensor::empty(xv.shape(), xv.dtype());
    xv.visit([&](const auto& a) {
      using T = V<decltype(a)>;
      const T* p = a.data();
      const T* gp = g.data<T>();
      const T* op = s.output_value().data<T>();
      T* d = dx.data<T>();
      for_lanes(l, [&](std::size_t lane, std::size_t base) {
        const T gl = gp[lane], ol = op[lane];
        if (l.inner == 1) {
          auto D = kernels::span(d + base, l.len);
          xt::noalias(D) = gl * xt::exp(kernels::span(p + base, l.len) - ol);
          return;
        }
        for (std::size_t k = 0; k < l.len; ++k) d[base + k * l.inner] = gl * std::exp(p[base + k * l.inner] - ol);
      });
    });
    s.add(0, std::move(dx));
  });
}

}  // namespace xgrad
