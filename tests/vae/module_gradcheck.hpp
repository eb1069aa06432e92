#pragma once
// Gradient check of a scalar loss of a Module's parameters, in float64 (the module must already be
// float64: Module::to). gradcheck sees the parameters as its inputs; every evaluation copies the
// (perturbed) values into the module and evaluates loss(); for the analytic pass loss() is backpropagated
// on an inner tape and dL/dp reaches gradcheck's inputs through a bridge op. loss() must be deterministic:
// reseed the layer's rng() inside it (common random numbers).
#include <functional>
#include <string>
#include <vector>

#include "autograd/xgrad.hpp"
#include "nn/module.hpp"

namespace xgrad::test {

inline const Op& module_loss_bridge() {
  static const Op op =
      define_op("test_module_loss_bridge", 0, "a module's scalar loss as a function of its parameters");
  return op;
}

/// Checks d loss / d p for every parameter (or only those named in `only`).
inline GradcheckResult gradcheck_module(nn::Module& module, const std::function<Variable()>& loss,
                                        GradcheckOptions options = {}, const std::vector<std::string>& only = {}) {
  std::vector<Variable> params;
  std::vector<Tensor> inputs;
  for (const auto& p : module.named_parameters()) {
    if (!only.empty() && std::find(only.begin(), only.end(), p.name) == only.end()) continue;
    params.push_back(p.variable);
    inputs.push_back(p.variable.value());
  }
  auto f = [&](const std::vector<Variable>& vars) -> Variable {
    for (std::size_t i = 0; i < params.size(); ++i) params[i].mutable_value() = vars[i].value();
    if (!grad_enabled()) return constant(loss().value());
    Tensor value;
    std::vector<Tensor> grads;
    {
      TapeScope scope;
      module.zero_grad();
      const Variable l = loss();
      value = l.value();
      l.backward();
      for (const Variable& p : params) grads.push_back(p.has_grad() ? p.grad() : Tensor::zeros(p.shape(), p.dtype()));
      module.zero_grad();
    }
    return module_loss_bridge().record(vars, std::move(value), [grads](const Tensor& g, GradientSink& s) {
      for (std::size_t i = 0; i < grads.size(); ++i)
        if (s.needs(i)) {
          Tensor gi = grads[i].clone();
          gi.visit([&](auto& a) { a *= static_cast<typename std::decay_t<decltype(a)>::value_type>(g.item()); });
          s.add(i, std::move(gi));
        }
    });
  };
  GradcheckResult r = gradcheck(f, inputs, options);
  for (std::size_t i = 0; i < params.size(); ++i) params[i].mutable_value() = inputs[i];
  return r;
}

}  // namespace xgrad::test
