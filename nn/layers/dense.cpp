#include "nn/layers/dense.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/linalg.hpp"
#include "nn/config_fields.hpp"
#include "nn/layers/activation_json.hpp"
#include "nn/layers/dropout.hpp"

namespace xgrad::nn {

void DenseOptions::validate(const std::string& where) const {
  if (n_in < 1 || n_out < 1)
    throw InvalidArgument(where + ": n_in and n_out must be >= 1, got n_in = " + std::to_string(n_in) +
                          ", n_out = " + std::to_string(n_out));
  if (!(dropout >= 0 && dropout <= 1))
    throw InvalidArgument(where + ": dropout (the retain probability, DL4J's dropOut) must be in [0, 1], got " +
                          std::to_string(dropout));
  if (!std::isfinite(bias_init)) throw InvalidArgument(where + ": bias_init must be finite");
  reg.validate(where);
}

void DenseOptions::write(nlohmann::json& j) const {
  j["n_in"] = n_in;
  j["n_out"] = n_out;
  j["activation"] = activation_to_json(activation);
  j["weight_init"] = weight_init.to_json();
  j["bias_init"] = bias_init;
  j.update(reg.to_json());
  j["dropout"] = dropout;
  j["seed"] = seed;
}

DenseOptions DenseOptions::read(const nlohmann::json& j) {
  auto need = [&](const char* key) -> const nlohmann::json& {
    if (!j.contains(key)) throw InvalidArgument(std::string("layer config: missing \"") + key + "\" in " + j.dump());
    return j[key];
  };
  DenseOptions o;
  o.n_in = size_from_json(need("n_in"), "Dense config: \"n_in\"");
  o.n_out = size_from_json(need("n_out"), "Dense config: \"n_out\"");
  if (j.contains("activation")) o.activation = activation_from_json(j["activation"]);
  if (j.contains("weight_init")) o.weight_init = WeightInitConfig::from_json(j["weight_init"]);
  o.bias_init = j.value("bias_init", 0.0);
  o.reg = Regularization::from_json(j);
  o.dropout = j.value("dropout", 0.0);
  o.seed = j.value("seed", std::uint64_t{0});
  return o;
}

Dense::Dense(DenseOptions options) : options_(std::move(options)) {
  options_.validate("Dense");
  seed(options_.seed);
  W_ = register_parameter("W", initialize_weights(options_.weight_init, options_.n_in, options_.n_out,
                                                  Shape{options_.n_in, options_.n_out}, rng(), options_.dtype));
  b_ = register_parameter("b", Tensor::full(Shape{options_.n_out}, options_.bias_init, options_.dtype));
}

void Dense::check_input(const char* where, const Variable& x) const {
  if (x.dim() != 2 || x.shape()[1] != options_.n_in)
    throw ShapeError(type_name() + "(n_in=" + std::to_string(options_.n_in) +
                     ", n_out=" + std::to_string(options_.n_out) + ")::" + where + ": input " +
                     shape_string(x.shape()) + " must be [N, " + std::to_string(options_.n_in) + "]");
  if (x.dtype() != W_.dtype())
    throw InvalidArgument(type_name() + "::" + where + ": input is " + dtype_name(x.dtype()) + " but the layer is " +
                          dtype_name(W_.dtype()) + " (convert one with Tensor::to / Module::to)");
}

Variable Dense::preoutput(const Variable& x) {
  check_input("preoutput", x);
  return dense(dropped(x), W_, b_);
}

Variable Dense::forward(const Variable& x) {
  check_input("forward", x);
  return xgrad::dense(dropped(x), W_, b_, options_.activation, is_training(), &rng());
}

Variable Dense::dropped(const Variable& x) {
  return dropout(x, options_.dropout, is_training(), rng());
}

Variable Dense::regularization() const {
  return regularization_penalty(options_.reg, {W_}, {b_});
}

nlohmann::json Dense::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("Dense", [](const nlohmann::json& j) { return std::make_shared<Dense>(DenseOptions::read(j)); });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
