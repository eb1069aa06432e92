#pragma once
// Reductions over all elements (result shape {}) or one axis (negative axis counts from the end),
// optionally keeping the reduced axis as size 1. Sums accumulate in double.
#include "autograd/variable.hpp"

namespace xgrad {

Variable sum(const Variable& x);
Variable sum(const Variable& x, int axis, bool keepdims = false);
Variable mean(const Variable& x);
Variable mean(const Variable& x, int axis, bool keepdims = false);
/// Maximum; the gradient goes to the first maximal element.
Variable max(const Variable& x);
Variable max(const Variable& x, int axis, bool keepdims = false);

/// Resolves a possibly negative axis against rank; throws InvalidArgument naming `op`.
std::size_t normalize_axis(const char* op, int axis, std::size_t rank);

}  // namespace xgrad
