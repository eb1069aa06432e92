#pragma once
// Shape ops. Each output is a fresh contiguous tensor (values are materialised, never views); each
// gradient is the inverse data movement (scatter into zeros, split, transpose, sum back).
#include <cstddef>
#include <vector>

#include "autograd/variable.hpp"

namespace xgrad {

/// A shape seen as [outer, len, inner] around one axis: outer = product of the dimensions before
/// it, len = its length, inner = product of those after it (used by axis-wise kernels).
struct AxisSplit {
  std::size_t axis = 0, outer = 1, len = 1, inner = 1;
};
/// Resolves a negative axis and splits; throws InvalidArgument naming `op` when out of range.
AxisSplit split_at_axis(const char* op, const Shape& shape, int axis);

/// 2-D transpose: [m,n] -> [n,m], y[j,i] = x[i,j]. Gradient: transpose(g).
Variable transpose(const Variable& x);
/// The same elements (row-major order) with another shape of equal size. Gradient: g reshaped back.
Variable reshape(const Variable& x, const Shape& shape);
/// [D0, ..., D(a-1), Da, ..., Dr] -> [D0, ..., D(a-1), Da*...*Dr] with a = start_axis (negative counts from the end):
/// flatten(x) takes [N,C,H,W] to [N,C*H*W] (DL4J's CnnToFeedForwardPreProcessor). A reshape (op "reshape").
Variable flatten(const Variable& x, int start_axis = 1);
/// Elements begin <= i < end along `axis` (negative axis counts from the end):
/// [..., len, ...] -> [..., end - begin, ...]. Bounds must satisfy 0 <= begin <= end <= len
/// (no negative or clamped bounds). Gradient: g scattered into zeros of x's shape.
Variable slice(const Variable& x, int axis, long begin, long end);
/// Joins the inputs along `axis`; all other dimensions and the dtype must agree. Variadic (any
/// number >= 1 of inputs). Gradient: g split back into the inputs' extents.
Variable concat(const std::vector<Variable>& xs, int axis);
/// x broadcast to `shape` by NumPy rules. Gradient: g summed back to x's shape.
Variable broadcast_to(const Variable& x, const Shape& shape);

}  // namespace xgrad
