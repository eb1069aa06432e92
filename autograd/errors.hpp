#pragma once
// Exception families of xgrad. Every message names the function or op, the arguments and the
// shapes or values involved, e.g. "matmul: [2,3] x [4,5]: inner 3 != 4".
#include <stdexcept>
#include <string>

namespace xgrad {

/// Base of every exception xgrad throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Operand shapes that do not fit the operation (checked before xtensor is called).
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// Misuse of the tape: a variable from a cleared tape, backward without a seed on a non-scalar, ...
class GraphError : public Error {
 public:
  using Error::Error;
};

/// An argument outside its allowed range (axis, slice bound, probability, option value, ...).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// Data or file problems: bad magic number, truncated file, out-of-support data values, ...
class DataError : public Error {
 public:
  using Error::Error;
};

/// Anomaly mode: an op produced NaN or Inf in its output or in a gradient.
class NumericalError : public Error {
 public:
  using Error::Error;
};

}  // namespace xgrad
