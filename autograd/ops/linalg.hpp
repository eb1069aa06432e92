#pragma once
// Matrix products on OpenBLAS (row-major, transposes passed as flags, no copies).
#include "autograd/activation.hpp"
#include "autograd/variable.hpp"

namespace xgrad {

/// op(a) · op(b) for 2-D a, b; op(X) = X^T when the flag is set. [m,k]·[k,n] -> [m,n].
/// dA = g·op(b)^T (transposed back when trans_a), dB = op(a)^T·g (likewise).
Variable matmul(const Variable& a, const Variable& b, bool trans_a = false, bool trans_b = false);

/// Fused dense layer: x·W + b, x [N,in], W [in,out], b [out] or [1,out] -> [N,out]; the bias is added to each
/// block of the product as soon as it is final. Backward: dx = g·W^T and dW = x^T·g in one parallel region,
/// db = column sums of g.
Variable dense(const Variable& x, const Variable& w, const Variable& b);

/// activation(x·W + b). Sigmoid, tanh, relu and leakyrelu (alpha >= 0) run as one fused op, "dense_activation":
/// bias and activation are applied to each block of the product as it completes, and the backward takes act' from the
/// output, writing g·act' and its column sums (db) in one pass. Other activations are applied as their own op (training
/// and gen as in Activation::apply).
Variable dense(const Variable& x, const Variable& w, const Variable& b, const Activation& activation,
               bool training = false, Generator* gen = nullptr);

}  // namespace xgrad
