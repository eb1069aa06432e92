#include "autograd/variable.hpp"

#include "autograd/kernels.hpp"
#include "autograd/tape.hpp"

namespace xgrad {

Variable::Variable(Tensor value, bool requires_grad) : state_(std::make_shared<detail::VariableState>()) {
  if (!value.defined()) throw InvalidArgument("Variable: the value tensor is undefined");
  state_->value = std::move(value);
  state_->requires_grad = requires_grad;
}

detail::VariableState& Variable::checked(const char* where) const {
  if (!state_) throw GraphError(std::string(where) + ": the variable is undefined (default-constructed)");
  return *state_;
}

const Tensor& Variable::value() const { return checked("Variable::value").value; }

Tensor& Variable::mutable_value() {
  auto& s = checked("Variable::mutable_value");
  if (s.generation != 0)
    throw GraphError(std::string("Variable::mutable_value: only a leaf's value may be changed in place; this variable "
                                 "was produced by op '") + s.op + "'");
  return s.value;
}

bool Variable::requires_grad() const { return checked("Variable::requires_grad").requires_grad; }

Variable& Variable::set_requires_grad(bool flag) {
  auto& s = checked("Variable::set_requires_grad");
  if (s.generation != 0)
    throw GraphError(std::string("Variable::set_requires_grad: only leaves can change requires_grad; this variable "
                                 "was produced by op '") + s.op + "' (use detach())");
  s.requires_grad = flag;
  return *this;
}

bool Variable::is_leaf() const { return checked("Variable::is_leaf").generation == 0; }

const char* Variable::op_name() const {
  const auto& s = checked("Variable::op_name");
  return s.op ? s.op : "leaf";
}

bool Variable::has_grad() const { return checked("Variable::has_grad").grad.defined(); }

const Tensor& Variable::grad() const {
  const auto& s = checked("Variable::grad");
  if (!s.grad.defined())
    throw GraphError(std::string("Variable::grad: no gradient (variable of shape ") + shape_string(s.value.shape()) +
                     ", op '" + (s.op ? s.op : "leaf") + "', requires_grad=" + (s.requires_grad ? "true" : "false") +
                     "); run backward() first, and call retain_grad() on non-leaves");
  return s.grad;
}

Tensor& Variable::mutable_grad() {
  grad();
  return state_->grad;
}

void Variable::zero_grad() { checked("Variable::zero_grad").grad = Tensor(); }

Variable& Variable::retain_grad() {
  checked("Variable::retain_grad").retain_grad = true;
  return *this;
}

void Variable::backward(BackwardOptions options) const {
  const auto& s = checked("Variable::backward");
  if (s.value.size() != 1)
    throw GraphError("Variable::backward: the variable has shape " + shape_string(s.value.shape()) +
                     " (not one element); pass the gradient seed dL/dy explicitly: backward(seed)");
  backward(Tensor::full(s.value.shape(), 1.0, s.value.dtype()), options);
}

void Variable::backward(const Tensor& seed, BackwardOptions options) const {
  auto& s = checked("Variable::backward");
  if (!seed.defined() || seed.shape() != s.value.shape() || seed.dtype() != s.value.dtype())
    throw ShapeError("Variable::backward: seed " + (seed.defined() ? shape_string(seed.shape()) : "undefined") +
                     " does not match the variable's " + shape_string(s.value.shape()) + " " +
                     dtype_name(s.value.dtype()));
  if (!s.requires_grad)
    throw GraphError("Variable::backward: the variable does not require a gradient (no input of its graph has "
                     "requires_grad=true, or it was computed under NoGradGuard)");
  if (s.generation == 0) {  // a leaf: its gradient is the seed
    if (s.grad.defined()) {
      kernels::accumulate(s.grad, seed);
    } else {
      s.grad = seed;
    }
    if (const LeafGradientHook& hook = leaf_gradient_hook()) hook(state_);
    return;
  }
  current_tape().backward(state_, seed, options);
}

Variable Variable::detach() const { return Variable(value(), false); }

Variable parameter(Tensor value) { return Variable(std::move(value), true); }
Variable constant(Tensor value) { return Variable(std::move(value), false); }
Variable constant(double value, DType dtype) { return Variable(Tensor::scalar(value, dtype), false); }

}  // namespace xgrad
