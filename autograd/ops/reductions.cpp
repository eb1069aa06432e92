#include "autograd/ops/reductions.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"

namespace xgrad {
namespace {
const Op sum_op = define_op("sum", 1, "sum of all elements or along an axis");
const Op mean_op = define_op("mean", 1, "mean of all elements or along an axis");
const Op max_op = define_op("max", 1, "maximum of all elements or along an axis");

// x viewed as [outer, len, inner] around the reduced axis
struct AxisView {
  std::size_t outer = 1, len = 1, inner = 1;
  Shape out_shape;
};

AxisView axis_view(const char* op, const Shape& shape, int axis, bool keepdims) {
  AxisView v;
  const std::size_t a = normalize_axis(op, axis, shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i < a) v.outer *= shape[i];
    if (i > a) v.inner *= shape[i];
    if (i == a) {
      v.len = shape[i];
      if (keepdims) v.out_shape.push_back(1);
    } else {
      v.out_shape.push_back(shape[i]);
    }
  }
  return v;
}

// out[o,i] = sum_l x[o,l,i] * scale, accumulated in double
Tensor sum_axis(const Tensor& x, const AxisView& v, double scale) {
  Tensor out = Tensor::empty(v.out_shape, x.dtype());
  x.visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    if (v.inner == 1) {
      parallel::for_rows(v.outer, v.len, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) {
          const T* row = p + r * v.len;
          double s = 0.0;
#pragma omp simd reduction(+ : s)
          for (std::size_t l = 0; l < v.len; ++l) s += static_cast<double>(row[l]);
          o[r] = static_cast<T>(s * scale);
        }
      });
      return;
    }
    parallel::for_rows(v.outer, v.len * v.inner, [&](std::size_t r0, std::size_t r1) {
      std::vector<double> acc(v.inner);
      for (std::size_t r = r0; r < r1; ++r) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::size_t l = 0; l < v.len; ++l) {
          const T* row = p + (r * v.len + l) * v.inner;
#pragma omp simd
          for (std::size_t i = 0; i < v.inner; ++i) acc[i] += static_cast<double>(row[i]);
        }
        for (std::size_t i = 0; i < v.inner; ++i) o[r * v.inner + i] = static_cast<T>(acc[i] * scale);
      }
    });
  });
  return out;
}

// grad of x from g of shape [outer, inner] (keepdims or not): dx[o,l,i] = g[o,i] * scale
Tensor expand_axis(const Tensor& g, const Shape& x_shape, const AxisView& v, double scale) {
  Tensor dx = Tensor::empty(x_shape, g.dtype());
  dx.visit([&](auto& d) {
    using T = kernels::value_of<decltype(d)>;
    const T* q = g.data<T>();
    T* o = d.data();
    const T sc = static_cast<T>(scale);
    parallel::for_rows(v.outer, v.len * v.inner, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r)
        for (std::size_t l = 0; l < v.len; ++l) {
          T* row = o + (r * v.len + l) * v.inner;
          const T* src = q + r * v.inner;
#pragma omp simd
          for (std::size_t i = 0; i < v.inner; ++i) row[i] = src[i] * sc;
        }
    });
  });
  return dx;
}

Variable sum_scaled(const Op& op, const Variable& x, double scale) {
  const double total = kernels::sum_all(x.value()) * scale;
  return op.record({x}, Tensor::scalar(total, x.dtype()), [scale](const Tensor& g, GradientSink& s) {
    s.add(0, Tensor::full(s.input_value(0).shape(), g.item() * scale, g.dtype()));
  });
}

Variable sum_axis_scaled(const Op& op, const char* name, const Variable& x, int axis, bool keepdims, bool average) {
  const AxisView v = axis_view(name, x.shape(), axis, keepdims);
  const double scale = average ? 1.0 / static_cast<double>(v.len) : 1.0;
  return op.record({x}, sum_axis(x.value(), v, scale), [v, scale](const Tensor& g, GradientSink& s) {
    s.add(0, expand_axis(g, s.input_value(0).shape(), v, scale));
  });
}
}  // namespace

std::size_t normalize_axis(const char* op, int axis, std::size_t rank) {
  const long r = static_cast<long>(rank);
  if (axis < -r || axis >= r)
    throw InvalidArgument(std::string(op) + ": axis " + std::to_string(axis) + " out of range for rank " +
                          std::to_string(rank));
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

Variable sum(const Variable& x) { return sum_scaled(sum_op, x, 1.0); }
Variable sum(const Variable& x, int axis, bool keepdims) {
  return sum_axis_scaled(sum_op, "sum", x, axis, keepdims, false);
}

Variable mean(const Variable& x) {
  if (x.size() == 0) throw InvalidArgument("mean: the input is empty (shape " + shape_string(x.shape()) + ")");
  return sum_scaled(mean_op, x, 1.0 / static_cast<double>(x.size()));
}
Variable mean(const Variable& x, int axis, bool keepdims) {
  const std::size_t a = normalize_axis("mean", axis, x.dim());
  if (x.shape()[a] == 0) throw InvalidArgument("mean: axis " + std::to_string(axis) + " has length 0");
  return sum_axis_scaled(mean_op, "mean", x, axis, keepdims, true);
}

namespace {
// max over [outer, len, inner]; index[o*inner+i] = l of the first maximum
Variable max_impl(const Variable& x, const AxisView& v) {
  if (v.len == 0) throw InvalidArgument("max: cannot reduce an empty axis (shape " + shape_string(x.shape()) + ")");
  Tensor out = Tensor::empty(v.out_shape, x.dtype());
  auto index = std::make_shared<std::vector<std::size_t>>(v.outer * v.inner);
  x.value().visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    parallel::for_rows(v.outer, v.len * v.inner, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r)
        for (std::size_t i = 0; i < v.inner; ++i) {
          std::size_t best = 0;
          T m = p[r * v.len * v.inner + i];
          for (std::size_t l = 1; l < v.len; ++l) {
            const T val = p[(r * v.len + l) * v.inner + i];
            if (val > m || (std::isnan(val) && !std::isnan(m))) {
              m = val;
              best = l;
            }
          }
          o[r * v.inner + i] = m;
          (*index)[r * v.inner + i] = best;
        }
    });
  });
  return max_op.record({x}, std::move(out), [v, index](const Tensor& g, GradientSink& s) {
    Tensor dx = Tensor::zeros(s.input_value(0).shape(), g.dtype());
    dx.visit([&](auto& d) {
      using T = kernels::value_of<decltype(d)>;
      const T* q = g.data<T>();
      for (std::size_t r = 0; r < v.outer; ++r)
        for (std::size_t i = 0; i < v.inner; ++i)
          d.data()[(r * v.len + (*index)[r * v.inner + i]) * v.inner + i] = q[r * v.inner + i];
    });
    s.add(0, std::move(dx));
  });
}
}  // namespace

Variable max(const Variable& x) {
  AxisView v;
  v.len = x.size();
  return max_impl(x, v);
}
Variable max(const Variable& x, int axis, bool keepdims) { return max_impl(x, axis_view("max", x.shape(), axis, keepdims)); }

}  // namespace xgrad
