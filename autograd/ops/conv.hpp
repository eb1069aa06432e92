#pragma once
// 2-D convolution and its adjoint (transposed convolution), NCHW, float32 and float64.
//
// conv2d: x [N,C,H,W], w [K,C/G,kh,kw], b [K] (or undefined: no bias) -> y [N,K,OH,OW] with G = groups,
//   y[n,k,i,j] = b[k] + sum_{c,u,v} w[k,c,u,v] * xp[n, g*C/G + c, i*sh + u*dh, j*sw + v*dw],  g = k / (K/G),
//   xp = x with `padding` rows/columns of zeros before and after each spatial axis and `extra_end_padding` more
//   after (bottom, right). Output size per axis (floor division; at least 1):
//     OH = (H + 2*p + e - d*(k-1) - 1) / s + 1.
//   Cross-correlation (no kernel flip), as PyTorch's Conv2d and DL4J's ConvolutionLayer. DL4J's Truncate mode is
//   padding p, e = 0; its Same mode (OH = ceil(H/s)) is total padding t = max(0, (OH-1)*s + d*(k-1) + 1 - H) split as
//   p = t/2 before and p + e, e = t%2, after.
// conv_transpose2d: x [N,C,H,W], w [C,K/G,kh,kw] (PyTorch's ConvTranspose2d layout), b [K] or undefined ->
//   y [N,K,OH,OW], the adjoint of conv2d in x (y = the gradient of conv2d's input for output gradient x, weights w)
//   plus b[k]; output size per axis
//     OH = (H - 1)*s - 2*p - e + d*(k-1) + output_padding + 1,   output_padding < max(s, d) (as PyTorch).
// Both run as im2col/col2im with xgrad's GEMM (blas.hpp) on fixed chunks of the batch: bit-identical results for
// any thread count. Gradients: conv2d's dx is conv_transpose2d's forward and vice versa; dw sums over the batch in
// a fixed order; db sums the output gradient over N, OH, OW.
// Errors: rank != 4 (x and w), channel mismatch, a bias not [K], groups not dividing C or K, a kernel larger than
// the padded input, an output size below 1: ShapeError; stride, dilation or groups 0, output_padding too large:
// InvalidArgument. Messages name the op, the argument and the shapes.
#include <array>
#include <cstddef>

#include "autograd/variable.hpp"

namespace xgrad {

struct Conv2dOptions {
  std::array<std::size_t, 2> stride{1, 1};             // (rows, columns), >= 1
  std::array<std::size_t, 2> padding{0, 0};            // zeros before and after each axis
  std::array<std::size_t, 2> extra_end_padding{0, 0};  // further zeros after (bottom, right) only: Same mode
  std::array<std::size_t, 2> dilation{1, 1};           // >= 1
  std::size_t groups = 1;                              // divides C and K
};

struct ConvTranspose2dOptions {
  std::array<std::size_t, 2> stride{1, 1};
  std::array<std::size_t, 2> padding{0, 0};            // as the adjoint conv2d's padding: crops the output
  std::array<std::size_t, 2> extra_end_padding{0, 0};  // as conv2d's: crops e more rows/columns at the end
  std::array<std::size_t, 2> output_padding{0, 0};     // rows/columns added at the end, < max(stride, dilation)
  std::array<std::size_t, 2> dilation{1, 1};
  std::size_t groups = 1;
};

/// y = conv2d(x, w) + b; b undefined (Variable()) for no bias.
Variable conv2d(const Variable& x, const Variable& w, const Variable& b, const Conv2dOptions& options = {});
/// y = conv_transpose2d(x, w) + b; b undefined (Variable()) for no bias.
Variable conv_transpose2d(const Variable& x, const Variable& w, const Variable& b,
                          const ConvTranspose2dOptions& options = {});

/// conv2d's output shape [N,K,OH,OW] for x and w shapes; throws as conv2d does (op name "conv2d").
Shape conv2d_output_shape(const Shape& x, const Shape& w, const Conv2dOptions& options = {});
/// conv_transpose2d's output shape [N,K,OH,OW]; throws as conv_transpose2d does.
Shape conv_transpose2d_output_shape(const Shape& x, const Shape& w, const ConvTranspose2dOptions& options = {});

}  // namespace xgrad
