#pragma once
// 2-D pooling over the spatial axes of x [N,C,H,W] -> [N,C,OH,OW], NCHW, float32 and float64. A window of output
// (i, j) covers the rows i*s - p + u*d, u < k (columns alike) of x padded by `padding` before and after and
// `extra_end_padding` more after (DL4J's Same mode; see conv.hpp); output size per axis, at least 1:
//   OH = (H + 2*p + e - d*(k-1) - 1) / s + 1   (floor division). A window with no cell inside x (possible only with
//   dilation) gives 0 in all three.
//   max_pool2d:   y = max over the window's cells inside x (padding never wins). Gradient: all of g to the first
//                 maximal cell in row-major window order (the arg-max).
//   avg_pool2d:   y = sum over the window's cells inside x / divisor; divisor = the cells of the window inside the
//                 padded input (count_include_pad, PyTorch's default) or inside x itself (count_include_pad false).
//                 Gradient: g / divisor to each cell inside x.
//   pnorm_pool2d: y = (sum over the window's cells inside x of |x|^p)^(1/p), p >= 1 (DL4J's PNORM subsampling).
//                 Gradient: g * sign(x) |x|^(p-1) * y^(1-p), and 0 for a window whose y is 0.
// Errors: rank != 4, a window larger than the padded input, an output size below 1: ShapeError; kernel, stride or
// dilation 0, padding + extra_end_padding > d*(k-1) (a window could lie wholly in the padding), p < 1:
// InvalidArgument. Messages name the op, the argument and the shapes.
#include <array>
#include <cstddef>

#include "autograd/variable.hpp"

namespace xgrad {

struct Pool2dOptions {
  std::array<std::size_t, 2> kernel{2, 2};             // (rows, columns), >= 1
  std::array<std::size_t, 2> stride{2, 2};             // >= 1
  std::array<std::size_t, 2> padding{0, 0};            // before and after each axis
  std::array<std::size_t, 2> extra_end_padding{0, 0};  // further padding after (bottom, right) only
  std::array<std::size_t, 2> dilation{1, 1};           // >= 1
  bool count_include_pad = true;                       // avg_pool2d's divisor (above); ignored by the others
};

Variable max_pool2d(const Variable& x, const Pool2dOptions& options = {});
Variable avg_pool2d(const Variable& x, const Pool2dOptions& options = {});
Variable pnorm_pool2d(const Variable& x, double p, const Pool2dOptions& options = {});

/// The pooling ops' output shape [N,C,OH,OW]; throws as they do, naming `op`.
Shape pool2d_output_shape(const char* op, const Shape& x, const Pool2dOptions& options = {});

}  // namespace xgrad
