#include "nn/optim/gradient_normalization.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"
#include "nn/optim/norms.hpp"

namespace xgrad::nn {

namespace {
const std::vector<std::string>& kind_names() {
  static const std::vector<std::string> names{"None",
                                              "RenormalizeL2PerLayer",
                                              "RenormalizeL2PerParamType",
                                              "ClipElementWiseAbsoluteValue",
                                              "ClipL2PerLayer",
                                              "ClipL2PerParamType",
                                              "ClipL2Global"};
  return names;
}
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string layer_of(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? std::string() : name.substr(0, dot);
}
}  // namespace

GradientNormalization::Kind GradientNormalization::kind_from_name(const std::string& name) {
  const auto& names = kind_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (lower(names[i]) == lower(name)) return static_cast<Kind>(i);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw InvalidArgument("GradientNormalization: unknown kind '" + name + "' (known: " + known + ")");
}

std::string GradientNormalization::kind_name(Kind kind) {
  return kind_names().at(static_cast<std::size_t>(kind));
}

nlohmann::json GradientNormalization::to_json() const {
  return {{"kind", kind_name(kind)}, {"threshold", threshold}};
}

GradientNormalization GradientNormalization::from_json(const nlohmann::json& j) {
  GradientNormalization gn;
  if (j.is_null()) return gn;
  if (j.is_string()) {
    gn.kind = kind_from_name(j.get<std::string>());
    return gn;
  }
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string())
    throw InvalidArgument("GradientNormalization::from_json: expected {\"kind\": ..., \"threshold\": ...}, got " +
                          j.dump());
  gn.kind = kind_from_name(j["kind"].get<std::string>());
  gn.threshold = j.value("threshold", 1.0);
  if (!(gn.threshold > 0))
    throw InvalidArgument("GradientNormalization::from_json: threshold must be > 0, got " +
                          std::to_string(gn.threshold));
  return gn;
}

std::vector<GradientTransform> plan_gradient_normalization(const GradientNormalization& gn,
                                                           const std::vector<std::string>& names,
                                                           const std::vector<const Tensor*>& grads) {
  if (names.size() != grads.size())
    throw InvalidArgument("plan_gradient_normalization: " + std::to_string(names.size()) + " names for " +
                          std::to_string(grads.size()) + " gradients");
  std::vector<GradientTransform> plan(grads.size());
  using K = GradientNormalization;
  if (gn.kind == K::None) return plan;
  if (gn.kind == K::ClipElementWiseAbsoluteValue) {
    for (auto& p : plan) p.clip = gn.threshold;
    return plan;
  }
  std::vector<double> sq(grads.size());
  for (std::size_t i = 0; i < grads.size(); ++i) sq[i] = squared_l2_norm(*grads[i]);
  // group norms
  std::vector<double> norm(grads.size());
  if (gn.kind == K::RenormalizeL2PerParamType || gn.kind == K::ClipL2PerParamType) {
    for (std::size_t i = 0; i < grads.size(); ++i) norm[i] = std::sqrt(sq[i]);
  } else if (gn.kind == K::ClipL2Global) {
    double total = 0;
    for (double s : sq) total += s;
    std::fill(norm.begin(), norm.end(), std::sqrt(total));
  } else {
    std::map<std::string, double> layer_sq;
    for (std::size_t i = 0; i < grads.size(); ++i) layer_sq[layer_of(names[i])] += sq[i];
    for (std::size_t i = 0; i < grads.size(); ++i) norm[i] = std::sqrt(layer_sq[layer_of(names[i])]);
  }
  const bool renormalize = gn.kind == K::RenormalizeL2PerLayer || gn.kind == K::RenormalizeL2PerParamType;
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (renormalize) {
      if (norm[i] > 0) plan[i].scale = 1.0 / norm[i];
    } else if (norm[i] > gn.threshold) {
      plan[i].scale = gn.threshold / norm[i];
    }
  }
  return plan;
}

void apply_gradient_normalization(const GradientNormalization& gn, const std::vector<std::string>& names,
                                  const std::vector<Tensor*>& grads) {
  const std::vector<const Tensor*> view(grads.begin(), grads.end());
  const auto plan = plan_gradient_normalization(gn, names, view);
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (plan[i].scale == 1.0 && std::isinf(plan[i].clip)) continue;
    const GradientTransform t = plan[i];
    *grads[i] = kernels::map(*grads[i], [t](auto&& g) {
      using T = kernels::value_of<decltype(g)>;
      return xt::clip(T(t.scale) * g, T(-t.clip), T(t.clip));
    });
  }
}

}  // namespace xgrad::nn
