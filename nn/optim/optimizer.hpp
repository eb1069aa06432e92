#pragma once
// Optimizer: the base of Deeplearning4j's updaters (see optimizers.hpp for the rules). One step() does,
// for every parameter that requires a gradient and has one (others are skipped):
//   1. gradient normalisation (GradientNormalization; the stored gradients are not modified),
//   2. lr = learning_rate() (the schedule's value at the current iteration/epoch, else the fixed rate),
//   3. the update rule u = rule(g, state, lr, t) with t = iteration() + 1,
//   4. decoupled weight decay (DL4J WeightDecay, after the updater): u += coeff * (apply_lr ? lr : 1) * w_old,
//   then w <- w - u, in place (Variable::mutable_value), under NoGradGuard, TBB-parallel over blocks; and
//   iteration() increases by one. State tensors are allocated once (zeros) and reused every step.
// Float32 and float64 parameters both work (hyperparameters are applied in the parameter's precision).
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/module.hpp"
#include "nn/optim/gradient_normalization.hpp"
#include "nn/optim/schedules.hpp"

namespace xgrad::nn {

/// DL4J's WeightDecay(coeff, applyLR), decoupled from the gradient. By default only parameters of rank >= 2
/// (weights) decay, as DL4J's weightDecay(...) vs weightDecayBias(...); apply_to_biases extends it to rank-1.
struct WeightDecay {
  double coeff = 0;
  bool apply_lr = true;
  bool apply_to_biases = false;
  nlohmann::json to_json() const;
  static WeightDecay from_json(const nlohmann::json& j);
  bool operator==(const WeightDecay& o) const {
    return coeff == o.coeff && apply_lr == o.apply_lr && apply_to_biases == o.apply_to_biases;
  }
};

class Optimizer {
 public:
  explicit Optimizer(std::vector<NamedParameter> params);
  virtual ~Optimizer();
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  /// One update from the current gradients (see the file comment).
  void step();
  /// Forgets the gradients of every parameter.
  void zero_grad();

  /// Steps taken so far (DL4J's iteration count; the next step uses t = iteration() + 1).
  std::size_t iteration() const { return iteration_; }
  void set_iteration(std::size_t iteration) { iteration_ = iteration; }
  /// Epoch counter for EPOCH schedules (the training loop sets it; not advanced by step()).
  std::size_t epoch() const { return epoch_; }
  void set_epoch(std::size_t epoch) { epoch_ = epoch; }

  /// The learning rate the next step uses: the schedule's value when one is set, else the fixed rate.
  double learning_rate() const;
  /// The fixed rate (DL4J's default for the type unless set).
  double base_learning_rate() const { return learning_rate_; }
  /// False for AdaDelta and NoOp (no learning rate; schedules are rejected).
  virtual bool has_learning_rate() const { return true; }
  Optimizer& set_learning_rate(double lr);
  Optimizer& set_schedule(std::shared_ptr<const Schedule> schedule);
  const std::shared_ptr<const Schedule>& schedule() const { return schedule_; }
  Optimizer& set_gradient_normalization(GradientNormalization gn);
  const GradientNormalization& gradient_normalization() const { return gradient_normalization_; }
  Optimizer& set_weight_decay(WeightDecay wd);
  const WeightDecay& weight_decay() const { return weight_decay_; }

  /// DL4J class name: "Sgd", "Adam", ...
  virtual std::string type_name() const = 0;
  /// {"type", "learning_rate", ...hyperparameters, "schedule" (null or the schedule), "gradient_normalization",
  ///  "weight_decay"}; optimizer_from_config(config(), params) rebuilds an equal optimizer (without its state).
  nlohmann::json config() const;
  /// Named state: "<param name>.<slot>" for every state slot (e.g. "0.W.m"), plus "iteration" and "epoch"
  /// (0-d float64 tensors). Copies.
  std::vector<std::pair<std::string, Tensor>> state() const;
  /// Restores state(); converts dtypes; throws InvalidArgument naming a missing or unknown entry, ShapeError
  /// naming an entry of the wrong shape.
  void load_state(const std::vector<std::pair<std::string, Tensor>>& state);

  const std::vector<NamedParameter>& parameters() const { return params_; }
  /// Names of the per-parameter state slots ("m", "v"), in state() order.
  const std::vector<std::string>& slot_names() const { return slot_names_; }

  /// Per-step values handed to the update rule.
  struct StepContext {
    double lr;          // learning_rate()
    std::size_t t;      // iteration() + 1
    double grad_scale;  // gradient normalisation: g <- clamp(grad_scale * g, -grad_clip, grad_clip)
    double grad_clip;
    double decay;  // decoupled weight decay factor for this parameter (coeff * lr or coeff, or 0)
  };

 protected:
  /// Derived classes: declare the state slots and DL4J's default learning rate.
  Optimizer(std::vector<NamedParameter> params, std::vector<std::string> slot_names, double default_lr);
  /// The hyperparameters beside the learning rate, for config(): {"beta1": 0.9, ...}.
  virtual nlohmann::json hyperparameters() const = 0;
  /// Applies the rule to one parameter in place: value -= u (+ decay), slots updated.
  virtual void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots,
                      const StepContext& context) = 0;

 private:
  void ensure_state();
  std::vector<NamedParameter> params_;
  std::vector<std::string> slot_names_;
  std::vector<std::vector<Tensor>> slots_;  // [param][slot]
  double learning_rate_ = 1e-3;
  std::shared_ptr<const Schedule> schedule_;
  GradientNormalization gradient_normalization_;
  WeightDecay weight_decay_;
  std::size_t iteration_ = 0;
  std::size_t epoch_ = 0;
};

}  // namespace xgrad::nn
