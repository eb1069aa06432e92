#include "nn/optim/optimizer.hpp"

#include <cmath>
#include <map>
#include <set>

#include "autograd/errors.hpp"
#include "autograd/tape.hpp"

namespace xgrad::nn {

nlohmann::json WeightDecay::to_json() const {
  return {{"coeff", coeff}, {"apply_lr", apply_lr}, {"apply_to_biases", apply_to_biases}};
}

WeightDecay WeightDecay::from_json(const nlohmann::json& j) {
  WeightDecay wd;
  if (j.is_null()) return wd;
  if (j.is_number()) {
    wd.coeff = j.get<double>();
  } else if (j.is_object()) {
    wd.coeff = j.value("coeff", 0.0);
    wd.apply_lr = j.value("apply_lr", true);
    wd.apply_to_biases = j.value("apply_to_biases", false);
  } else {
    throw InvalidArgument(
        "WeightDecay::from_json: expected a number or {\"coeff\", \"apply_lr\", \"apply_to_biases\"}, got " + j.dump());
  }
  if (!(wd.coeff >= 0) || !std::isfinite(wd.coeff))
    throw InvalidArgument("WeightDecay: coeff must be finite and >= 0, got " + std::to_string(wd.coeff));
  return wd;
}

Optimizer::Optimizer(std::vector<NamedParameter> params) : Optimizer(std::move(params), {}, 1e-3) {}

Optimizer::Optimizer(std::vector<NamedParameter> params, std::vector<std::string> slot_names, double default_lr)
    : params_(std::move(params)), slot_names_(std::move(slot_names)), learning_rate_(default_lr) {
  std::set<std::string> seen;
  for (const auto& p : params_) {
    if (!p.variable.defined()) throw InvalidArgument("Optimizer: parameter '" + p.name + "' is undefined");
    if (!p.variable.is_leaf())
      throw InvalidArgument("Optimizer: parameter '" + p.name + "' is not a leaf (produced by op " +
                            p.variable.op_name() + ")");
    if (!seen.insert(p.name).second) throw InvalidArgument("Optimizer: parameter name '" + p.name + "' appears twice");
  }
  slots_.resize(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i)
    for (std::size_t k = 0; k < slot_names_.size(); ++k)
      slots_[i].push_back(Tensor::zeros(params_[i].variable.shape(), params_[i].variable.dtype()));
}

Optimizer::~Optimizer() = default;

double Optimizer::learning_rate() const {
  return schedule_ ? schedule_->value_at(iteration_, epoch_) : learning_rate_;
}

Optimizer& Optimizer::set_learning_rate(double lr) {
  if (!has_learning_rate())
    throw InvalidArgument(type_name() + "::set_learning_rate: " + type_name() + " has no learning rate");
  if (!(lr >= 0) || !std::isfinite(lr))
    throw InvalidArgument(type_name() + "::set_learning_rate: learning rate must be finite and >= 0, got " +
                          std::to_string(lr));
  learning_rate_ = lr;
  return *this;
}

Optimizer& Optimizer::set_schedule(std::shared_ptr<const Schedule> schedule) {
  if (schedule && !has_learning_rate())
    throw InvalidArgument(type_name() + "::set_schedule: " + type_name() + " has no learning rate to schedule");
  schedule_ = std::move(schedule);
  return *this;
}

Optimizer& Optimizer::set_gradient_normalization(GradientNormalization gn) {
  if (!(gn.threshold > 0))
    throw InvalidArgument(type_name() + "::set_gradient_normalization: threshold must be > 0, got " +
                          std::to_string(gn.threshold));
  gradient_normalization_ = gn;
  return *this;
}

Optimizer& Optimizer::set_weight_decay(WeightDecay wd) {
  if (!(wd.coeff >= 0) || !std::isfinite(wd.coeff))
    throw InvalidArgument(type_name() + "::set_weight_decay: coeff must be finite and >= 0, got " +
                          std::to_string(wd.coeff));
  weight_decay_ = wd;
  return *this;
}

void Optimizer::ensure_state() {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor& v = params_[i].variable.value();
    for (std::size_t k = 0; k < slot_names_.size(); ++k) {
      Tensor& s = slots_[i][k];
      if (s.shape() != v.shape())
        throw ShapeError(type_name() + "::step: parameter '" + params_[i].name + "' has shape " +
                         shape_string(v.shape()) + " but its state '" + slot_names_[k] + "' has " +
                         shape_string(s.shape()));
      if (s.dtype() != v.dtype()) s = s.to(v.dtype());
    }
  }
}

void Optimizer::step() {
  NoGradGuard no_grad;
  ensure_state();
  std::vector<std::size_t> active;
  std::vector<std::string> names;
  std::vector<const Tensor*> grads;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Variable& v = params_[i].variable;
    if (!v.requires_grad() || !v.has_grad()) continue;
    if (v.grad().dtype() != v.dtype() || v.grad().shape() != v.shape())
      throw ShapeError(type_name() + "::step: gradient of '" + params_[i].name + "' is " +
                       shape_string(v.grad().shape()) + " " + dtype_name(v.grad().dtype()) + ", parameter is " +
                       shape_string(v.shape()) + " " + dtype_name(v.dtype()));
    active.push_back(i);
    names.push_back(params_[i].name);
    grads.push_back(&v.grad());
  }
  const auto plan = plan_gradient_normalization(gradient_normalization_, names, grads);
  const double lr = has_learning_rate() ? learning_rate() : 1.0;
  std::vector<Tensor*> slot_ptrs;
  for (std::size_t a = 0; a < active.size(); ++a) {
    const std::size_t i = active[a];
    Variable v = params_[i].variable;
    const bool decays = weight_decay_.coeff > 0 && (v.dim() >= 2 || weight_decay_.apply_to_biases);
    StepContext c{lr, iteration_ + 1, plan[a].scale, plan[a].clip,
                  decays ? weight_decay_.coeff * (weight_decay_.apply_lr ? lr : 1.0) : 0.0};
    slot_ptrs.clear();
    for (auto& s : slots_[i]) slot_ptrs.push_back(&s);
    update(v.mutable_value(), v.grad(), slot_ptrs, c);
  }
  ++iteration_;
}

void Optimizer::zero_grad() {
  for (auto& p : params_) {
    Variable v = p.variable;
    v.zero_grad();
  }
}

nlohmann::json Optimizer::config() const {
  nlohmann::json j{{"type", type_name()}};
  if (has_learning_rate()) j["learning_rate"] = learning_rate_;
  j.update(hyperparameters());
  j["schedule"] = schedule_ ? schedule_->to_json() : nlohmann::json();
  j["gradient_normalization"] = gradient_normalization_.to_json();
  j["weight_decay"] = weight_decay_.to_json();
  return j;
}

std::vector<std::pair<std::string, Tensor>> Optimizer::state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (std::size_t i = 0; i < params_.size(); ++i)
    for (std::size_t k = 0; k < slot_names_.size(); ++k)
      out.emplace_back(params_[i].name + "." + slot_names_[k], slots_[i][k]);
  out.emplace_back("iteration", Tensor::scalar(static_cast<double>(iteration_), DType::float64));
  out.emplace_back("epoch", Tensor::scalar(static_cast<double>(epoch_), DType::float64));
  return out;
}

void Optimizer::load_state(const std::vector<std::pair<std::string, Tensor>>& state) {
  const std::string where = type_name() + "::load_state";
  std::map<std::string, const Tensor*> given;
  for (const auto& [name, t] : state)
    if (!given.emplace(name, &t).second) throw InvalidArgument(where + ": entry '" + name + "' appears twice");
  auto take = [&](const std::string& name) -> const Tensor& {
    auto it = given.find(name);
    if (it == given.end()) throw InvalidArgument(where + ": missing entry '" + name + "'");
    const Tensor& t = *it->second;
    given.erase(it);
    return t;
  };
  // validate everything before changing anything
  std::vector<std::vector<Tensor>> slots(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i)
    for (std::size_t k = 0; k < slot_names_.size(); ++k) {
      const std::string name = params_[i].name + "." + slot_names_[k];
      const Tensor& t = take(name);
      const Shape& want = params_[i].variable.shape();
      if (t.shape() != want)
        throw ShapeError(where + ": entry '" + name + "' has shape " + shape_string(t.shape()) + ", expected " +
                         shape_string(want));
      slots[i].push_back(t.to(params_[i].variable.dtype()));
    }
  auto counter = [&](const std::string& name) {
    const Tensor& t = take(name);
    if (t.size() != 1)
      throw ShapeError(where + ": entry '" + name + "' must have one element, has shape " + shape_string(t.shape()));
    const double v = t.item();
    if (!(v >= 0) || v != std::floor(v))
      throw InvalidArgument(where + ": entry '" + name + "' is not a count: " + std::to_string(v));
    return static_cast<std::size_t>(v);
  };
  const std::size_t iteration = counter("iteration");
  const std::size_t epoch = counter("epoch");
  if (!given.empty())
    throw InvalidArgument(where + ": unknown entry '" + given.begin()->first + "' (not a state of this " + type_name() +
                          " over these parameters)");
  slots_ = std::move(slots);
  iteration_ = iteration;
  epoch_ = epoch;
}

}  // namespace xgrad::nn
