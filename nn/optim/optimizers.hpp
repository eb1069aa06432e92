#pragma once
// Deeplearning4j's updaters with DL4J's default hyperparameters. g is the (normalised) gradient, t the
// 1-based step number, u the update (w <- w - u). State starts at zero.
//   Sgd        (lr 1e-3)                          u = lr g
//   Nesterovs  (lr 0.1, momentum 0.9)             v' = mu v - lr g;  u = mu v - (1 + mu) v'
//   Adam       (lr 1e-3, b1 0.9, b2 0.999, eps 1e-8)
//              m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  a = lr sqrt(1-b2^t) / (1-b1^t);  u = a m / (sqrt v + eps)
//   AdaMax     (lr 1e-3, b1 0.9, b2 0.999, eps 1e-8)
//              m = b1 m + (1-b1) g;  s = max(b2 s, |g|) + 1e-32;  u = lr / (1-b1^t) m / s    (DL4J's kernel)
//   Nadam      (lr 1e-3, b1 0.9, b2 0.999, eps 1e-8)
//              m, v as Adam;  u = lr (b1 m + (1-b1) g) / (1-b1^t) / (sqrt v + eps)       (v not bias-corrected, as
//              DL4J)
//   AMSGrad    (lr 1e-3, b1 0.9, b2 0.999, eps 1e-8)
//              m, v as Adam;  vhat = max(vhat, v);  u = lr sqrt(1-b2^t) / (1-b1^t) m / (sqrt vhat + eps)
//   AdaGrad    (lr 0.1, eps 1e-6)                 h = h + g^2;  u = lr g / (sqrt h + eps)
//   AdaDelta   (rho 0.95, eps 1e-6; no lr)        msg = rho msg + (1-rho) g^2;  u = g sqrt(msdx + eps) / sqrt(msg +
//   eps);
//                                                 msdx = rho msdx + (1-rho) u^2
//   RmsProp    (lr 0.1, decay 0.95, eps 1e-8)     s = decay s + (1-decay) g^2;  u = lr g / (sqrt s + eps)
//   NoOp                                          u = 0
// (Adam/AdaMax/AMSGrad: when the bias-corrected rate is NaN or 0 it is replaced by eps, as DL4J.)
#include <functional>
#include <memory>

#include "nn/optim/optimizer.hpp"

namespace xgrad::nn {

struct SgdOptions {
  double learning_rate = 1e-3;
};
struct NesterovsOptions {
  double learning_rate = 0.1;
  double momentum = 0.9;
  /// DL4J's momentumSchedule: when set, mu = its value at the step's iteration/epoch instead of `momentum`.
  std::shared_ptr<const Schedule> momentum_schedule;
};
struct AdamOptions {
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};
struct AdaGradOptions {
  double learning_rate = 0.1;
  double epsilon = 1e-6;
};
struct AdaDeltaOptions {
  double rho = 0.95;
  double epsilon = 1e-6;
};
struct RmsPropOptions {
  double learning_rate = 0.1;
  double rms_decay = 0.95;
  double epsilon = 1e-8;
};

class Sgd : public Optimizer {
 public:
  explicit Sgd(std::vector<NamedParameter> params, SgdOptions options = {});
  std::string type_name() const override { return "Sgd"; }

 protected:
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;
};

class Nesterovs : public Optimizer {
 public:
  explicit Nesterovs(std::vector<NamedParameter> params, NesterovsOptions options = {});
  std::string type_name() const override { return "Nesterovs"; }
  const NesterovsOptions& options() const { return options_; }

 protected:
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;

 private:
  NesterovsOptions options_;
};

/// Adam, AdaMax, Nadam and AMSGrad share AdamOptions.
class Adam : public Optimizer {
 public:
  explicit Adam(std::vector<NamedParameter> params, AdamOptions options = {});
  std::string type_name() const override { return "Adam"; }
  const AdamOptions& options() const { return options_; }

 protected:
  Adam(std::vector<NamedParameter> params, AdamOptions options, std::vector<std::string> slots);
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;
  AdamOptions options_;
};

class AdaMax : public Adam {
 public:
  explicit AdaMax(std::vector<NamedParameter> params, AdamOptions options = {});
  std::string type_name() const override { return "AdaMax"; }

 protected:
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;
};

class Nadam : public Adam {
 public:
  explicit Nadam(std::vector<NamedParameter> params, AdamOptions options = {});
  std::string type_name() const override { return "Nadam"; }

 protected:
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;
};

class AMSGrad : public Adam {
 public:
  explicit AMSGrad(std::vector<NamedParameter> params, AdamOptions options = {});
  std::string type_name() const override { return "AMSGrad"; }

 protected:
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;
};

class AdaGrad : public Optimizer {
 public:
  explicit AdaGrad(std::vector<NamedParameter> params, AdaGradOptions options = {});
  std::string type_name() const override { return "AdaGrad"; }

 protected:
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;

 private:
  AdaGradOptions options_;
};

class AdaDelta : public Optimizer {
 public:
  explicit AdaDelta(std::vector<NamedParameter> params, AdaDeltaOptions options = {});
  std::string type_name() const override { return "AdaDelta"; }
  bool has_learning_rate() const override { return false; }

 protected:
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;

 private:
  AdaDeltaOptions options_;
};

class RmsProp : public Optimizer {
 public:
  explicit RmsProp(std::vector<NamedParameter> params, RmsPropOptions options = {});
  std::string type_name() const override { return "RmsProp"; }

 protected:
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;

 private:
  RmsPropOptions options_;
};

class NoOp : public Optimizer {
 public:
  explicit NoOp(std::vector<NamedParameter> params);
  std::string type_name() const override { return "NoOp"; }
  bool has_learning_rate() const override { return false; }

 protected:
  nlohmann::json hyperparameters() const override;
  void update(Tensor& value, const Tensor& grad, const std::vector<Tensor*>& slots, const StepContext& c) override;
};

/// Builds an optimizer from config() JSON or a short form: {"type": "adam"} (case-insensitive type; missing
/// hyperparameters take DL4J's defaults; optional "learning_rate", "schedule", "gradient_normalization",
/// "weight_decay"). A plain string "adam" also works. Throws InvalidArgument naming an unknown type (listing the
/// known ones) or a bad field.
std::unique_ptr<Optimizer> optimizer_from_config(const nlohmann::json& config, std::vector<NamedParameter> params);

using OptimizerFactory =
    std::function<std::unique_ptr<Optimizer>(const nlohmann::json& config, std::vector<NamedParameter> params)>;
/// Registers a user optimizer type for optimizer_from_config (the factory reads its own hyperparameters;
/// the common fields are applied afterwards).
void register_optimizer_type(const std::string& type, OptimizerFactory factory);
std::vector<std::string> registered_optimizer_types();

}  // namespace xgrad::nn
