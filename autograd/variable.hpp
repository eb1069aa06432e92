#pragma once
// Variable: a cheap shared handle to a value tensor, its accumulated gradient, requires_grad, and the
// tape node that produced it (none for a leaf). Copying a Variable copies the handle, not the data.
#include <cstdint>
#include <memory>

#include "autograd/tensor.hpp"

namespace xgrad {

namespace detail {
struct VariableState {
  Tensor value;
  Tensor grad;                  // undefined until a gradient arrives
  bool requires_grad = false;
  bool retain_grad = false;     // keep the gradient of a non-leaf after backward
  std::uint64_t generation = 0; // generation of the producing tape when recorded; 0 for a leaf
  std::size_t node = 0;         // index of the producing node on that tape
  const char* op = nullptr;     // name of the producing op
};
}  // namespace detail

struct BackwardOptions {
  /// Keep the tape after backward so that a second backward over the same graph is possible.
  bool keep_tape = false;
};

class Variable {
 public:
  /// An undefined variable; defined() is false.
  Variable() = default;
  /// A leaf holding `value`.
  explicit Variable(Tensor value, bool requires_grad = false);

  bool defined() const { return static_cast<bool>(state_); }
  const Tensor& value() const;
  /// Direct write access to a leaf's value (optimizers, initialisers). Throws for a non-leaf.
  Tensor& mutable_value();
  const Shape& shape() const { return value().shape(); }
  DType dtype() const { return value().dtype(); }
  std::size_t size() const { return value().size(); }
  std::size_t dim() const { return value().dim(); }
  double item() const { return value().item(); }

  bool requires_grad() const;
  /// Only on leaves: mark a leaf as a trainable input (or freeze it).
  Variable& set_requires_grad(bool flag);
  bool is_leaf() const;
  /// Name of the op that produced this variable, "leaf" for leaves.
  const char* op_name() const;

  bool has_grad() const;
  /// The accumulated gradient (same shape and dtype as value). Throws when there is none.
  const Tensor& grad() const;
  Tensor& mutable_grad();
  /// Forget the accumulated gradient (the next backward starts from zero).
  void zero_grad();
  /// Keep this non-leaf's gradient after backward (leaves always keep theirs).
  Variable& retain_grad();

  /// Reverse pass from this variable. Without a seed the variable must have exactly one element
  /// (seed 1). Gradients accumulate into every variable that requires them; the tape is cleared
  /// afterwards unless options.keep_tape.
  void backward(BackwardOptions options = {}) const;
  void backward(const Tensor& seed, BackwardOptions options = {}) const;

  /// A new leaf sharing this value, cut from the tape, with requires_grad false.
  Variable detach() const;

  /// Identity of the underlying state (two handles to one variable compare equal).
  bool same(const Variable& other) const { return state_ == other.state_; }
  const std::shared_ptr<detail::VariableState>& state() const { return state_; }
  explicit Variable(std::shared_ptr<detail::VariableState> state) : state_(std::move(state)) {}

 private:
  detail::VariableState& checked(const char* where) const;
  std::shared_ptr<detail::VariableState> state_;
};

/// A trainable leaf: requires_grad = true.
Variable parameter(Tensor value);
/// A constant leaf (requires_grad = false).
Variable constant(Tensor value);
Variable constant(double value, DType dtype = DType::float32);

}  // namespace xgrad
