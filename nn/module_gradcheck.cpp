#include "nn/module_gradcheck.hpp"

#include <algorithm>

#include "autograd/errors.hpp"
#include "autograd/op.hpp"
#include "autograd/tape.hpp"

namespace xgrad::nn {

namespace {
// Defined on first use, so the op registry of programs that never check a module is unchanged.
const Op& parameter_bridge() {
  static const Op op =
      define_op("gradcheck_module_bridge", 0, "a module's scalar loss seen as a function of its parameters");
  return op;
}
}  // namespace

GradcheckResult gradcheck_module(Module& module, const std::function<Variable()>& loss, GradcheckOptions options,
                                 const std::vector<std::string>& only) {
  std::vector<Variable> params;
  std::vector<Tensor> saved;
  for (const auto& p : module.named_parameters()) {
    if (!only.empty() && std::find(only.begin(), only.end(), p.name) == only.end()) continue;
    if (p.variable.dtype() != DType::float64)
      throw InvalidArgument("gradcheck_module: parameter '" + p.name + "' is " + dtype_name(p.variable.dtype()) +
                            "; convert the module with Module::to(DType::float64) first");
    params.push_back(p.variable);
    saved.push_back(p.variable.value());
  }
  if (params.empty()) throw InvalidArgument("gradcheck_module: no parameter to check");
  // The checked function: copy gradcheck's inputs into the parameters, evaluate loss(); when gradients are
  // wanted, backpropagate on an inner tape and hand dloss/dp to gradcheck's inputs through a bridge node.
  auto f = [&](const std::vector<Variable>& inputs) -> Variable {
    for (std::size_t i = 0; i < params.size(); ++i) params[i].mutable_value() = inputs[i].value();
    if (!grad_enabled()) return constant(loss().value());
    Tensor value;
    std::vector<Tensor> grads;
    {
      TapeScope inner;
      module.zero_grad();
      const Variable l = loss();
      if (l.size() != 1)
        throw InvalidArgument("gradcheck_module: loss() must be a scalar, got shape " + shape_string(l.shape()));
      value = l.value();
      l.backward();
      for (const Variable& p : params) grads.push_back(p.has_grad() ? p.grad() : Tensor::zeros(p.shape(), p.dtype()));
      module.zero_grad();
    }
    return parameter_bridge().record(inputs, std::move(value), [grads](const Tensor& g, GradientSink& s) {
      const double scale = g.item();
      for (std::size_t i = 0; i < grads.size(); ++i) {
        if (!s.needs(i)) continue;
        Tensor gi = grads[i].clone();
        gi.visit([scale](auto& a) { a *= scale; });
        s.add(i, std::move(gi));
      }
    });
  };
  GradcheckResult result;
  try {
    result = gradcheck(f, saved, options);
  } catch (...) {
    for (std::size_t i = 0; i < params.size(); ++i) params[i].mutable_value() = saved[i];
    throw;
  }
  for (std::size_t i = 0; i < params.size(); ++i) params[i].mutable_value() = saved[i];
  return result;
}

}  // namespace xgrad::nn
