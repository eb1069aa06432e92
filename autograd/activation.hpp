#pragma once
// Activations by DL4J name ("identity", "sigmoid", "tanh", "relu", "relu6", "leakyrelu", "rrelu", "elu",
// "selu", "gelu", "swish", "mish", "softplus", "softsign", "hardsigmoid", "hardtanh", "cube",
// "rationaltanh", "rectifiedtanh", "thresholdedrelu", "softmax"), case-insensitive; with the parameters
// of the parameterised ones. Layers store an Activation and call apply().
#include <string>
#include <vector>

#include "autograd/random.hpp"
#include "autograd/variable.hpp"

namespace xgrad {

enum class ActivationKind {
  identity, sigmoid, tanh, relu, relu6, leakyrelu, rrelu, elu, selu, gelu, swish, mish, softplus, softsign,
  hardsigmoid, hardtanh, cube, rationaltanh, rectifiedtanh, thresholdedrelu, softmax
};

struct Activation {
  ActivationKind kind = ActivationKind::identity;
  double alpha = 0.01;       // leakyrelu slope (DL4J 0.01); elu alpha (DL4J 1.0) when kind == elu
  double theta = 1.0;        // thresholdedrelu threshold
  double lower = 1.0 / 8;    // rrelu slope range
  double upper = 1.0 / 3;

  /// From a DL4J name (case-insensitive), with that activation's DL4J default parameters.
  /// Throws InvalidArgument listing the known names.
  static Activation from_name(const std::string& name);
  /// The DL4J name, lower case.
  std::string name() const;
  /// Applies it; `training` and `gen` matter for rrelu only (gen may be null otherwise).
  Variable apply(const Variable& x, bool training = false, Generator* gen = nullptr) const;
  /// True when the output lies in (0,1) (sigmoid, hardsigmoid, softmax): valid for a Bernoulli
  /// mean or a KL sparsity target.
  bool unit_interval() const;
  bool operator==(const Activation& o) const;
};

/// Every DL4J activation name, in enum order.
const std::vector<std::string>& activation_names();

}  // namespace xgrad
