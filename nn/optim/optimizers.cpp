#include "nn/optim/optimizers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include <xsimd/xsimd.hpp>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"

namespace xgrad::nn {

namespace {
using StepContext = Optimizer::StepContext;

// Small parameters stay on one core; large ones are cut into an even number of equal blocks, so with TBB's
// static partition each of two threads updates exactly the half of the rows its GEMM blocks touch (blas.cpp).
std::size_t update_grain(std::size_t n) {
  if (n < parallel::kLargeOperand) return std::max<std::size_t>(n, 1);
  const std::size_t blocks = 2 * ((n + 2 * parallel::kGrain - 1) / (2 * parallel::kGrain));
  return (n + blocks - 1) / blocks;
}

// Runs rule(P, G, S0, S1, S2, decay) on every block of the parameter: P is the parameter span, G the span of the
// (normalised) gradient g = clamp(scale * grad, -clip, clip), contiguous, S* the state spans. The rule updates its
// state and P (including "- decay * P"), xsimd-vectorised, in the parameter's precision, TBB-parallel over fixed
// blocks (a normalised gradient is the only allocation). Scalars enter expressions as prvalues.
template <class Rule>
void apply_rule(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c, Rule rule) {
  value.visit([&](auto& array) {
    using T = kernels::value_of<decltype(array)>;
    T* p = array.data();
    const T* g = grad.data<T>();
    T* s[3] = {p, p, p};  // unused slots alias p and are never touched
    for (std::size_t k = 0; k < slots.size() && k < 3; ++k) s[k] = slots[k]->data<T>();
    const bool plain = c.grad_scale == 1.0 && std::isinf(c.grad_clip);
    const T scale = T(c.grad_scale), lim = T(c.grad_clip), decay = T(c.decay);
    parallel::for_blocks(
        array.size(),
        [&](std::size_t b, std::size_t e) {
          const std::size_t n = e - b;
          auto P = kernels::span(p + b, n);
          auto S0 = kernels::span(s[0] + b, n);
          auto S1 = kernels::span(s[1] + b, n);
          auto S2 = kernels::span(s[2] + b, n);
          // Rules always see a contiguous gradient: the block itself, or its normalised copy.
          kernels::scratch_vector<T> normalised;
          const T* gb = g + b;
          if (!plain) {
            normalised.resize(n);
            auto out = kernels::span(normalised.data(), n);
            xt::noalias(out) = xt::clip(scale * kernels::span(gb, n), -lim, lim);
            gb = normalised.data();
          }
          rule(P, kernels::span(gb, n), S0, S1, S2, decay);
        },
        update_grain(array.size()));
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
  apply_rule(value, grad, slots, c, [lr](auto& P, auto&& G, auto&, auto&, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(P) = P - T(lr) * G - decay * P;
  });
}

// ---- Nesterovs
Nesterovs::Nesterovs(std::vector<NamedParameter> params, NesterovsOptions options)
    : Optimizer(std::move(params), {"v"}, options.learning_rate), options_(options) {
  check_lr("Nesterovs", options.learning_rate);
  check_unit("Nesterovs", "momentum", options.momentum);
}
nlohmann::json Nesterovs::hyperparameters() const {
  return {{"momentum", options_.momentum},
          {"momentum_schedule", options_.momentum_schedule ? options_.momentum_schedule->to_json() : nlohmann::json()}};
}
void Nesterovs::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double lr = c.lr;
  const double mu =
      options_.momentum_schedule ? options_.momentum_schedule->value_at(iteration(), epoch()) : options_.momentum;
  apply_rule(value, grad, slots, c, [lr, mu](auto& P, auto&& G, auto& V, auto&, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    // v' = mu v - lr g;  u = mu v - (1 + mu) v' = -mu^2 v + (1 + mu) lr g  (from the old v)
    xt::noalias(P) = P - (T((1 + mu) * lr) * G - T(mu * mu) * V) - decay * P;
    xt::noalias(V) = T(mu) * V - T(lr) * G;
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
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& M, auto& V, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    // One pass per block, p, g, m and v read once (xsimd batches, then a scalar tail): the hot loop of a step.
    const T* g = G.data();
    T *p = P.data(), *m = M.data(), *v = V.data();
    const T c1 = T(b1), c1c = T(1 - b1), c2 = T(b2), c2c = T(1 - b2), a = T(alpha), e = T(eps), d = T(decay);
    const auto step = [&](auto pi, auto gi, auto mi, auto vi, auto store) {
      using std::sqrt;  // xsimd::sqrt for batches (argument-dependent lookup)
      mi = c1 * mi + c1c * gi;
      vi = c2 * vi + c2c * gi * gi;
      store(pi - a * mi / (sqrt(vi) + e) - d * pi, mi, vi);
    };
    using Batch = xsimd::batch<T>;
    const std::size_t n = P.size(), lanes = Batch::size, vec_end = n - n % lanes;
    for (std::size_t i = 0; i < vec_end; i += lanes)
      step(Batch::load_unaligned(p + i), Batch::load_unaligned(g + i), Batch::load_unaligned(m + i),
           Batch::load_unaligned(v + i), [&](Batch np, Batch nm, Batch nv) {
             np.store_unaligned(p + i);
             nm.store_unaligned(m + i);
             nv.store_unaligned(v + i);
           });
    for (std::size_t i = vec_end; i < n; ++i)
      step(p[i], g[i], m[i], v[i], [&](T np, T nm, T nv) {
        p[i] = np;
        m[i] = nm;
        v[i] = nv;
      });
  });
}

AdaMax::AdaMax(std::vector<NamedParameter> params, AdamOptions options)
    : Adam(std::move(params), options, {"m", "u"}) {}
void AdaMax::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2;
  const double alpha = guard_rate(c.lr / (1.0 - std::pow(b1, static_cast<double>(c.t))), options_.epsilon);
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& M, auto& U, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(M) = T(b1) * M + T(1 - b1) * G;
    xt::noalias(U) = xt::maximum(T(b2) * U, xt::abs(G)) + T(1e-32);
    xt::noalias(P) = P - T(alpha) * M / U - decay * P;
  });
}

Nadam::Nadam(std::vector<NamedParameter> params, AdamOptions options) : Adam(std::move(params), options, {"m", "v"}) {}
void Nadam::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon, lr = c.lr;
  const double corr = 1.0 / (1.0 - std::pow(b1, static_cast<double>(c.t)));
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& M, auto& V, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(M) = T(b1) * M + T(1 - b1) * G;
    xt::noalias(V) = T(b2) * V + T(1 - b2) * G * G;
    xt::noalias(P) = P - T(lr * corr) * (T(b1) * M + T(1 - b1) * G) / (xt::sqrt(V) + T(eps)) - decay * P;
  });
}

AMSGrad::AMSGrad(std::vector<NamedParameter> params, AdamOptions options)
    : Adam(std::move(params), options, {"m", "v", "vhat"}) {}
void AMSGrad::update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) {
  const double b1 = options_.beta1, b2 = options_.beta2, eps = options_.epsilon;
  const double t = static_cast<double>(c.t);
  const double alpha = guard_rate(c.lr * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t)), eps);
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& M, auto& V, auto& VHAT, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(M) = T(b1) * M + T(1 - b1) * G;
    xt::noalias(V) = T(b2) * V + T(1 - b2) * G * G;
    xt::noalias(VHAT) = xt::maximum(VHAT, V);
    xt::noalias(P) = P - T(alpha) * M / (xt::sqrt(VHAT) + T(eps)) - decay * P;
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
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& H, auto&, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(H) = H + G * G;
    xt::noalias(P) = P - T(lr) * G / (xt::sqrt(H) + T(eps)) - decay * P;
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
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& MSG, auto& MSDX, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(MSG) = T(rho) * MSG + T(1 - rho) * G * G;
    // u = g sqrt(msdx + eps) / sqrt(msg + eps) from the old msdx: update P first, then msdx with u^2
    auto u = G * xt::sqrt(MSDX + T(eps)) / xt::sqrt(MSG + T(eps));
    xt::noalias(P) = P - u - decay * P;
    xt::noalias(MSDX) = T(rho) * MSDX + T(1 - rho) * u * u;
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
  apply_rule(value, grad, slots, c, [=](auto& P, auto&& G, auto& S, auto&, auto&, auto decay) {
    using T = kernels::value_of<decltype(P)>;
    xt::noalias(S) = T(d) * S + T(1 - d) * G * G;
    xt::noalias(P) = P - T(lr) * G / (xt::sqrt(S) + T(eps)) - decay * P;
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
      std::shared_ptr<const Schedule> momentum_schedule;
      if (j.contains("momentum_schedule") && !j.at("momentum_schedule").is_null())
        momentum_schedule = Schedule::from_json(j.at("momentum_schedule"));
      return std::make_unique<Nesterovs>(
          std::move(p), NesterovsOptions{num(j, "learning_rate", d.learning_rate), num(j, "momentum", d.momentum),
                                         std::move(momentum_schedule)});
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
  try {
    std::unique_ptr<Optimizer> opt = factory(j, std::move(params));
    if (j.contains("schedule") && !j["schedule"].is_null()) opt->set_schedule(Schedule::from_json(j["schedule"]));
    if (j.contains("gradient_normalization"))
      opt->set_gradient_normalization(GradientNormalization::from_json(j["gradient_normalization"]));
    if (j.contains("weight_decay")) opt->set_weight_decay(WeightDecay::from_json(j["weight_decay"]));
    return opt;
  } catch (const nlohmann::json::exception& e) {  // a field of the wrong type ("apply_lr": "yes", ...)
    throw InvalidArgument("optimizer_from_config: " + type + ": " + e.what() + " in " + config.dump());
  }
}

}  // namespace xgrad::nn
