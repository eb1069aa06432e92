#pragma once
// The one way to define a differentiable op, used by every built-in op and open to users:
//
//   static const xgrad::Op my_op = xgrad::define_op("my_square", 1, "y = x^2");
//   Variable my_square(const Variable& x) {
//     Tensor y = ...;                                   // forward on x.value()
//     return my_op.record({x}, std::move(y), [](const Tensor& g, GradientSink& s) {
//       s.add(0, ...);              // dL/dx = g * 2x, with x = s.input_value(0)
//     });
//   }
//
// Tensors are values (copying one copies its data): read inputs and output in the closure through
// the sink rather than capturing them. record() skips the closure when no input requires a gradient (or inside NoGradGuard), checks
// that inputs are not from a cleared or a foreign tape, and in anomaly mode checks the output.
#include <string>
#include <vector>

#include "autograd/tape.hpp"

namespace xgrad {

/// Receives an op's input gradients during backward. add() reduces a gradient that has the
/// (broadcast) output shape back to the input's shape by summation, checks shape and dtype, and
/// accumulates.
class GradientSink {
 public:
  explicit GradientSink(const TapeNode& node) : node_(node) {}
  std::size_t arity() const { return node_.inputs.size(); }
  /// True when input i needs a gradient (skip computing it otherwise).
  bool needs(std::size_t i) const;
  void add(std::size_t i, Tensor gradient);
  /// add(i, g) with the op's output gradient g itself, moved rather than copied when the output does not
  /// retain its gradient: g (the backward function's argument) is empty afterwards, so call it last.
  void pass_through(std::size_t i);
  const Tensor& input_value(std::size_t i) const;
  const Tensor& output_value() const;

 private:
  const TapeNode& node_;
};

struct OpSchema {
  std::string name;
  std::size_t arity = 1;  // number of Variable inputs; 0 = variadic (e.g. concat)
  std::string summary;    // one line: what it computes
};

class Op {
 public:
  Op() = default;
  const char* name() const { return name_; }
  /// Records the op (when needed) and returns its output variable.
  Variable record(std::initializer_list<Variable> inputs, Tensor output, BackwardFunction backward) const;
  Variable record(const std::vector<Variable>& inputs, Tensor output, BackwardFunction backward) const;
  /// True when recording would happen for these inputs (to skip building an expensive closure).
  static bool needs_record(std::initializer_list<Variable> inputs);

 private:
  friend Op define_op(std::string, std::size_t, std::string);
  explicit Op(const char* name, std::size_t arity) : name_(name), arity_(arity) {}
  template <class It>
  Variable record_range(It begin, It end, std::size_t count, Tensor output, BackwardFunction backward) const;
  const char* name_ = "?";
  std::size_t arity_ = 0;
};

/// Registers an op by unique name (thread-safe). Re-defining a name with another arity throws.
Op define_op(std::string name, std::size_t arity, std::string summary);
/// Every op registered so far, in registration order (built-ins register at static-init time).
std::vector<OpSchema> registered_ops();

}  // namespace xgrad
