#include "nn/layers/autoencoder.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/reductions.hpp"
#include "nn/config_fields.hpp"
#include "nn/layers/activation_json.hpp"

namespace xgrad::nn {

void AutoEncoderOptions::validate(const std::string& where) const {
  if (n_in < 1 || n_out < 1)
    throw InvalidArgument(where + ": n_in and n_out must be >= 1, got n_in = " + std::to_string(n_in) +
                          ", n_out = " + std::to_string(n_out));
  if (!(corruption_level >= 0 && corruption_level < 1))
    throw InvalidArgument(where + ": corruption_level (the probability of zeroing an input) must be in [0, 1), got " +
                          std::to_string(corruption_level));
  if (!(sparsity >= 0 && sparsity < 1))
    throw InvalidArgument(where + ": sparsity (the target mean activation rho) must be in [0, 1), got " +
                          std::to_string(sparsity));
  if (sparsity > 0 && !activation.unit_interval())
    throw InvalidArgument(where + ": sparsity > 0 needs an activation with range (0,1) (sigmoid, hardsigmoid), got " +
                          activation.name());
  if (!(sparsity_beta >= 0) || !std::isfinite(sparsity_beta))
    throw InvalidArgument(where + ": sparsity_beta must be finite and >= 0, got " + std::to_string(sparsity_beta));
  reg.validate(where);
}

void AutoEncoderOptions::write(nlohmann::json& j) const {
  j["n_in"] = n_in;
  j["n_out"] = n_out;
  j["activation"] = activation_to_json(activation);
  j["loss"] = loss_name(loss);
  j["corruption_level"] = corruption_level;
  j["sparsity"] = sparsity;
  j["sparsity_beta"] = sparsity_beta;
  j["weight_init"] = weight_init.to_json();
  j.update(reg.to_json());  // l1, l2, l1_bias, l2_bias
  j["seed"] = seed;
}

AutoEncoderOptions AutoEncoderOptions::read(const nlohmann::json& j) {
  auto need = [&](const char* key) -> const nlohmann::json& {
    if (!j.contains(key))
      throw InvalidArgument(std::string("AutoEncoder config: missing \"") + key + "\" in " + j.dump());
    return j[key];
  };
  AutoEncoderOptions o;
  o.n_in = size_from_json(need("n_in"), "AutoEncoder config: \"n_in\"");
  o.n_out = size_from_json(need("n_out"), "AutoEncoder config: \"n_out\"");
  if (j.contains("activation")) o.activation = activation_from_json(j["activation"]);
  if (j.contains("loss")) o.loss = loss_from_name(j["loss"].get<std::string>());
  o.corruption_level = j.value("corruption_level", 0.3);
  o.sparsity = j.value("sparsity", 0.0);
  o.sparsity_beta = j.value("sparsity_beta", 1.0);
  if (j.contains("weight_init")) o.weight_init = WeightInitConfig::from_json(j["weight_init"]);
  o.reg = Regularization::from_json(j);
  o.seed = j.value("seed", std::uint64_t{0});
  return o;
}

AutoEncoder::AutoEncoder(AutoEncoderOptions options) : options_(std::move(options)) {
  options_.validate("AutoEncoder");
  seed(options_.seed);
  const DType dt = options_.dtype;
  W_ = register_parameter("W", initialize_weights(options_.weight_init, options_.n_in, options_.n_out,
                                                  Shape{options_.n_in, options_.n_out}, rng(), dt));
  b_ = register_parameter("b", Tensor::zeros(Shape{options_.n_out}, dt));
  vb_ = register_parameter("vb", Tensor::zeros(Shape{options_.n_in}, dt));
}

void AutoEncoder::check_x(const char* where, const Variable& x) const {
  if (x.dim() != 2 || x.shape()[1] != options_.n_in)
    throw ShapeError("AutoEncoder(n_in=" + std::to_string(options_.n_in) + ", n_out=" + std::to_string(options_.n_out) +
                     ")::" + where + ": input " + shape_string(x.shape()) + " must be [N, " +
                     std::to_string(options_.n_in) + "]");
  if (x.dtype() != W_.dtype())
    throw InvalidArgument(std::string("AutoEncoder::") + where + ": input is " + dtype_name(x.dtype()) +
                          " but the layer is " + dtype_name(W_.dtype()));
}

Tensor AutoEncoder::corrupt(const Tensor& x) {
  if (options_.corruption_level == 0) return x;
  const Tensor mask = rng().bernoulli(x.shape(), 1.0 - options_.corruption_level, x.dtype());
  Tensor out = x.clone();
  out.visit([&](auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    a *= mask.array<T>();
  });
  return out;
}

Variable AutoEncoder::encode(const Variable& x) {
  check_x("encode", x);
  return dense(x, W_, b_, options_.activation, is_training(), &rng());
}

Variable AutoEncoder::forward(const Variable& x) {
  return encode(x);
}

Variable AutoEncoder::decode_preoutput(const Variable& y) {
  return matmul(y, W_, false, true) + vb_;
}

Variable AutoEncoder::reconstruct(const Variable& x) {
  return options_.activation.apply(decode_preoutput(encode(x)), is_training(), &rng());
}

Variable AutoEncoder::sparsity_penalty(const Variable& y) const {
  const double rho = options_.sparsity;
  if (rho == 0) return constant(0.0, y.dtype());
  const Variable rho_hat = clamp(mean(y, 0), 1e-6, 1 - 1e-6);
  const Variable kl = rho * log(rho / rho_hat) + (1 - rho) * log((1 - rho) / (1.0 - rho_hat));
  return options_.sparsity_beta * sum(kl);
}

Variable AutoEncoder::score(const Variable& clean, const Variable& corrupted) {
  check_x("score", clean);
  const Variable y = encode(corrupted);
  Variable s = loss_mean(options_.loss, clean, decode_preoutput(y), options_.activation);
  return options_.sparsity > 0 ? s + sparsity_penalty(y) : s;
}

Variable AutoEncoder::pretrain_loss(const Variable& x) {
  check_x("pretrain_loss", x);
  const Variable input = is_training() && options_.corruption_level > 0 ? constant(corrupt(x.value())) : x;
  const Variable s = score(x, input);
  return options_.reg.any() ? s + regularization() : s;
}

Variable AutoEncoder::regularization() const {
  return regularization_penalty(options_.reg, {W_}, {b_, vb_});
}

nlohmann::json AutoEncoder::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("AutoEncoder", [](const nlohmann::json& j) {
    return std::make_shared<AutoEncoder>(AutoEncoderOptions::read(j));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
