#pragma once
// Module: owns named parameters and sub-modules (both in registration order), with recursive,
// stable, dotted names ("encoder.e0.W"), train/eval mode, freezing, dtype conversion.
#include <memory>
#include <string>
#include <vector>

#include "autograd/variable.hpp"

namespace xgrad::nn {

struct NamedParameter {
  std::string name;  // dotted path from the module it was listed on
  Variable variable;
};

class Module {
 public:
  virtual ~Module() = default;
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  /// Short type name for summary() ("Dense", "VariationalAutoencoder").
  virtual std::string type_name() const = 0;

  /// Every parameter of this module and its sub-modules, depth-first in registration order.
  std::vector<NamedParameter> named_parameters() const;
  std::vector<Variable> parameters() const;
  /// Only the parameters that currently require gradients (not frozen).
  std::vector<Variable> trainable_parameters() const;
  /// Parameter by dotted name; throws InvalidArgument listing the known names when absent.
  Variable parameter(const std::string& name) const;
  std::size_t parameter_count() const;

  /// Freezing stops gradients (requires_grad = false) and so optimizer updates.
  void freeze(const std::string& name);
  void unfreeze(const std::string& name);

  void train(bool training = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  /// Converts every parameter to `dtype` in place (float64 for gradient checks).
  void to(DType dtype);
  void zero_grad();

  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const { return children_; }

 protected:
  Variable& register_parameter(const std::string& name, Tensor value);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }
  /// Called by train(); override to propagate mode-dependent state.
  virtual void on_mode_change() {}

 private:
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  void collect(const std::string& prefix, std::vector<NamedParameter>& out) const;
  std::vector<std::pair<std::string, Variable>> params_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace xgrad::nn
