#include "nn/module.hpp"

#include "autograd/errors.hpp"

namespace xgrad::nn {

namespace {
void check_name(const char* what, const std::string& name) {
  if (name.empty() || name.find('.') != std::string::npos)
    throw InvalidArgument(std::string("Module::") + what + ": name '" + name + "' must be non-empty and contain no '.'");
}
}  // namespace

Variable& Module::register_parameter(const std::string& name, Tensor value) {
  check_name("register_parameter", name);
  for (const auto& [n, v] : params_)
    if (n == name) throw InvalidArgument("Module::register_parameter: '" + name + "' is already registered");
  params_.emplace_back(name, xgrad::parameter(std::move(value)));
  return params_.back().second;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  check_name("register_module", name);
  if (!module) throw InvalidArgument("Module::register_module: module '" + name + "' is null");
  for (const auto& [n, m] : children_)
    if (n == name) throw InvalidArgument("Module::register_module: '" + name + "' is already registered");
  children_.emplace_back(name, std::move(module));
}

void Module::collect(const std::string& prefix, std::vector<NamedParameter>& out) const {
  for (const auto& [n, v] : params_) out.push_back({prefix + n, v});
  for (const auto& [n, m] : children_) m->collect(prefix + n + ".", out);
}

std::vector<NamedParameter> Module::named_parameters() const {
  std::vector<NamedParameter> out;
  collect("", out);
  return out;
}

std::vector<Variable> Module::parameters() const {
  std::vector<Variable> out;
  for (auto& p : named_parameters()) out.push_back(p.variable);
  return out;
}

std::vector<Variable> Module::trainable_parameters() const {
  std::vector<Variable> out;
  for (auto& p : named_parameters())
    if (p.variable.requires_grad()) out.push_back(p.variable);
  return out;
}

Variable Module::parameter(const std::string& name) const {
  std::string known;
  for (auto& p : named_parameters()) {
    if (p.name == name) return p.variable;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw InvalidArgument(type_name() + "::parameter: no parameter '" + name + "' (known: " + known + ")");
}

std::size_t Module::parameter_count() const {
  std::size_t n = 0;
  for (auto& p : named_parameters()) n += p.variable.size();
  return n;
}

void Module::freeze(const std::string& name) { parameter(name).set_requires_grad(false); }
void Module::unfreeze(const std::string& name) { parameter(name).set_requires_grad(true); }

void Module::train(bool training) {
  training_ = training;
  on_mode_change();
  for (auto& [n, m] : children_) m->train(training);
}

void Module::to(DType dtype) {
  for (auto& p : named_parameters()) {
    Variable v = p.variable;
    v.mutable_value() = v.value().to(dtype);
    v.zero_grad();
  }
}

void Module::zero_grad() {
  for (auto& p : named_parameters()) {
    Variable v = p.variable;
    v.zero_grad();
  }
}

}  // namespace xgrad::nn
