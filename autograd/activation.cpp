#include "autograd/activation.hpp"

#include <algorithm>
#include <cctype>

#include "autograd/ops/activations.hpp"

namespace xgrad {

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {
      "identity",    "sigmoid",  "tanh", "relu",         "relu6",         "leakyrelu",       "rrelu",
      "elu",         "selu",     "gelu", "swish",        "mish",          "softplus",        "softsign",
      "hardsigmoid", "hardtanh", "cube", "rationaltanh", "rectifiedtanh", "thresholdedrelu", "softmax"};
  return names;
}

Activation Activation::from_name(const std::string& name) {
  // case-insensitive; '_' and '-' are ignored, so "leaky_relu" and "LeakyReLU" both mean "leakyrelu"
  std::string key;
  for (char c : name)
    if (c != '_' && c != '-') key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto& names = activation_names();
  const auto it = std::find(names.begin(), names.end(), key);
  if (it == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw InvalidArgument("Activation::from_name: unknown activation '" + name + "'; known: " + known);
  }
  Activation a;
  a.kind = static_cast<ActivationKind>(it - names.begin());
  if (a.kind == ActivationKind::elu) a.alpha = 1.0;  // DL4J's ActivationELU default
  return a;
}

std::string Activation::name() const {
  return activation_names().at(static_cast<std::size_t>(kind));
}

Variable Activation::apply(const Variable& x, bool training, Generator* gen) const {
  switch (kind) {
    case ActivationKind::identity:
      return identity(x);
    case ActivationKind::sigmoid:
      return sigmoid(x);
    case ActivationKind::tanh:
      return xgrad::tanh(x);
    case ActivationKind::relu:
      return relu(x);
    case ActivationKind::relu6:
      return relu6(x);
    case ActivationKind::leakyrelu:
      return leaky_relu(x, alpha);
    case ActivationKind::rrelu: {
      if (training && gen == nullptr)
        throw InvalidArgument("Activation::apply: rrelu in training mode needs a Generator (gen is null)");
      Generator unused(0);
      return rrelu(x, training, gen ? *gen : unused, lower, upper);
    }
    case ActivationKind::elu:
      return elu(x, alpha);
    case ActivationKind::selu:
      return selu(x);
    case ActivationKind::gelu:
      return gelu(x);
    case ActivationKind::swish:
      return swish(x);
    case ActivationKind::mish:
      return mish(x);
    case ActivationKind::softplus:
      return softplus(x);
    case ActivationKind::softsign:
      return softsign(x);
    case ActivationKind::hardsigmoid:
      return hard_sigmoid(x);
    case ActivationKind::hardtanh:
      return hard_tanh(x);
    case ActivationKind::cube:
      return cube(x);
    case ActivationKind::rationaltanh:
      return rational_tanh(x);
    case ActivationKind::rectifiedtanh:
      return rectified_tanh(x);
    case ActivationKind::thresholdedrelu:
      return thresholded_relu(x, theta);
    case ActivationKind::softmax:
      return softmax(x, -1);
  }
  throw InvalidArgument("Activation::apply: invalid kind " + std::to_string(static_cast<int>(kind)));
}

bool Activation::unit_interval() const {
  return kind == ActivationKind::sigmoid || kind == ActivationKind::hardsigmoid || kind == ActivationKind::softmax;
}

bool Activation::operator==(const Activation& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case ActivationKind::leakyrelu:
    case ActivationKind::elu:
      return alpha == o.alpha;
    case ActivationKind::thresholdedrelu:
      return theta == o.theta;
    case ActivationKind::rrelu:
      return lower == o.lower && upper == o.upper;
    default:
      return true;
  }
}

}  // namespace xgrad
