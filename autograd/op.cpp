#include "autograd/op.hpp"

#include <cmath>
#include <deque>
#include <mutex>

#include "autograd/kernels.hpp"

namespace xgrad {
namespace {
struct Registry {
  std::mutex mutex;
  std::deque<OpSchema> ops;  // deque: stable addresses for the names handed out
};
Registry& registry() {
  static Registry r;
  return r;
}
}  // namespace

Op define_op(std::string name, std::size_t arity, std::string summary) {
  if (name.empty()) throw InvalidArgument("define_op: the op name is empty");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const OpSchema& s : r.ops) {
    if (s.name != name) continue;
    if (s.arity != arity)
      throw InvalidArgument("define_op: op '" + name + "' is already registered with arity " +
                            std::to_string(s.arity) + ", not " + std::to_string(arity));
    return Op(s.name.c_str(), arity);
  }
  r.ops.push_back(OpSchema{std::move(name), arity, std::move(summary)});
  return Op(r.ops.back().name.c_str(), arity);
}

std::vector<OpSchema> registered_ops() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return std::vector<OpSchema>(r.ops.begin(), r.ops.end());
}

bool GradientSink::needs(std::size_t i) const { return node_.inputs.at(i)->requires_grad; }

const Tensor& GradientSink::input_value(std::size_t i) const { return node_.inputs.at(i)->value; }
const Tensor& GradientSink::output_value() const { return node_.output->value; }

void GradientSink::add(std::size_t i, Tensor gradient) {
  if (i >= node_.inputs.size())
    throw InvalidArgument(std::string("backward of '") + node_.op + "': input index " + std::to_string(i) +
                          " out of range (arity " + std::to_string(node_.inputs.size()) + ")");
  detail::VariableState& in = *node_.inputs[i];
  if (!in.requires_grad) return;
  if (gradient.dtype() != in.value.dtype())
    throw InvalidArgument(std::string("backward of '") + node_.op + "': gradient for input " + std::to_string(i) +
                          " is " + dtype_name(gradient.dtype()) + " but the input is " + dtype_name(in.value.dtype()));
  if (gradient.shape() != in.value.shape()) {
    const Shape& target = in.value.shape();
    // a gradient of the broadcast output shape is summed back to the input's shape
    try {
      if (kernels::broadcast_shape(node_.op, target, gradient.shape()) != gradient.shape()) throw ShapeError("");
    } catch (const ShapeError&) {
      throw ShapeError(std::string("backward of '") + node_.op + "': gradient for input " + std::to_string(i) +
                       " has shape " + shape_string(gradient.shape()) + ", which does not reduce to the input's " +
                       shape_string(target));
    }
    gradient = kernels::reduce_to_shape(gradient, target);
  }
  if (in.grad.defined())
    kernels::accumulate(in.grad, gradient);
  else
    in.grad = std::move(gradient);
}

void GradientSink::pass_through(std::size_t i) {
  detail::VariableState& out = *node_.output;
  if (out.retain_grad)
    add(i, out.grad);
  else
    add(i, std::move(out.grad));
}

bool Op::needs_record(std::initializer_list<Variable> inputs) {
  if (!grad_enabled()) return false;
  for (const Variable& v : inputs)
    if (v.defined() && v.state()->requires_grad) return true;
  return false;
}

template <class It>
Variable Op::record_range(It begin, It end, std::size_t count, Tensor output, BackwardFunction backward) const {
  if (arity_ != 0 && count != arity_)
    throw InvalidArgument(std::string("op '") + name_ + "' takes " + std::to_string(arity_) + " inputs, got " +
                          std::to_string(count));
  if (!output.defined()) throw InvalidArgument(std::string("op '") + name_ + "': the output tensor is undefined");
  if (anomaly_detection()) {
    const std::size_t bad = kernels::first_non_finite(output);
    if (bad < output.size())
      throw NumericalError(std::string("anomaly: op '") + name_ + "' produced " +
                           (std::isnan(output.at(bad)) ? "NaN" : "Inf") + " in its output (shape " +
                           shape_string(output.shape()) + ", flat index " + std::to_string(bad) + ")");
  }
  bool record = false;
  Tape& tape = current_tape();
  std::size_t k = 0;
  for (It it = begin; it != end; ++it, ++k) {
    if (!it->defined())
      throw InvalidArgument(std::string("op '") + name_ + "': input " + std::to_string(k) + " is undefined");
    const detail::VariableState& s = *it->state();
    if (s.generation != 0 && s.generation != tape.generation())
      throw GraphError(std::string("op '") + name_ + "': input " + std::to_string(k) + " (produced by '" + s.op +
                       "') belongs to a tape that was cleared by backward(), or to another thread's or scope's "
                       "tape; use detach() to reuse its value as a constant");
    record = record || s.requires_grad;
  }
  if (!record || !grad_enabled()) return Variable(std::move(output), false);
  auto out = std::make_shared<detail::VariableState>();
  out->value = std::move(output);
  out->requires_grad = true;
  out->generation = tape.generation();
  out->node = tape.size();
  out->op = name_;
  TapeNode node;
  node.op = name_;
  node.inputs.reserve(count);
  for (It it = begin; it != end; ++it) node.inputs.push_back(it->state());
  node.output = out;
  node.backward = std::move(backward);
  tape.push(std::move(node));
  return Variable(std::move(out));
}

Variable Op::record(std::initializer_list<Variable> inputs, Tensor output, BackwardFunction backward) const {
  return record_range(inputs.begin(), inputs.end(), inputs.size(), std::move(output), std::move(backward));
}

Variable Op::record(const std::vector<Variable>& inputs, Tensor output, BackwardFunction backward) const {
  return record_range(inputs.begin(), inputs.end(), inputs.size(), std::move(output), std::move(backward));
}

}  // namespace xgrad
