#include "nn/optim/regularization.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "nn/optim/norms.hpp"

namespace xgrad::nn {

namespace {
const Op l1_l2_penalty_op =
    define_op("l1_l2_penalty", 1, "l1 * sum|x| + 0.5 * l2 * sum x^2 (gradient l1 sign(x) + l2 x)");
}

nlohmann::json Regularization::to_json() const {
  return {{"l1", l1}, {"l2", l2}, {"l1_bias", l1_bias}, {"l2_bias", l2_bias}};
}

Regularization Regularization::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw InvalidArgument("Regularization::from_json: expected an object, got " + j.dump());
  Regularization r;
  r.l1 = j.value("l1", 0.0);
  r.l2 = j.value("l2", 0.0);
  r.l1_bias = j.value("l1_bias", 0.0);
  r.l2_bias = j.value("l2_bias", 0.0);
  r.validate("Regularization::from_json");
  return r;
}

void Regularization::validate(const std::string& where) const {
  const std::pair<const char*, double> coeffs[] = {{"l1", l1}, {"l2", l2}, {"l1_bias", l1_bias}, {"l2_bias", l2_bias}};
  for (const auto& [name, v] : coeffs)
    if (!(v >= 0) || !std::isfinite(v))
      throw InvalidArgument(where + ": regularization coefficient " + name + " must be finite and >= 0, got " +
                            std::to_string(v));
}

bool Regularization::operator==(const Regularization& o) const {
  return l1 == o.l1 && l2 == o.l2 && l1_bias == o.l1_bias && l2_bias == o.l2_bias;
}

Variable l1_l2_penalty(const Variable& x, double l1, double l2) {
  if (l1 == 0 && l2 == 0) return constant(0.0, x.dtype());
  const Tensor& v = x.value();
  double value = 0;
  if (l1 != 0) value += l1 * l1_norm(v);
  if (l2 != 0) value += 0.5 * l2 * squared_l2_norm(v);
  return l1_l2_penalty_op.record({x}, Tensor::scalar(value, x.dtype()), [l1, l2](const Tensor& g, GradientSink& s) {
    const double scale = g.item();
    s.add(0, kernels::map(s.input_value(0), [&](auto&& w) {
            // scalars enter as prvalues (held by value); w is the caller's live span
            using T = kernels::value_of<decltype(w)>;
            return T(l1 * scale) * xt::sign(w) + T(l2 * scale) * w;
          }));
  });
}

Variable regularization_penalty(const Regularization& reg, const std::vector<Variable>& weights,
                                const std::vector<Variable>& biases) {
  const DType dtype =
      !weights.empty() ? weights.front().dtype() : (!biases.empty() ? biases.front().dtype() : DType::float32);
  Variable total;
  auto add_term = [&](const Variable& term) { total = total.defined() ? add(total, term) : term; };
  if (reg.l1 != 0 || reg.l2 != 0)
    for (const auto& w : weights) add_term(l1_l2_penalty(w, reg.l1, reg.l2));
  if (reg.l1_bias != 0 || reg.l2_bias != 0)
    for (const auto& b : biases) add_term(l1_l2_penalty(b, reg.l1_bias, reg.l2_bias));
  return total.defined() ? total : constant(0.0, dtype);
}

}  // namespace xgrad::nn
