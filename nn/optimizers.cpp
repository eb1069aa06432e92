#include "nn/optimizers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"

namespace xgrad::nn {

namespace {
using StepContext = Optimizer::StepContext;

// For every element: g = clamp(scale * grad, -clip, clip); u = rule(g, s0, s1, s2, i) (the rule updates its state
// slots at i); w <- w - u - decay * w. TBB-parallel over fixed blocks, in the parameter's precision.
template <class Rule>
void apply_rule(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c, Rule rule) {
  value.visit([&](auto& P) {
    using T = kernels::value_of<decltype(P)>;
    T* p = P.data();
    const T* g = grad.data<T>();
    T* s0 = slots.size() > 0 ? slots[0]->data<T>() : nullptr;
    T* s1 = slots.size() > 1 ? slots[1]->data<T>() : nullptr;
    T* s2 = slots.size() > 2 ? slots[2]->data<T>() : nullptr;
    const T scale = T(c.grad_scale);
    const T lim = std::isfinite(c.grad_clip) ? T(c.grad_clip) : std::numeric_limits<T>::max();
    const T decay = T(c.decay);
    parallel::for_blocks(P.size(), [&](std::size_t b, std::size_t e) {
#pragma omp simd
      for (std::size_t i = b; i < e; ++i) {
        const T gi = std::min(std::max(scale * g[i], -lim), lim);
        const T w = p[i];
        p[i] = w - rule(gi, s0, s1, s2, i) - decay * w;
      }
    });
  });
}

// DL4J: a bias-corrected rate that is NaN, 0 or infinite falls back to epsilon
double guard_rate(double alpha, double epsilon) {
  return (std::isnan(alpha) || alpha == 0.0 || std::isinf(alpha)) ? epsilon : alpha;
}

void check_unit(const std::string& where, const char* name, double v) {
  if (!(v >= 0 && v < 1)) throw InvalidArgument(where + ": " + name + " must be in [0, 1), got " + std::to_string(v));
}
void check_positive(const std::string& where, const char* name, double v) {
  if (!(v > 0)) throw InvalidArgument(where + ": " + name + " must be > 0, got " + std::to_string(v));
}
void check_lr(const std::string& where, double lr) {
  if (!(lr >= 0) || !std::isfinite(lr))
    throw InvalidArgument(where + ": learning_rate must be finite and >= 0, got " + std::to_string(lr));
}
}  // namespace

// ---- Sgd
Sgd::Sgd(std::vector<NamedParameter> params, SgdOptions options)
    : Optimizer(std::move(params), {}, options.learning_rate) {
  check_lr("Sgd", options.learning_rate);
}
nlohmann::json Sgd::hyperparameters() const {
  return nlohmann::json::object();
}
void Sgd::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double lr = c.lr;
  apply_rule(value, grad, slots, c, [lr](auto g, auto*, auto*, auto*, std::size_t) {
    using T = decltype(g);
    return T(lr) * g;
  });
}

// ---- Nesterovs
Nesterovs::Nesterovs(std::vector<NamedParameter> params, NesterovsOptions options)
    : Optimizer(std::move(params), {"v"}, options.learning_rate), options_(options) {
  check_lr("Nesterovs", options.learning_rate);
  check_unit("Nesterovs", "momentum", options.momentum);
}
nlohmann::json Nesterovs::hyperparameters() const {
  return {{"momentum", options_.momentum}};
}
void Nesterovs::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double lr = c.lr, mu = options_.momentum;
  apply_rule(value, grad, slots, c, [lr, mu](auto g, auto* v, auto*, auto*, std::size_t i) {
    using T = decltype(g);
    const T prev = v[i];
    v[i] = T(mu) * prev - T(lr) * g;
    return T(mu) * prev - (T(1) + T(mu)) * v[i];
  });
}

// ---- Adam family
Adam::Adam(std::vector<NamedParameter> params, AdamOptions options) : Adam(std::move(params), options, {"m", "v"}) {}
Adam::Adam(std::vector<NamedParameter> params, AdamOptions options, std::vector<std::string> slots)
    : Optimizer(std::move(params), std::move(slots), options.learning_rate), options_(options) {
  const std::string where = "Adam-type optimizer";
  check_lr(where, options.learning_rate);
  check_unit(where, "beta1", options.beta1);
  check_unit(where, "beta2", options.beta2);
  check_positive(where, "epsilon", options.epsilon);
}
nlohmann::json Adam::hyperparameters() const {
  return {{"beta1", options_.beta1}, {"beta2", options_.beta2}, {"epsilon", options_.epsilon}};
}
void Adam::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon;
  const double t = static_cast<double>(c.t);
  const double alpha = guard_rate(c.lr * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t)), eps);
  apply_rule(value, grad, slots, c, [=](auto g, auto* m, auto* v, auto*, std::size_t i) {
    using T = decltype(g);
    m[i] = T(b1) * m[i] + T(1 - b1) * g;
    v[i] = T(b2) * v[i] + T(1 - b2) * g * g;
    return T(alpha) * m[i] / (std::sqrt(v[i]) + T(eps));
  });
}

AdaMax::AdaMax(std::vector<NamedParameter> params, AdamOptions options)
    : Adam(std::move(params), options, {"m", "u"}) {}
void AdaMax::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2;
  const double alpha = guard_rate(c.lr / (1.0 - std::pow(b1, static_cast<double>(c.t))), options_.epsilon);
  apply_rule(value, grad, slots, c, [=](auto g, auto* m, auto* u, auto*, std::size_t i) {
    using T = decltype(g);
    m[i] = T(b1) * m[i] + T(1 - b1) * g;
    u[i] = std::max(T(b2) * u[i], std::abs(g)) + T(1e-32);
    return m[i] * T(alpha) / u[i];
  });
}

Nadam::Nadam(std::vector<NamedParameter> params, AdamOptions options) : Adam(std::move(params), options, {"m", "v"}) {}
void Nadam::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon, lr = c.lr;
  const double corr = 1.0 / (1.0 - std::pow(b1, static_cast<double>(c.t)));
  apply_rule(value, grad, slots, c, [=](auto g, auto* m, auto* v, auto*, std::size_t i) {
    using T = decltype(g);
    m[i] = T(b1) * m[i] + T(1 - b1) * g;
    v[i] = T(b2) * v[i] + T(1 - b2) * g * g;
    return T(lr) * ((T(b1) * m[i] + T(1 - b1) * g) * T(corr)) / (std::sqrt(v[i]) + T(eps));
  });
}

AMSGrad::AMSGrad(std::vector<NamedParameter> params, AdamOptions options)
    : Adam(std::move(params), options, {"m", "v", "vhat"}) {}
void AMSGrad::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon;
  const double t = static_cast<double>(c.t);
  const double alpha = guard_rate(c.lr * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t)), eps);
  apply_rule(value, grad, slots, c, [=](auto g, auto* m, auto* v, auto* vhat, std::size_t i) {
    using T = decltype(g);
    m[i] = T(b1) * m[i] + T(1 - b1) * g;
    v[i] = T(b2) * v[i] + T(1 - b2) * g * g;
    vhat[i] = std::max(vhat[i], v[i]);
    return T(alpha) * m[i] / (std::sqrt(vhat[i]) + T(eps));
  });
}

// ---- AdaGrad
AdaGrad::AdaGrad(std::vector<NamedParameter> params, AdaGradOptions options)
    : Optimizer(std::move(params), {"h"}, options.learning_rate), options_(options) {
  check_lr("AdaGrad", options.learning_rate);
  check_positive("AdaGrad", "epsilon", options.epsilon);
}
nlohmann::json AdaGrad::hyperparameters() const {
  return {{"epsilon", options_.epsilon}};
}
void AdaGrad::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double lr = c.lr, eps = options_.epsilon;
  apply_rule(value, grad, slots, c, [=](auto g, auto* h, auto*, auto*, std::size_t i) {
    using T = decltype(g);
    h[i] += g * g;
    return T(lr) * g / (std::sqrt(h[i]) + T(eps));
  });
}

// ---- AdaDelta
AdaDelta::AdaDelta(std::vector<NamedParameter> params, AdaDeltaOptions options)
    : Optimizer(std::move(params), {"msg", "msdx"}, 1.0), options_(options) {
  check_unit("AdaDelta", "rho", options.rho);
  check_positive("AdaDelta", "epsilon", options.epsilon);
}
nlohmann::json AdaDelta::hyperparameters() const {
  return {{"rho", options_.rho}, {"epsilon", options_.epsilon}};
}
void AdaDelta::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double rho = options_.rho, eps = options_.epsilon;
  apply_rule(value, grad, slots, c, [=](auto g, auto* msg, auto* msdx, auto*, std::size_t i) {
    using T = decltype(g);
    msg[i] = T(rho) * msg[i] + T(1 - rho) * g * g;
    const T u = g * std::sqrt(msdx[i] + T(eps)) / std::sqrt(msg[i] + T(eps));
    msdx[i] = T(rho) * msdx[i] + T(1 - rho) * u * u;
    return u;
  });
}

// ---- RmsProp
RmsProp::RmsProp(std::vector<NamedParameter> params, RmsPropOptions options)
    : Optimizer(std::move(params), {"g"}, options.learning_rate), options_(options) {
  check_lr("RmsProp", options.learning_rate);
  check_unit("RmsProp", "rms_decay", options.rms_decay);
  check_positive("RmsProp", "epsilon", options.epsilon);
}
nlohmann::json RmsProp::hyperparameters() const {
  return {{"rms_decay", options_.rms_decay}, {"epsilon", options_.epsilon}};
}
void RmsProp::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double lr = c.lr, d = options_.rms_decay, eps = options_.epsilon;
  apply_rule(value, grad, slots, c, [=](auto g, auto* s, auto*, auto*, std::size_t i) {
    using T = decltype(g);
    s[i] = T(d) * s[i] + T(1 - d) * g * g;
    return T(lr) * g / (std::sqrt(s[i]) + T(eps));
  });
}

// ---- NoOp
NoOp::NoOp(std::vector<NamedParameter> params) : Optimizer(std::move(params), {}, 1.0) {}
nlohmann::json NoOp::hyperparameters() const {
  return nlohmann::json::object();
}
void NoOp::update(Tensor&, const Tensor&, const std::vector<Tensor*>&, const StepContext&) {}

// ---- factory
namespace {
struct OptimizerRegistry {
  std::mutex mutex;
  std::map<std::string, std::pair<std::string, OptimizerFactory>> factories;  // lower-case key -> (name, factory)
};
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
double num(const nlohmann::json& j, const char* key, double def) {
  if (!j.contains(key) || j[key].is_null()) return def;
  if (!j[key].is_number())
    throw InvalidArgument(std::string("optimizer_from_config: \"") + key + "\" must be a number, got " + j[key].dump());
  return j[key].get<double>();
}
AdamOptions adam_options(const nlohmann::json& j) {
  AdamOptions d;
  return {num(j, "learning_rate", d.learning_rate), num(j, "beta1", d.beta1), num(j, "beta2", d.beta2),
          num(j, "epsilon", d.epsilon)};
}
OptimizerRegistry& registry() {
  static OptimizerRegistry r;
  static std::once_flag once;
  std::call_once(once, [] {
    auto add = [](const std::string& name, OptimizerFactory f) { r.factories[lower(name)] = {name, std::move(f)}; };
    add("Sgd", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      return std::make_unique<Sgd>(std::move(p), SgdOptions{num(j, "learning_rate", SgdOptions{}.learning_rate)});
    });
    add("Nesterovs", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      NesterovsOptions d;
      return std::make_unique<Nesterovs>(
          std::move(p), NesterovsOptions{num(j, "learning_rate", d.learning_rate), num(j, "momentum", d.momentum)});
    });
    add("Adam", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      return std::make_unique<Adam>(std::move(p), adam_options(j));
    });
    add("AdaMax", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      return std::make_unique<AdaMax>(std::move(p), adam_options(j));
    });
    add("Nadam", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      return std::make_unique<Nadam>(std::move(p), adam_options(j));
    });
    add("AMSGrad", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      return std::make_unique<AMSGrad>(std::move(p), adam_options(j));
    });
    add("AdaGrad", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      AdaGradOptions d;
      return std::make_unique<AdaGrad>(
          std::move(p), AdaGradOptions{num(j, "learning_rate", d.learning_rate), num(j, "epsilon", d.epsilon)});
    });
    add("AdaDelta", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      AdaDeltaOptions d;
      return std::make_unique<AdaDelta>(std::move(p),
                                        AdaDeltaOptions{num(j, "rho", d.rho), num(j, "epsilon", d.epsilon)});
    });
    add("RmsProp", [](const nlohmann::json& j, std::vector<NamedParameter> p) {
      RmsPropOptions d;
      return std::make_unique<RmsProp>(
          std::move(p), RmsPropOptions{num(j, "learning_rate", d.learning_rate), num(j, "rms_decay", d.rms_decay),
                                       num(j, "epsilon", d.epsilon)});
    });
    add("NoOp",
        [](const nlohmann::json&, std::vector<NamedParameter> p) { return std::make_unique<NoOp>(std::move(p)); });
  });
  return r;
}
}  // namespace

void register_optimizer_type(const std::string& type, OptimizerFactory factory) {
  OptimizerRegistry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[lower(type)] = {type, std::move(factory)};
}

std::vector<std::string> registered_optimizer_types() {
  OptimizerRegistry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> out;
  for (const auto& [k, v] : r.factories) out.push_back(v.first);
  return out;
}

std::unique_ptr<Optimizer> optimizer_from_config(const nlohmann::json& config, std::vector<NamedParameter> params) {
  const nlohmann::json j = config.is_string() ? nlohmann::json{{"type", config}} : config;
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    throw InvalidArgument("optimizer_from_config: expected a type name or an object with a string \"type\", got " +
                          config.dump());
  const std::string type = j["type"].get<std::string>();
  OptimizerFactory factory;
  {
    OptimizerRegistry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.factories.find(lower(type));
    if (it == r.factories.end()) {
      std::string known;
      for (const auto& [k, v] : r.factories) known += (known.empty() ? "" : ", ") + v.first;
      throw InvalidArgument("optimizer_from_config: unknown optimizer type '" + type + "' (known: " + known + ")");
    }
    factory = it->second.second;
  }
  std::unique_ptr<Optimizer> opt = factory(j, std::move(params));
  if (j.contains("schedule") && !j["schedule"].is_null()) opt->set_schedule(Schedule::from_json(j["schedule"]));
  if (j.contains("gradient_normalization"))
    opt->set_gradient_normalization(GradientNormalization::from_json(j["gradient_normalization"]));
  if (j.contains("weight_decay")) opt->set_weight_decay(WeightDecay::from_json(j["weight_decay"]));
  return opt;
}

}  // namespace xgrad::nn
