#pragma once
// Gradient normalisation, Deeplearning4j's GradientNormalization (applied to the raw gradients before the
// updater). A "layer" is the set of parameters sharing the dotted name prefix before the last '.'
// ("0.W" and "0.b" are layer "0"; "W" and "b" are layer ""). With norm = L2 norm of the group's gradients:
//   None                           unchanged
//   RenormalizeL2PerLayer          g <- g / norm(layer)          (threshold unused; a zero norm is left alone)
//   RenormalizeL2PerParamType      g <- g / norm(param)
//   ClipElementWiseAbsoluteValue   g <- clamp(g, -threshold, threshold)
//   ClipL2PerLayer                 g <- g * threshold / norm(layer)  when norm(layer) > threshold
//   ClipL2PerParamType             g <- g * threshold / norm(param)  when norm(param) > threshold
//   ClipL2Global (beyond DL4J)     g <- g * threshold / norm(all)    when norm(all) > threshold
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/tensor.hpp"

namespace xgrad::nn {

struct GradientNormalization {
  enum Kind {
    None,
    RenormalizeL2PerLayer,
    RenormalizeL2PerParamType,
    ClipElementWiseAbsoluteValue,
    ClipL2PerLayer,
    ClipL2PerParamType,
    ClipL2Global
  };
  Kind kind = None;
  double threshold = 1.0;

  /// DL4J name, case-insensitive; throws InvalidArgument listing the names.
  static Kind kind_from_name(const std::string& name);
  static std::string kind_name(Kind kind);
  /// {"kind": "ClipL2PerLayer", "threshold": 1}
  nlohmann::json to_json() const;
  static GradientNormalization from_json(const nlohmann::json& j);
  bool operator==(const GradientNormalization& o) const { return kind == o.kind && threshold == o.threshold; }
};

/// What normalisation does to one parameter's gradient: g <- clamp(scale * g, -clip, clip).
struct GradientTransform {
  double scale = 1.0;
  double clip = std::numeric_limits<double>::infinity();
};

/// The transform of each gradient (names[i] owns grads[i]); norms are accumulated in double.
std::vector<GradientTransform> plan_gradient_normalization(const GradientNormalization& gn,
                                                           const std::vector<std::string>& names,
                                                           const std::vector<const Tensor*>& grads);
/// Applies plan_gradient_normalization in place.
void apply_gradient_normalization(const GradientNormalization& gn, const std::vector<std::string>& names,
                                  const std::vector<Tensor*>& grads);

}  // namespace xgrad::nn
