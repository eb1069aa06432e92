#include "nn/layers/activation_json.hpp"

#include "autograd/errors.hpp"

namespace xgrad::nn {

nlohmann::json activation_to_json(const Activation& a) {
  const Activation d = Activation::from_name(a.name());
  nlohmann::json j{{"name", a.name()}};
  bool extra = false;
  auto put = [&](const char* key, double v, double dv) {
    if (v != dv) extra = true;
    j[key] = v;
  };
  switch (a.kind) {
    case ActivationKind::leakyrelu:
    case ActivationKind::elu:
      put("alpha", a.alpha, d.alpha);
      break;
    case ActivationKind::thresholdedrelu:
      put("theta", a.theta, d.theta);
      break;
    case ActivationKind::rrelu:
      put("lower", a.lower, d.lower);
      put("upper", a.upper, d.upper);
      break;
    default:
      break;
  }
  return extra ? j : nlohmann::json(a.name());
}

Activation activation_from_json(const nlohmann::json& j) {
  if (j.is_string()) return Activation::from_name(j.get<std::string>());
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
    throw InvalidArgument("activation_from_json: expected a name or {\"name\": ..., parameters}, got " + j.dump());
  Activation a = Activation::from_name(j["name"].get<std::string>());
  for (const auto& [key, value] : j.items()) {
    if (key == "name") continue;
    if (!value.is_number())
      throw InvalidArgument("activation_from_json: parameter \"" + key + "\" must be a number, got " + value.dump());
    const double v = value.get<double>();
    if (key == "alpha")
      a.alpha = v;
    else if (key == "theta")
      a.theta = v;
    else if (key == "lower")
      a.lower = v;
    else if (key == "upper")
      a.upper = v;
    else
      throw InvalidArgument("activation_from_json: unknown parameter \"" + key + "\" for activation " + a.name());
  }
  return a;
}

}  // namespace xgrad::nn
