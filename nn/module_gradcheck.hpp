#pragma once
// Gradient check of a module's parameters: d loss() / d p for every parameter p (or those named in `only`),
// by central differences in float64 (see autograd/gradcheck.hpp for the comparison rule). The module must be
// float64 (Module::to). loss() must return a scalar and be deterministic: reseed any layer rng() inside it
// (common random numbers). Each evaluation writes the perturbed values into the parameters; the analytic
// gradient comes from loss().backward() on an inner tape. The parameters' values are restored afterwards.
#include <functional>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "nn/module.hpp"

namespace xgrad::nn {

GradcheckResult gradcheck_module(Module& module, const std::function<Variable()>& loss, GradcheckOptions options = {},
                                 const std::vector<std::string>& only = {});

}  // namespace xgrad::nn
