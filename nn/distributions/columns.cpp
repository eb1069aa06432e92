#include "nn/distributions/columns.hpp"

#include <algorithm>
#include <string>

#include "autograd/kernels.hpp"

namespace xgrad::nn {

Tensor take_columns(const Tensor& t, std::size_t begin, std::size_t end) {
  if (t.dim() != 2 || begin > end || end > t.shape()[1])
    throw ShapeError("take_columns: columns [" + std::to_string(begin) + "," + std::to_string(end) + ") of " +
                     shape_string(t.shape()) + " are out of range (2-D input needed)");
  const std::size_t n = t.shape()[0], c = t.shape()[1], k = end - begin;
  Tensor out = Tensor::empty(Shape{n, k}, t.dtype());
  t.visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    const T* src = a.data();
    T* dst = out.data<T>();
    for (std::size_t r = 0; r < n; ++r) std::copy(src + r * c + begin, src + r * c + end, dst + r * k);
  });
  return out;
}

void put_columns(Tensor& dst, std::size_t begin, const Tensor& src) {
  kernels::check_same_dtype("put_columns", dst, src);
  if (dst.dim() != 2 || src.dim() != 2 || src.shape()[0] != dst.shape()[0] || begin + src.shape()[1] > dst.shape()[1])
    throw ShapeError("put_columns: " + shape_string(src.shape()) + " does not fit at column " + std::to_string(begin) +
                     " of " + shape_string(dst.shape()));
  const std::size_t n = dst.shape()[0], c = dst.shape()[1], k = src.shape()[1];
  dst.visit([&](auto& a) {
    using T = kernels::value_of<decltype(a)>;
    const T* s = src.data<T>();
    T* d = a.data();
    for (std::size_t r = 0; r < n; ++r) std::copy(s + r * k, s + (r + 1) * k, d + r * c + begin);
  });
}

Tensor tile_rows(const Tensor& t, std::size_t copies) {
  if (t.dim() != 2) throw ShapeError("tile_rows: a 2-D input is needed, got " + shape_string(t.shape()));
  Tensor out = Tensor::empty(Shape{copies * t.shape()[0], t.shape()[1]}, t.dtype());
  t.visit([&](const auto& a) {
    using T = kernels::value_of<decltype(a)>;
    T* dst = out.data<T>();
    for (std::size_t l = 0; l < copies; ++l) std::copy(a.data(), a.data() + a.size(), dst + l * a.size());
  });
  return out;
}

}  // namespace xgrad::nn
