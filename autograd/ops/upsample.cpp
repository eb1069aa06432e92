#include "autograd/ops/upsample.hpp"

#include <string>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/parallel.hpp"

namespace xgrad {
namespace {
const Op upsample2d_op = define_op("upsample2d", 1, "nearest-neighbour upsampling of x [N,C,H,W] by integer factors");
}  // namespace

Variable upsample2d(const Variable& x, std::array<std::size_t, 2> scale) {
  if (x.dim() != 4) throw ShapeError("upsample2d: x must be 4-D [N,C,H,W], got " + shape_string(x.shape()));
  if (scale[0] == 0 || scale[1] == 0)
    throw InvalidArgument("upsample2d: scale [" + std::to_string(scale[0]) + "," + std::to_string(scale[1]) +
                          "] has a 0 factor (must be >= 1); x " + shape_string(x.shape()));
  const Shape& xs = x.shape();
  const std::size_t planes = xs[0] * xs[1], h = xs[2], w = xs[3], sh = scale[0], sw = scale[1];
  const std::size_t oh = h * sh, ow = w * sw;
  Tensor y = Tensor::empty(Shape{xs[0], xs[1], oh, ow}, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T* in = x.value().data<T>();
    T* out = Y.data();
    parallel::for_rows(planes * h, ow * sh, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {  // row r of x: rows r*sh .. r*sh + sh - 1 of y
        T* dst = out + r * sh * ow;
        for (std::size_t j = 0; j < ow; ++j) dst[j] = in[r * w + j / sw];
        for (std::size_t k = 1; k < sh; ++k) std::copy(dst, dst + ow, dst + k * ow);
      }
    });
  });
  return upsample2d_op.record({x}, std::move(y), [h, w, sh, sw, planes](const Tensor& g, GradientSink& s) {
    Tensor dx = Tensor::empty(s.input_value(0).shape(), g.dtype());
    dx.visit([&](auto& DX) {
      using T = kernels::value_of<decltype(DX)>;
      const T* gv = g.data<T>();
      T* d = DX.data();
      const std::size_t ow = w * sw;
      parallel::for_rows(planes * h, ow * sh, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r)
          for (std::size_t j = 0; j < w; ++j) {
            T acc = 0;
            for (std::size_t k = 0; k < sh; ++k)
              for (std::size_t l = 0; l < sw; ++l) acc += gv[(r * sh + k) * ow + j * sw + l];
            d[r * w + j] = acc;
          }
      });
    });
    s.add(0, std::move(dx));
  });
}

}  // namespace xgrad
