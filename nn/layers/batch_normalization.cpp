#include "nn/layers/batch_normalization.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/normalization.hpp"
#include "nn/layers/activation_json.hpp"
#include "nn/layers/cnn_geometry.hpp"

namespace xgrad::nn {

void BatchNormalizationOptions::validate(const std::string &where) const {
  if ((input.size() != 1 && input.size() != 3) || input[0] == 0)
    throw InvalidArgument(
        where + ": input " + shape_braces(input) +
        " must be a per-example shape {C} or {C, H, W} with C >= 1");
  for (std::size_t d : input)
    if (d == 0)
      throw InvalidArgument(where + ": input " + shape_braces(input) +
                            " has a 0");
  if (!(decay >= 0 && decay <= 1))
    throw InvalidArgument(where + ": decay must be in [0, 1], got " +
                          std::to_string(decay));
  if (!(eps > 0) || !std::isfinite(eps))
    throw InvalidArgument(where + ": eps must be > 0, got " +
                          std::to_string(eps));
  if (!std::isfinite(gamma) || !std::isfinite(beta))
    throw InvalidArgument(where + ": gamma and beta must be finite");
  if (activation.kind == ActivationKind::softmax && input.size() == 3)
    throw InvalidArgument(
        where + ": activation softmax is not elementwise over an image");
}

void BatchNormalizationOptions::write(nlohmann::json &j) const {
  j["input"] = std::vector<std::size_t>(input.begin(), input.end());
  j["decay"] = decay;
  j["eps"] = eps;
  j["lock_gamma_beta"] = lock_gamma_beta;
  j["gamma"] = gamma;
  j["beta"] = beta;
  j["is_minibatch"] = is_minibatch;
  j["activation"] = activation_to_json(activation);
}

BatchNormalizationOptions
BatchNormalizationOptions::read(const nlohmann::json &j) {
  BatchNormalizationOptions o;
  const auto in = config_field(j, "input").get<std::vector<std::size_t>>();
  o.input = Shape(in.begin(), in.end());
  o.decay = j.value("decay", o.decay);
  o.eps = j.value("eps", o.eps);
  o.lock_gamma_beta = j.value("lock_gamma_beta", false);
  o.gamma = j.value("gamma", 1.0);
  o.beta = j.value("beta", 0.0);
  o.is_minibatch = j.value("is_minibatch", true);
  if (j.contains("activation"))
    o.activation = activation_from_json(j["activation"]);
  return o;
}

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : options_(std::move(options)) {
  options_.validate(type_name());
  const Shape c{options_.input[0]};
  const DType dt = options_.dtype;
  if (options_.lock_gamma_beta) {
    gamma_ = constant(Tensor::full(c, options_.gamma, dt));
    beta_ = constant(Tensor::full(c, options_.beta, dt));
  } else {
    gamma_ = register_parameter("gamma", Tensor::full(c, options_.gamma, dt));
    beta_ = register_parameter("beta", Tensor::full(c, options_.beta, dt));
  }
  mean_ = register_parameter("mean", Tensor::zeros(c, dt));
  var_ = register_parameter("var", Tensor::full(c, 1.0, dt));
  mean_.set_requires_grad(false);
  var_.set_requires_grad(false);
}

std::size_t BatchNormalization::n_in() const {
  std::size_t n = 1;
  for (std::size_t d : options_.input)
    n *= d;
  return n;
}

Variable BatchNormalization::forward(const Variable &x) {
  check_layer_input(type_name(), "forward", x, options_.input, mean_);
  BatchNormOptions o;
  o.training = is_training();
  o.decay = options_.is_minibatch ? options_.decay : 0.0;
  o.eps = options_.eps;
  // Locked gamma/beta are constants of the layer's dtype: rebuild them after
  // Module::to.
  if (options_.lock_gamma_beta && gamma_.dtype() != x.dtype()) {
    gamma_ = constant(gamma_.value().to(x.dtype()));
    beta_ = constant(beta_.value().to(x.dtype()));
  }
  Variable mean = mean_, var = var_;
  const Variable y = batch_norm(x, gamma_, beta_, mean.mutable_value(),
                                var.mutable_value(), o);
  return options_.activation.apply(y, is_training(), &rng());
}

nlohmann::json BatchNormalization::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("BatchNormalization", [](const nlohmann::json &j) {
    return std::make_shared<BatchNormalization>(
        BatchNormalizationOptions::read(j));
  });
  return true;
}();
} // namespace

} // namespace xgrad::nn
