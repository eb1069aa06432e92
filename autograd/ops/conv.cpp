#include "autograd/ops/conv.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "autograd/blas.hpp"
#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/ops/window.hpp"
#include "autograd/parallel.hpp"

namespace xgrad {
namespace {
const Op conv2d_op = define_op("conv2d", 3, "2-D convolution of x [N,C,H,W] with w [K,C/groups,kh,kw] plus b [K]");
const Op conv_transpose2d_op = define_op(
    "conv_transpose2d", 3, "2-D transposed convolution (conv2d's adjoint) of x with w [C,K/groups,kh,kw] + b");

// A convolution in conv2d's terms: input [n,c,h,w], weights [k, c/groups * kh * kw], output [n,k,oh,ow]. A
// transposed convolution is the same geometry run the other way (its x is the output side here, its y the input).
// The batch is processed in chunks of `chunk` samples: a group's col matrix of a chunk is [depth, chunk * oh * ow].
struct Geometry {
  std::size_t n = 0, c = 0, h = 0, w = 0, k = 0, kh = 1, kw = 1, oh = 0, ow = 0;
  std::size_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1, chunk = 1;
  std::size_t cg() const { return c / groups; }
  std::size_t kg() const { return k / groups; }
  std::size_t depth() const { return cg() * kh * kw; }
  std::size_t in_plane() const { return h * w; }
  std::size_t out_plane() const { return oh * ow; }
  std::size_t chunks() const { return (n + chunk - 1) / chunk; }
};

// About this many elements in a chunk's col matrix (256 KiB of float: it stays in L2 while the GEMM reads it), but
// at least 2 * max_blocks() chunks when the batch has the samples, so that the parts balance on the cores. A
// function of the shapes and max_blocks() only, never of the thread count.
constexpr std::size_t kColElements = std::size_t(1) << 16;

void set_chunk(Geometry& g) {
  const std::size_t per_sample = std::max<std::size_t>(1, g.depth() * g.out_plane());
  const std::size_t balanced = std::max<std::size_t>(1, g.n / (2 * blas::max_blocks()));
  g.chunk = std::max<std::size_t>(1, std::min(kColElements / per_sample, balanced));
}

std::string dims(const Shape& s) {
  return shape_string(s);
}

Geometry conv_geometry(const Shape& x, const Shape& w, const Conv2dOptions& o) {
  const std::string what = "x " + dims(x) + ", w " + dims(w);
  if (x.size() != 4) throw ShapeError("conv2d: x must be 4-D [N,C,H,W], got " + dims(x) + " (" + what + ")");
  if (w.size() != 4) throw ShapeError("conv2d: w must be 4-D [K,C/groups,kh,kw], got " + dims(w) + " (" + what + ")");
  if (o.groups == 0) throw InvalidArgument("conv2d: groups is 0 (must be >= 1); " + what);
  if (x[1] % o.groups != 0 || w[0] % o.groups != 0)
    throw InvalidArgument("conv2d: groups " + std::to_string(o.groups) + " does not divide the input channels " +
                          std::to_string(x[1]) + " of x and the output channels " + std::to_string(w[0]) + " of w (" +
                          what + ")");
  if (w[1] * o.groups != x[1])
    throw ShapeError("conv2d: channel mismatch: x " + dims(x) + " has " + std::to_string(x[1]) + " channels, w " +
                     dims(w) + " expects w[1] * groups = " + std::to_string(w[1]) + " * " + std::to_string(o.groups) +
                     " = " + std::to_string(w[1] * o.groups));
  Geometry g;
  g.n = x[0], g.c = x[1], g.h = x[2], g.w = x[3], g.k = w[0], g.kh = w[2], g.kw = w[3], g.groups = o.groups;
  g.sh = o.stride[0], g.sw = o.stride[1], g.ph = o.padding[0], g.pw = o.padding[1];
  g.dh = o.dilation[0], g.dw = o.dilation[1];
  g.oh = detail::window_output_size("conv2d", what, "rows", {g.h, g.kh, g.sh, g.ph, o.extra_end_padding[0], g.dh});
  g.ow = detail::window_output_size("conv2d", what, "columns", {g.w, g.kw, g.sw, g.pw, o.extra_end_padding[1], g.dw});
  set_chunk(g);
  return g;
}

// The transposed convolution's geometry in conv2d's terms: conv input = its output y [N,K,OH,OW], conv output = its
// input x [N,C,H,W], conv weights = w [C, K/groups * kh * kw].
Geometry transpose_geometry(const Shape& x, const Shape& w, const ConvTranspose2dOptions& o) {
  const std::string what = "x " + dims(x) + ", w " + dims(w);
  const char* op = "conv_transpose2d";
  if (x.size() != 4)
    throw ShapeError(std::string(op) + ": x must be 4-D [N,C,H,W], got " + dims(x) + " (" + what + ")");
  if (w.size() != 4)
    throw ShapeError(std::string(op) + ": w must be 4-D [C,K/groups,kh,kw], got " + dims(w) + " (" + what + ")");
  if (o.groups == 0) throw InvalidArgument(std::string(op) + ": groups is 0 (must be >= 1); " + what);
  if (x[1] != w[0])
    throw ShapeError(std::string(op) + ": channel mismatch: x " + dims(x) + " has " + std::to_string(x[1]) +
                     " channels, w " + dims(w) + " expects w[0] = " + std::to_string(w[0]));
  if (x[1] % o.groups != 0)
    throw InvalidArgument(std::string(op) + ": groups " + std::to_string(o.groups) +
                          " does not divide the input channels " + std::to_string(x[1]) + " (" + what + ")");
  Geometry g;
  g.n = x[0], g.k = x[1], g.oh = x[2], g.ow = x[3], g.c = w[1] * o.groups, g.kh = w[2], g.kw = w[3];
  g.groups = o.groups, g.sh = o.stride[0], g.sw = o.stride[1], g.ph = o.padding[0], g.pw = o.padding[1];
  g.dh = o.dilation[0], g.dw = o.dilation[1];
  const char* axes[2] = {"rows", "columns"};
  for (int a = 0; a < 2; ++a) {
    const std::size_t in = x[2 + a], kernel = w[2 + a], s = o.stride[a], d = o.dilation[a];
    const std::size_t pad = 2 * o.padding[a] + o.extra_end_padding[a], op_pad = o.output_padding[a];
    if (kernel == 0 || s == 0 || d == 0)
      throw InvalidArgument(std::string(op) + ": " + what + ": " +
                            (kernel == 0 ? "kernel"
                             : s == 0    ? "stride"
                                         : "dilation") +
                            " along the " + axes[a] + " is 0 (must be >= 1)");
    if (op_pad >= std::max(s, d))
      throw InvalidArgument(
          std::string(op) + ": output_padding along the " + axes[a] + " is " + std::to_string(op_pad) +
          ": must be below max(stride, dilation) = " + std::to_string(std::max(s, d)) + " (" + what + ")");
    const std::size_t full = in == 0 ? 0 : (in - 1) * s + d * (kernel - 1) + op_pad + 1;
    if (full <= pad)
      throw ShapeError(std::string(op) + ": " + what + ": the output size along the " + axes[a] +
                       " would be below 1: (" + std::to_string(in) + " - 1) * " + std::to_string(s) + " + " +
                       std::to_string(d) + " * (" + std::to_string(kernel) + " - 1) + " + std::to_string(op_pad) +
                       " + 1 - padding " + std::to_string(pad) + " = " +
                       std::to_string(static_cast<long long>(full) - static_cast<long long>(pad)));
    (a == 0 ? g.h : g.w) = full - pad;
  }
  set_chunk(g);
  return g;
}

void check_bias(const char* op, const Variable& x, const Variable& w, const Variable& b, std::size_t channels) {
  kernels::check_same_dtype(op, x.value(), w.value());
  if (!b.defined()) return;
  kernels::check_same_dtype(op, x.value(), b.value());
  if (b.dim() != 1 || b.shape()[0] != channels)
    throw ShapeError(std::string(op) + ": bias b " + dims(b.shape()) + " must be [" + std::to_string(channels) +
                     "] (the output channels) for x " + dims(x.shape()) + ", w " + dims(w.shape()));
}

using detail::Span;
Span valid(std::size_t out, std::size_t in, std::size_t s, std::size_t off, std::size_t p) {
  return detail::valid_span(out, in, s, off, p);
}

// col[(c*kh + u)*kw + v, i*ow + j] = x[c, i*sh + u*dh - ph, j*sw + v*dw - pw] (0 outside x) for the cg channels of
// one sample's group at x; col's rows are `ld` apart.
template <class T>
void im2col(const Geometry& g, const T* x, T* col, std::size_t ld) {
  for (std::size_t c = 0; c < g.cg(); ++c)
    for (std::size_t u = 0; u < g.kh; ++u) {
      const Span rows = valid(g.oh, g.h, g.sh, u * g.dh, g.ph);
      for (std::size_t v = 0; v < g.kw; ++v) {
        const Span cols = valid(g.ow, g.w, g.sw, v * g.dw, g.pw);
        T* dst = col + ((c * g.kh + u) * g.kw + v) * ld;
        for (std::size_t i = 0; i < g.oh; ++i, dst += g.ow) {
          if (i < rows.lo || i >= rows.hi) {
            std::fill(dst, dst + g.ow, T(0));
            continue;
          }
          const T* src = x + (c * g.h + i * g.sh + u * g.dh - g.ph) * g.w + v * g.dw;  // src[j*sw - pw], j >= lo
          std::fill(dst, dst + cols.lo, T(0));
          if (g.sw == 1) {
            std::copy(src + cols.lo - g.pw, src + cols.hi - g.pw, dst + cols.lo);
          } else {
            for (std::size_t j = cols.lo; j < cols.hi; ++j) dst[j] = src[j * g.sw - g.pw];
          }
          std::fill(dst + cols.hi, dst + g.ow, T(0));
        }
      }
    }
}

// The adjoint of im2col: x[c, i*sh + u*dh - ph, j*sw + v*dw - pw] += col[(c*kh + u)*kw + v, i*ow + j], in a fixed
// order (channel, kernel row, kernel column, output row).
template <class T>
void col2im(const Geometry& g, const T* col, std::size_t ld, T* x) {
  for (std::size_t c = 0; c < g.cg(); ++c)
    for (std::size_t u = 0; u < g.kh; ++u) {
      const Span rows = valid(g.oh, g.h, g.sh, u * g.dh, g.ph);
      for (std::size_t v = 0; v < g.kw; ++v) {
        const Span cols = valid(g.ow, g.w, g.sw, v * g.dw, g.pw);
        const T* src = col + ((c * g.kh + u) * g.kw + v) * ld;
        for (std::size_t i = rows.lo; i < rows.hi; ++i) {
          T* dst = x + (c * g.h + i * g.sh + u * g.dh - g.ph) * g.w + v * g.dw;
          const T* s = src + i * g.ow;
          if (g.sw == 1) {
            T* d = dst - g.pw;
#pragma omp simd
            for (std::size_t j = cols.lo; j < cols.hi; ++j) d[j] += s[j];
          } else {
            for (std::size_t j = cols.lo; j < cols.hi; ++j) dst[j * g.sw - g.pw] += s[j];
          }
        }
      }
    }
}

// Per-thread scratch, grown and kept (fresh large allocations page-fault on every use: toolchain note 4).
template <class T>
T* scratch(int slot, std::size_t n) {
  thread_local kernels::scratch_vector<T> buffers[2];
  kernels::scratch_vector<T>& b = buffers[slot];
  if (b.size() < n) b.resize(n);
  return b.data();
}

// The samples [n0, n1) of one chunk, conv input to output side: col = im2col(in) per group; then
// out = W col + bias (when out is set), and dw = side' col^T, added to dw when `accumulate` (when dw is set), with
// side' the chunk of `side` [n,k,oh,ow] gathered to [kg, samples * oh * ow].
template <class T>
void from_input_chunk(const Geometry& g, std::size_t n0, std::size_t n1, const T* in, const T* w, const T* bias, T* out,
                      const T* side, T* dw, bool accumulate) {
  const std::size_t op = g.out_plane(), cols = (n1 - n0) * op, depth = g.depth(), kg = g.kg();
  T* col = scratch<T>(0, depth * cols);
  T* mat = scratch<T>(1, kg * cols);
  for (std::size_t gi = 0; gi < g.groups; ++gi) {
    const T* wg = w + gi * kg * depth;
    for (std::size_t b = n0; b < n1; ++b)
      im2col(g, in + (b * g.c + gi * g.cg()) * g.in_plane(), col + (b - n0) * op, cols);
    if (out) {
      blas::gemm_serial(false, false, kg, cols, depth, T(1), wg, depth, col, cols, T(0), mat, cols);
      for (std::size_t b = n0; b < n1; ++b)
        for (std::size_t kk = 0; kk < kg; ++kk) {
          const T* src = mat + kk * cols + (b - n0) * op;
          T* dst = out + (b * g.k + gi * kg + kk) * op;
          const T add = bias ? bias[gi * kg + kk] : T(0);
#pragma omp simd
          for (std::size_t p = 0; p < op; ++p) dst[p] = src[p] + add;
        }
    }
    if (dw) {
      for (std::size_t b = n0; b < n1; ++b)
        for (std::size_t kk = 0; kk < kg; ++kk)
          std::memcpy(mat + kk * cols + (b - n0) * op, side + (b * g.k + gi * kg + kk) * op, op * sizeof(T));
      blas::gemm_serial(false, true, kg, depth, cols, T(1), mat, cols, col, cols, accumulate ? T(1) : T(0),
                        dw + gi * kg * depth, depth);
    }
  }
}

// The samples [n0, n1) of one chunk, output to input side: side' = the chunk of `side` [n,k,oh,ow] as
// [kg, samples * oh * ow] per group; dw = side' im2col(in)^T, added to dw when `accumulate` (when dw is set); and
// in_grad = col2im(W^T side') + in_bias per channel (when in_grad is set; in_bias may be null).
template <class T>
void to_input_chunk(const Geometry& g, std::size_t n0, std::size_t n1, const T* side, const T* w, const T* in, T* dw,
                    bool accumulate, T* in_grad, const T* in_bias) {
  const std::size_t op = g.out_plane(), ip = g.in_plane(), cols = (n1 - n0) * op, depth = g.depth(), kg = g.kg();
  T* col = scratch<T>(0, depth * cols);
  T* mat = scratch<T>(1, kg * cols);
  for (std::size_t gi = 0; gi < g.groups; ++gi) {
    const T* wg = w + gi * kg * depth;
    for (std::size_t b = n0; b < n1; ++b)
      for (std::size_t kk = 0; kk < kg; ++kk)
        std::memcpy(mat + kk * cols + (b - n0) * op, side + (b * g.k + gi * kg + kk) * op, op * sizeof(T));
    if (dw) {
      for (std::size_t b = n0; b < n1; ++b) im2col(g, in + (b * g.c + gi * g.cg()) * ip, col + (b - n0) * op, cols);
      blas::gemm_serial(false, true, kg, depth, cols, T(1), mat, cols, col, cols, accumulate ? T(1) : T(0),
                        dw + gi * kg * depth, depth);
    }
    if (in_grad) {
      blas::gemm_serial(true, false, depth, cols, kg, T(1), wg, depth, mat, cols, T(0), col, cols);
      for (std::size_t b = n0; b < n1; ++b) {
        T* x = in_grad + (b * g.c + gi * g.cg()) * ip;
        for (std::size_t c = 0; c < g.cg(); ++c)
          std::fill(x + c * ip, x + (c + 1) * ip, in_bias ? in_bias[gi * g.cg() + c] : T(0));
        col2im(g, col + (b - n0) * op, cols, x);
      }
    }
  }
}

// chunk(part, n0, n1, first) for every chunk of the batch: the chunks are dealt in `parts` contiguous runs that
// run in parallel, each serially in batch order (first: the run's first chunk), so a run can accumulate a sum.
template <class F>
void for_chunks(const Geometry& g, std::size_t parts, F chunk) {
  const std::size_t chunks = g.chunks();
  parallel::for_blocks(
      parts,
      [&](std::size_t p0, std::size_t p1) {
        for (std::size_t p = p0; p < p1; ++p)
          for (std::size_t ci = chunks * p / parts; ci < chunks * (p + 1) / parts; ++ci)
            chunk(p, ci * g.chunk, std::min(g.n, (ci + 1) * g.chunk), ci == chunks * p / parts);
      },
      1);
}

// A weight gradient accumulated over the batch in min(chunks, max_blocks()) runs: the first writes dw, the others
// their own partial sums, added to dw in run order. pass(part, n0, n1, first, dw_of_part).
template <class T, class F>
void weight_gradient_pass(const Geometry& g, T* dw, std::size_t dw_size, F pass) {
  if (g.n == 0) {
    if (dw) std::fill(dw, dw + dw_size, T(0));
    return;
  }
  const std::size_t parts = dw ? std::min(g.chunks(), blas::max_blocks()) : g.chunks();
  std::vector<T> partials(dw ? (parts - 1) * dw_size : 0);
  for_chunks(g, parts, [&](std::size_t p, std::size_t n0, std::size_t n1, bool first) {
    pass(n0, n1, first, !dw ? nullptr : p == 0 ? dw : partials.data() + (p - 1) * dw_size);
  });
  if (!dw || parts == 1) return;
  parallel::for_blocks(dw_size, [&](std::size_t e0, std::size_t e1) {
    for (std::size_t p = 1; p < parts; ++p) {
      const T* src = partials.data() + (p - 1) * dw_size;
      for (std::size_t e = e0; e < e1; ++e) dw[e] += src[e];
    }
  });
}

// db[c] = sum over samples and positions of t [n, channels, plane], in double, in sample then position order.
Tensor channel_sums(const Tensor& t, std::size_t n, std::size_t channels, std::size_t plane) {
  Tensor out = Tensor::empty(Shape{channels}, t.dtype());
  t.visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    const std::size_t grain = std::max<std::size_t>(1, parallel::kGrain / std::max<std::size_t>(1, n * plane));
    parallel::for_blocks(
        channels,
        [&](std::size_t c0, std::size_t c1) {
          for (std::size_t c = c0; c < c1; ++c) {
            double s = 0;
            for (std::size_t b = 0; b < n; ++b) {
              const T* q = p + (b * channels + c) * plane;
              for (std::size_t i = 0; i < plane; ++i) s += static_cast<double>(q[i]);
            }
            o[c] = static_cast<T>(s);
          }
        },
        grain);
  });
  return out;
}

template <class T>
T* data_or_null(Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// The backward of conv2d (transposed = false) or conv_transpose2d (true): dx and dw in one pass over the chunks
// (conv2d: output to input side; conv_transpose2d: input to output side), db the channel sums of gy.
void conv_backward(const Geometry& g, bool transposed, const Tensor& gy, GradientSink& s) {
  const Tensor& xv = s.input_value(0);
  const Tensor& wv = s.input_value(1);
  Tensor dx = s.needs(0) ? Tensor::empty(xv.shape(), xv.dtype()) : Tensor();
  Tensor dw = s.needs(1) ? Tensor::empty(wv.shape(), wv.dtype()) : Tensor();
  if (dx.defined() || dw.defined()) {
    gy.visit([&](const auto& G) {
      using T = kernels::value_of<decltype(G)>;
      T* dxp = data_or_null<T>(dx);
      weight_gradient_pass<T>(
          g, data_or_null<T>(dw), wv.size(), [&](std::size_t n0, std::size_t n1, bool first, T* dw_part) {
            if (transposed)
              from_input_chunk<T>(g, n0, n1, G.data(), wv.data<T>(), nullptr, dxp, xv.data<T>(), dw_part, !first);
            else
              to_input_chunk<T>(g, n0, n1, G.data(), wv.data<T>(), xv.data<T>(), dw_part, !first, dxp, nullptr);
          });
    });
  }
  if (dx.defined()) s.add(0, std::move(dx));
  if (dw.defined()) s.add(1, std::move(dw));
  if (s.needs(2))
    s.add(2, transposed ? channel_sums(gy, g.n, g.c, g.in_plane()) : channel_sums(gy, g.n, g.k, g.out_plane()));
}
}  // namespace

Shape conv2d_output_shape(const Shape& x, const Shape& w, const Conv2dOptions& options) {
  const Geometry g = conv_geometry(x, w, options);
  return Shape{g.n, g.k, g.oh, g.ow};
}

Shape conv_transpose2d_output_shape(const Shape& x, const Shape& w, const ConvTranspose2dOptions& options) {
  const Geometry g = transpose_geometry(x, w, options);
  return Shape{g.n, g.c, g.h, g.w};
}

Variable conv2d(const Variable& x, const Variable& w, const Variable& b, const Conv2dOptions& options) {
  const Geometry g = conv_geometry(x.shape(), w.shape(), options);
  check_bias("conv2d", x, w, b, g.k);
  const Variable bias = b.defined() ? b : constant(Tensor::zeros(Shape{g.k}, x.dtype()));
  Tensor y = Tensor::empty(Shape{g.n, g.k, g.oh, g.ow}, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T *in = x.value().data<T>(), *wv = w.value().data<T>(), *bv = bias.value().data<T>();
    for_chunks(g, g.chunks(), [&](std::size_t, std::size_t n0, std::size_t n1, bool) {
      from_input_chunk<T>(g, n0, n1, in, wv, bv, Y.data(), nullptr, nullptr, false);
    });
  });
  return conv2d_op.record({x, w, bias}, std::move(y),
                          [g](const Tensor& gy, GradientSink& s) { conv_backward(g, false, gy, s); });
}

Variable conv_transpose2d(const Variable& x, const Variable& w, const Variable& b,
                          const ConvTranspose2dOptions& options) {
  const Geometry g = transpose_geometry(x.shape(), w.shape(), options);
  check_bias("conv_transpose2d", x, w, b, g.c);
  const Variable bias = b.defined() ? b : constant(Tensor::zeros(Shape{g.c}, x.dtype()));
  Tensor y = Tensor::empty(Shape{g.n, g.c, g.h, g.w}, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T *in = x.value().data<T>(), *wv = w.value().data<T>(), *bv = bias.value().data<T>();
    for_chunks(g, g.chunks(), [&](std::size_t, std::size_t n0, std::size_t n1, bool) {
      to_input_chunk<T>(g, n0, n1, in, wv, nullptr, nullptr, false, Y.data(), bv);
    });
  });
  return conv_transpose2d_op.record({x, w, bias}, std::move(y),
                                    [g](const Tensor& gy, GradientSink& s) { conv_backward(g, true, gy, s); });
}

}  // namespace xgrad
