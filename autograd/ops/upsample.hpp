#pragma once
// Nearest-neighbour upsampling by integer factors, NCHW, float32 and float64 (DL4J's Upsampling2D):
//   x [N,C,H,W] -> y [N,C,H*sh,W*sw],  y[n,c,i,j] = x[n,c,i/sh,j/sw].
// Gradient: dx[n,c,i,j] = sum of g over the sh x sw block that copies x[n,c,i,j].
// Errors: rank != 4: ShapeError; a factor 0: InvalidArgument (naming the op, the argument and the shape).
#include <array>
#include <cstddef>

#include "autograd/variable.hpp"

namespace xgrad {

Variable upsample2d(const Variable& x, std::array<std::size_t, 2> scale);

}  // namespace xgrad
