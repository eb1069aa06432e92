#include "autograd/ops/pooling.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/ops/window.hpp"
#include "autograd/parallel.hpp"

namespace xgrad {
namespace {
const Op max_pool2d_op = define_op("max_pool2d", 1, "max over 2-D windows of x [N,C,H,W]; gradient to the arg-max");
const Op avg_pool2d_op = define_op("avg_pool2d", 1, "mean over 2-D windows of x [N,C,H,W]");
const Op pnorm_pool2d_op = define_op("pnorm_pool2d", 1, "(sum |x|^p)^(1/p) over 2-D windows of x [N,C,H,W]");

struct PoolGeometry {
  std::size_t planes = 0, oh = 0, ow = 0;  // planes = N * C
  detail::WindowAxis rows, cols;
};

PoolGeometry pool_geometry(const char* op, const Shape& x, const Pool2dOptions& o) {
  const std::string what =
      "x " + shape_string(x) + ", kernel [" + std::to_string(o.kernel[0]) + "," + std::to_string(o.kernel[1]) + "]";
  if (x.size() != 4) throw ShapeError(std::string(op) + ": x must be 4-D [N,C,H,W], got " + shape_string(x));
  PoolGeometry g;
  g.planes = x[0] * x[1];
  g.rows = {x[2], o.kernel[0], o.stride[0], o.padding[0], o.extra_end_padding[0], o.dilation[0]};
  g.cols = {x[3], o.kernel[1], o.stride[1], o.padding[1], o.extra_end_padding[1], o.dilation[1]};
  g.oh = detail::window_output_size(op, what, "rows", g.rows);
  g.ow = detail::window_output_size(op, what, "columns", g.cols);
  const char* names[2] = {"rows", "columns"};
  for (int a = 0; a < 2; ++a) {
    const detail::WindowAxis& w = a == 0 ? g.rows : g.cols;
    if (w.padding + w.extra_end_padding > w.dilation * (w.kernel - 1))
      throw InvalidArgument(std::string(op) + ": " + what + ": padding " + std::to_string(w.padding) + " + " +
                            std::to_string(w.extra_end_padding) + " along the " + names[a] +
                            " exceeds the dilated kernel's reach " + std::to_string(w.dilation * (w.kernel - 1)) +
                            " (a window would lie wholly in the padding)");
  }
  return g;
}

// f(plane, i, j, us, vs) for every window, with us/vs the kernel offsets whose cells lie inside x; parallel over
// fixed blocks of planes (each window's work is serial, so the results do not depend on the thread count).
template <class F>
void for_windows(const PoolGeometry& g, F f) {
  const std::size_t per_plane = std::max<std::size_t>(1, g.oh * g.ow * g.rows.kernel * g.cols.kernel);
  parallel::for_blocks(
      g.planes,
      [&](std::size_t p0, std::size_t p1) {
        for (std::size_t p = p0; p < p1; ++p)
          for (std::size_t i = 0; i < g.oh; ++i) {
            const detail::Span us =
                detail::valid_span(g.rows.kernel, g.rows.in, g.rows.dilation, i * g.rows.stride, g.rows.padding);
            for (std::size_t j = 0; j < g.ow; ++j) {
              const detail::Span vs =
                  detail::valid_span(g.cols.kernel, g.cols.in, g.cols.dilation, j * g.cols.stride, g.cols.padding);
              f(p, i, j, us, vs);
            }
          }
      },
      std::max<std::size_t>(1, parallel::kGrain / per_plane));
}

// Flat index in x of kernel cell (u, v) of window (i, j) on plane p (a cell inside x).
std::size_t cell(const PoolGeometry& g, std::size_t p, std::size_t i, std::size_t j, std::size_t u, std::size_t v) {
  const std::size_t r = i * g.rows.stride + u * g.rows.dilation - g.rows.padding;
  const std::size_t c = j * g.cols.stride + v * g.cols.dilation - g.cols.padding;
  return (p * g.rows.in + r) * g.cols.in + c;
}

std::size_t out_index(const PoolGeometry& g, std::size_t p, std::size_t i, std::size_t j) {
  return (p * g.oh + i) * g.ow + j;
}

Shape out_shape(const Shape& x, const PoolGeometry& g) {
  return Shape{x[0], x[1], g.oh, g.ow};
}

// The flat index of window (i, j)'s first maximal cell, or `none` for a window without cells.
template <class T>
std::size_t arg_max(const PoolGeometry& g, const T* x, std::size_t p, std::size_t i, std::size_t j, detail::Span us,
                    detail::Span vs, std::size_t none) {
  std::size_t best = none;
  T best_value = -std::numeric_limits<T>::infinity();
  for (std::size_t u = us.lo; u < us.hi; ++u)
    for (std::size_t v = vs.lo; v < vs.hi; ++v) {
      const std::size_t at = cell(g, p, i, j, u, v);
      if (best == none || x[at] > best_value) best = at, best_value = x[at];
    }
  return best;
}

// The number of window (i, j)'s cells counted by avg_pool2d's divisor along one axis: kernel offsets inside the
// padded input [-p, in + p + e) or inside x.
std::size_t counted(const detail::WindowAxis& a, std::size_t pos, detail::Span inside, bool include_pad) {
  if (!include_pad) return inside.hi - inside.lo;
  const detail::Span padded = detail::valid_span(a.kernel, a.padded(), a.dilation, pos * a.stride, 0);
  return padded.hi - padded.lo;
}

template <class T>
T divisor(const PoolGeometry& g, std::size_t i, std::size_t j, detail::Span us, detail::Span vs, bool include_pad) {
  const std::size_t n = counted(g.rows, i, us, include_pad) * counted(g.cols, j, vs, include_pad);
  return static_cast<T>(n == 0 ? 1 : n);
}
}  // namespace

Shape pool2d_output_shape(const char* op, const Shape& x, const Pool2dOptions& options) {
  return out_shape(x, pool_geometry(op, x, options));
}

Variable max_pool2d(const Variable& x, const Pool2dOptions& options) {
  const PoolGeometry g = pool_geometry("max_pool2d", x.shape(), options);
  Tensor y = Tensor::empty(out_shape(x.shape(), g), x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T* in = x.value().data<T>();
    T* out = Y.data();
    const std::size_t none = x.size();
    for_windows(g, [&](std::size_t p, std::size_t i, std::size_t j, detail::Span us, detail::Span vs) {
      const std::size_t at = arg_max(g, in, p, i, j, us, vs, none);
      out[out_index(g, p, i, j)] = at == none ? T(0) : in[at];
    });
  });
  return max_pool2d_op.record({x}, std::move(y), [g](const Tensor& gy, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    Tensor dx = Tensor::zeros(xv.shape(), xv.dtype());
    dx.visit([&](auto& DX) {
      using T = kernels::value_of<decltype(DX)>;
      const T* in = xv.data<T>();
      const T* gv = gy.data<T>();
      T* d = DX.data();
      const std::size_t none = xv.size();
      for_windows(g, [&](std::size_t p, std::size_t i, std::size_t j, detail::Span us, detail::Span vs) {
        const std::size_t at = arg_max(g, in, p, i, j, us, vs, none);
        if (at != none) d[at] += gv[out_index(g, p, i, j)];
      });
    });
    s.add(0, std::move(dx));
  });
}

Variable avg_pool2d(const Variable& x, const Pool2dOptions& options) {
  const PoolGeometry g = pool_geometry("avg_pool2d", x.shape(), options);
  const bool include_pad = options.count_include_pad;
  Tensor y = Tensor::empty(out_shape(x.shape(), g), x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T* in = x.value().data<T>();
    T* out = Y.data();
    for_windows(g, [&](std::size_t p, std::size_t i, std::size_t j, detail::Span us, detail::Span vs) {
      T sum = 0;
      for (std::size_t u = us.lo; u < us.hi; ++u)
        for (std::size_t v = vs.lo; v < vs.hi; ++v) sum += in[cell(g, p, i, j, u, v)];
      out[out_index(g, p, i, j)] = sum / divisor<T>(g, i, j, us, vs, include_pad);
    });
  });
  return avg_pool2d_op.record({x}, std::move(y), [g, include_pad](const Tensor& gy, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    Tensor dx = Tensor::zeros(xv.shape(), xv.dtype());
    dx.visit([&](auto& DX) {
      using T = kernels::value_of<decltype(DX)>;
      const T* gv = gy.data<T>();
      T* d = DX.data();
      for_windows(g, [&](std::size_t p, std::size_t i, std::size_t j, detail::Span us, detail::Span vs) {
        const T share = gv[out_index(g, p, i, j)] / divisor<T>(g, i, j, us, vs, include_pad);
        for (std::size_t u = us.lo; u < us.hi; ++u)
          for (std::size_t v = vs.lo; v < vs.hi; ++v) d[cell(g, p, i, j, u, v)] += share;
      });
    });
    s.add(0, std::move(dx));
  });
}

Variable pnorm_pool2d(const Variable& x, double p, const Pool2dOptions& options) {
  const PoolGeometry g = pool_geometry("pnorm_pool2d", x.shape(), options);
  if (!(p >= 1))
    throw InvalidArgument("pnorm_pool2d: p must be >= 1, got " + std::to_string(p) + " (x " + shape_string(x.shape()) +
                          ")");
  Tensor y = Tensor::empty(out_shape(x.shape(), g), x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T* in = x.value().data<T>();
    T* out = Y.data();
    const T pt = static_cast<T>(p);
    for_windows(g, [&](std::size_t q, std::size_t i, std::size_t j, detail::Span us, detail::Span vs) {
      T sum = 0;
      for (std::size_t u = us.lo; u < us.hi; ++u)
        for (std::size_t v = vs.lo; v < vs.hi; ++v) sum += std::pow(std::abs(in[cell(g, q, i, j, u, v)]), pt);
      out[out_index(g, q, i, j)] = std::pow(sum, T(1) / pt);
    });
  });
  return pnorm_pool2d_op.record({x}, std::move(y), [g, p](const Tensor& gy, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    const Tensor& yv = s.output_value();
    Tensor dx = Tensor::zeros(xv.shape(), xv.dtype());
    dx.visit([&](auto& DX) {
      using T = kernels::value_of<decltype(DX)>;
      const T* in = xv.data<T>();
      const T* out = yv.data<T>();
      const T* gv = gy.data<T>();
      T* d = DX.data();
      const T pt = static_cast<T>(p);
      // dy/dx = sign(x) |x|^(p-1) y^(1-p)
      for_windows(g, [&](std::size_t q, std::size_t i, std::size_t j, detail::Span us, detail::Span vs) {
        const std::size_t o = out_index(g, q, i, j);
        if (out[o] == T(0)) return;
        const T scale = gv[o] * std::pow(out[o], T(1) - pt);
        for (std::size_t u = us.lo; u < us.hi; ++u)
          for (std::size_t v = vs.lo; v < vs.hi; ++v) {
            const std::size_t at = cell(g, q, i, j, u, v);
            const T a = in[at];
            d[at] += (a > 0 ? scale : a < 0 ? -scale : T(0)) * std::pow(std::abs(a), pt - T(1));
          }
      });
    });
    s.add(0, std::move(dx));
  });
}

}  // namespace xgrad
