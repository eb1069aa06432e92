#include "autograd/ops/shape.hpp"

#include <algorithm>
#include <cstring>

#include <xtensor/xbroadcast.hpp>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/ops/reductions.hpp"

namespace xgrad {
namespace {
const Op transpose_op = define_op("transpose", 1, "2-D transpose");
const Op reshape_op = define_op("reshape", 1, "same elements, new shape");
const Op slice_op = define_op("slice", 1, "x[begin:end] along an axis");
const Op concat_op = define_op("concat", 0, "join inputs along an axis (variadic)");
const Op broadcast_to_op = define_op("broadcast_to", 1, "broadcast to a shape (NumPy rules)");

template <class A>
using V = kernels::value_of<A>;

// y[j,i] = x[i,j] for x [m,n], in 32x32 tiles, parallel over tile rows of x.
Tensor transpose2d(const Tensor& x) {
  const std::size_t m = x.shape()[0], n = x.shape()[1];
  Tensor out = Tensor::empty(Shape{n, m}, x.dtype());
  x.visit([&](const auto& a) {
    using T = V<decltype(a)>;
    const T* p = a.data();
    T* o = out.data<T>();
    constexpr std::size_t tile = 32;
    parallel::for_rows((m + tile - 1) / tile, tile * n, [&](std::size_t t0, std::size_t t1) {
      for (std::size_t i0 = t0 * tile; i0 < std::min(m, t1 * tile); i0 += tile)
        for (std::size_t j0 = 0; j0 < n; j0 += tile)
          for (std::size_t i = i0; i < std::min(m, i0 + tile); ++i)
            for (std::size_t j = j0; j < std::min(n, j0 + tile); ++j) o[j * m + i] = p[i * n + j];
    });
  });
  return out;
}

// For o in [0, outer): dst[o, dst_off : dst_off + width, :] = src[o, src_off : src_off + width, :],
// with src viewed as [outer, src_len, inner] and dst as [outer, dst_len, inner].
void copy_slab(const Tensor& src, std::size_t src_len, std::size_t src_off, Tensor& dst, std::size_t dst_len,
               std::size_t dst_off, std::size_t width, std::size_t outer, std::size_t inner) {
  dst.visit([&](auto& d) {
    using T = V<decltype(d)>;
    const T* s = src.data<T>();
    T* o = d.data();
    const std::size_t chunk = width * inner;
    if (chunk == 0) return;
    parallel::for_rows(outer, chunk, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r)
        std::memcpy(o + (r * dst_len + dst_off) * inner, s + (r * src_len + src_off) * inner, chunk * sizeof(T));
    });
  });
}

Shape with_axis(Shape shape, std::size_t axis, std::size_t len) {
  shape[axis] = len;
  return shape;
}
}  // namespace

AxisSplit split_at_axis(const char* op, const Shape& shape, int axis) {
  AxisSplit s;
  s.axis = normalize_axis(op, axis, shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i < s.axis) s.outer *= shape[i];
    if (i > s.axis) s.inner *= shape[i];
  }
  s.len = shape[s.axis];
  return s;
}

Variable transpose(const Variable& x) {
  if (x.dim() != 2)
    throw ShapeError("transpose: expected a 2-D input, got " + shape_string(x.shape()) + " (use reshape first)");
  return transpose_op.record({x}, transpose2d(x.value()),
                             [](const Tensor& g, GradientSink& s) { s.add(0, transpose2d(g)); });
}

Variable reshape(const Variable& x, const Shape& shape) {
  if (shape_size(shape) != x.size())
    throw ShapeError("reshape: cannot reshape " + shape_string(x.shape()) + " (" + std::to_string(x.size()) +
                     " elements) to " + shape_string(shape) + " (" + std::to_string(shape_size(shape)) + " elements)");
  return reshape_op.record({x}, x.value().reshaped(shape),
                           [](const Tensor& g, GradientSink& s) { s.add(0, g.reshaped(s.input_value(0).shape())); });
}

Variable flatten(const Variable& x, int start_axis) {
  if (x.dim() == 0) throw ShapeError("flatten: expected at least a 1-D input, got a scalar " + shape_string(x.shape()));
  const std::size_t a = normalize_axis("flatten", start_axis, x.dim());
  Shape shape(x.shape().begin(), x.shape().begin() + static_cast<std::ptrdiff_t>(a));
  shape.push_back(1);
  for (std::size_t i = a; i < x.dim(); ++i) shape.back() *= x.shape()[i];
  return reshape(x, shape);
}

Variable slice(const Variable& x, int axis, long begin, long end) {
  const AxisSplit a = split_at_axis("slice", x.shape(), axis);
  const long len = static_cast<long>(a.len);
  if (begin < 0 || end < 0)
    throw InvalidArgument("slice: negative bound (begin " + std::to_string(begin) + ", end " + std::to_string(end) +
                          ") on axis " + std::to_string(axis) + " of " + shape_string(x.shape()) +
                          "; bounds must satisfy 0 <= begin <= end <= " + std::to_string(len));
  if (begin > end || end > len)
    throw InvalidArgument("slice: bounds [" + std::to_string(begin) + ", " + std::to_string(end) +
                          ") out of range for axis " + std::to_string(axis) + " of " + shape_string(x.shape()) +
                          "; need 0 <= begin <= end <= " + std::to_string(len));
  const std::size_t b = static_cast<std::size_t>(begin), w = static_cast<std::size_t>(end - begin);
  Tensor y = Tensor::empty(with_axis(x.shape(), a.axis, w), x.dtype());
  copy_slab(x.value(), a.len, b, y, w, 0, w, a.outer, a.inner);
  return slice_op.record({x}, std::move(y), [a, b, w](const Tensor& g, GradientSink& s) {
    Tensor dx = Tensor::zeros(s.input_value(0).shape(), g.dtype());
    copy_slab(g, w, 0, dx, a.len, b, w, a.outer, a.inner);
    s.add(0, std::move(dx));
  });
}

Variable concat(const std::vector<Variable>& xs, int axis) {
  if (xs.empty()) throw InvalidArgument("concat: no inputs");
  for (std::size_t k = 0; k < xs.size(); ++k)
    if (!xs[k].defined()) throw InvalidArgument("concat: input " + std::to_string(k) + " is undefined");
  const Shape& first = xs[0].shape();
  const AxisSplit a = split_at_axis("concat", first, axis);
  std::vector<std::size_t> offsets;  // start of each input along the axis
  std::size_t total = 0;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const Shape& sk = xs[k].shape();
    kernels::check_same_dtype("concat", xs[0].value(), xs[k].value());
    bool fits = sk.size() == first.size();
    for (std::size_t i = 0; fits && i < sk.size(); ++i) fits = i == a.axis || sk[i] == first[i];
    if (!fits)
      throw ShapeError("concat: input " + std::to_string(k) + " has shape " + shape_string(sk) +
                       ", incompatible with input 0 " + shape_string(first) + " (all dimensions except axis " +
                       std::to_string(a.axis) + " must match)");
    offsets.push_back(total);
    total += sk[a.axis];
  }
  Tensor y = Tensor::empty(with_axis(first, a.axis, total), xs[0].dtype());
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const std::size_t lk = xs[k].shape()[a.axis];
    copy_slab(xs[k].value(), lk, 0, y, total, offsets[k], lk, a.outer, a.inner);
  }
  return concat_op.record(xs, std::move(y), [a, offsets, total](const Tensor& g, GradientSink& s) {
    for (std::size_t k = 0; k < s.arity(); ++k) {
      if (!s.needs(k)) continue;
      const Shape& sk = s.input_value(k).shape();
      Tensor dx = Tensor::empty(sk, g.dtype());
      copy_slab(g, total, offsets[k], dx, sk[a.axis], 0, sk[a.axis], a.outer, a.inner);
      s.add(k, std::move(dx));
    }
  });
}

Variable broadcast_to(const Variable& x, const Shape& shape) {
  if (kernels::broadcast_shape("broadcast_to", x.shape(), shape) != shape)
    throw ShapeError("broadcast_to: cannot broadcast " + shape_string(x.shape()) + " to " + shape_string(shape) +
                     " (the target must keep every dimension of the input that is not 1)");
  Tensor y = Tensor::empty(shape, x.dtype());
  y.visit([&](auto& out) {
    using T = V<decltype(out)>;
    const Tensor& xv = x.value();
    const T* p = xv.data<T>();
    T* o = out.data();
    switch (kernels::broadcast_kind(shape, xv.shape(), shape)) {
      case kernels::BroadcastKind::same:
        std::copy(p, p + xv.size(), o);
        break;
      case kernels::BroadcastKind::b_scalar:
        std::fill(o, o + out.size(), p[0]);
        break;
      case kernels::BroadcastKind::b_rows: {
        const std::size_t inner = xv.size();
        parallel::for_rows(out.size() / inner, inner, [&](std::size_t r0, std::size_t r1) {
          for (std::size_t r = r0; r < r1; ++r) std::copy(p, p + inner, o + r * inner);
        });
        break;
      }
      default:
        xt::noalias(out) = xt::broadcast(xv.array<T>(), shape);
    }
  });
  return broadcast_to_op.record({x}, std::move(y), [](const Tensor&, GradientSink& s) { s.pass_through(0); });
}

}  // namespace xgrad
