#pragma once
// Elementwise arithmetic. Binary ops broadcast by NumPy rules; each input's gradient is summed back
// to its own shape. A double operand becomes a constant of the other operand's dtype.
#include "autograd/variable.hpp"

namespace xgrad {

Variable add(const Variable& a, const Variable& b);       // a + b
Variable sub(const Variable& a, const Variable& b);       // a - b
Variable mul(const Variable& a, const Variable& b);       // a * b
Variable div(const Variable& a, const Variable& b);       // a / b
Variable neg(const Variable& x);                          // -x
Variable pow(const Variable& x, double exponent);         // x^p (scalar p); x < 0 needs an integral p
Variable square(const Variable& x);                       // x^2
Variable sqrt(const Variable& x);                         // sqrt(x)
Variable exp(const Variable& x);                          // e^x
Variable log(const Variable& x);                          // natural log
Variable log1p(const Variable& x);                        // log(1 + x), accurate near 0
Variable expm1(const Variable& x);                        // e^x - 1, accurate near 0
Variable abs(const Variable& x);                          // |x|; gradient sign(x), 0 at 0
Variable clamp(const Variable& x, double lo, double hi);  // min(max(x, lo), hi); gradient 1 inside [lo,hi], else 0
Variable maximum(const Variable& a, const Variable& b);   // elementwise max; ties send the gradient to a
Variable minimum(const Variable& a, const Variable& b);   // elementwise min; ties send the gradient to a
/// mask != 0 ? a : b, broadcasting all three; mask is a constant of a's dtype.
Variable where(const Tensor& mask, const Variable& a, const Variable& b);

/// Scalar on either side: a constant of the variable's dtype.
Variable scalar_like(const Variable& v, double value);

// Scalar-operand ops: one tape node each, no constant variable (what the operators with a double use).
Variable add_scalar(const Variable& x, double s);   // x + s
Variable mul_scalar(const Variable& x, double s);   // x * s
Variable rsub_scalar(double s, const Variable& x);  // s - x
Variable rdiv_scalar(double s, const Variable& x);  // s / x

inline Variable operator+(const Variable& a, const Variable& b) { return add(a, b); }
inline Variable operator-(const Variable& a, const Variable& b) { return sub(a, b); }
inline Variable operator*(const Variable& a, const Variable& b) { return mul(a, b); }
inline Variable operator/(const Variable& a, const Variable& b) { return div(a, b); }
inline Variable operator-(const Variable& x) { return neg(x); }
inline Variable operator+(const Variable& a, double b) { return add_scalar(a, b); }
inline Variable operator+(double a, const Variable& b) { return add_scalar(b, a); }
inline Variable operator-(const Variable& a, double b) { return add_scalar(a, -b); }
inline Variable operator-(double a, const Variable& b) { return rsub_scalar(a, b); }
inline Variable operator*(const Variable& a, double b) { return mul_scalar(a, b); }
inline Variable operator*(double a, const Variable& b) { return mul_scalar(b, a); }
inline Variable operator/(const Variable& a, double b) { return mul_scalar(a, 1.0 / b); }
inline Variable operator/(double a, const Variable& b) { return rdiv_scalar(a, b); }

}  // namespace xgrad
