#pragma once
// l1/l2 penalties on weights and biases, with Deeplearning4j's conventions (L1Regularization,
// L2Regularization): penalty = l1 * sum|W| + 0.5 * l2 * sum W^2 + l1_bias * sum|b| + 0.5 * l2_bias * sum b^2,
// so that d/dW = l1 sign(W) + l2 W. It is added to the (mean per-example) loss, i.e. applied to the gradient
// before the updater, exactly as DL4J's BEFORE_UPDATER regularisation. (Decoupled weight decay, applied after
// the updater, is an optimizer option: see optimizer.hpp.)
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/variable.hpp"

namespace xgrad::nn {

struct Regularization {
  double l1 = 0, l2 = 0, l1_bias = 0, l2_bias = 0;

  /// {"l1", "l2", "l1_bias", "l2_bias"}
  nlohmann::json to_json() const;
  /// Missing keys are 0; negative coefficients throw InvalidArgument naming the key.
  static Regularization from_json(const nlohmann::json& j);
  bool any() const { return l1 != 0 || l2 != 0 || l1_bias != 0 || l2_bias != 0; }
  /// Throws InvalidArgument naming `where` and the coefficient when one is negative or not finite.
  void validate(const std::string& where) const;
  bool operator==(const Regularization& o) const;
};

/// l1 * sum|x| + 0.5 * l2 * sum x^2 for one tensor as one fused op (gradient l1 sign(x) + l2 x; sign(0) = 0).
/// A scalar Variable of x's dtype; a constant 0 when both coefficients are 0.
Variable l1_l2_penalty(const Variable& x, double l1, double l2);

/// The penalty above over all weights and biases (scalar Variable, dtype of the first tensor, float32 if none).
Variable regularization_penalty(const Regularization& reg, const std::vector<Variable>& weights,
                                const std::vector<Variable>& biases);

}  // namespace xgrad::nn
