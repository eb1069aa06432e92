#include "nn/layers/losses.hpp"

#include <cctype>
#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"
#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"

namespace xgrad::nn {

const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names{"MSE",
                                              "L1",
                                              "L2",
                                              "XENT",
                                              "MCXENT",
                                              "NEGATIVELOGLIKELIHOOD",
                                              "KL_DIVERGENCE",
                                              "HINGE",
                                              "SQUARED_HINGE",
                                              "COSINE_PROXIMITY",
                                              "POISSON",
                                              "MEAN_ABSOLUTE_PERCENTAGE_ERROR",
                                              "MEAN_SQUARED_LOGARITHMIC_ERROR",
                                              "MEAN_ABSOLUTE_ERROR"};
  return names;
}

Loss loss_from_name(const std::string& name) {
  std::string u = name;
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto& names = loss_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == u) return static_cast<Loss>(i);
  const std::pair<const char*, Loss> aliases[] = {{"SQUARED_LOSS", Loss::MSE},
                                                  {"MAE", Loss::MEAN_ABSOLUTE_ERROR},
                                                  {"MAPE", Loss::MEAN_ABSOLUTE_PERCENTAGE_ERROR},
                                                  {"MSLE", Loss::MEAN_SQUARED_LOGARITHMIC_ERROR},
                                                  {"NLL", Loss::NEGATIVELOGLIKELIHOOD},
                                                  {"BINARY_XENT", Loss::XENT},
                                                  {"BCE", Loss::XENT},
                                                  {"KLD", Loss::KL_DIVERGENCE}};
  for (const auto& [alias, loss] : aliases)
    if (u == alias) return loss;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw InvalidArgument("loss_from_name: unknown loss function '" + name + "' (known: " + known +
                        "; aliases SQUARED_LOSS, MAE, MAPE, MSLE, NLL, BINARY_XENT, BCE, KLD)");
}

std::string loss_name(Loss loss) {
  return loss_names().at(static_cast<std::size_t>(loss));
}

Activation natural_activation(Loss loss) {
  switch (loss) {
    case Loss::MCXENT:
    case Loss::NEGATIVELOGLIKELIHOOD:
    case Loss::KL_DIVERGENCE:
      return Activation{ActivationKind::softmax};
    case Loss::XENT:
      return Activation{ActivationKind::sigmoid};
    case Loss::POISSON:
      return Activation{ActivationKind::softplus};
    default:
      return Activation{ActivationKind::identity};
  }
}

namespace {
// y log y elementwise with 0 log 0 = 0 (a constant: labels get no gradient)
Tensor y_log_y(const Tensor& y) {
  return kernels::map(y, [](auto&& a) {
    using T = kernels::value_of<decltype(a)>;
    return xt::where(a > T(0), a * xt::log(xt::where(a > T(0), a, T(1))), T(0));
  });
}
}  // namespace

Variable loss_per_example(Loss loss, const Variable& labels, const Variable& preoutput, const Activation& activation) {
  const std::string where = "loss_per_example(" + loss_name(loss) + ")";
  if (preoutput.dim() != 2 || labels.shape() != preoutput.shape())
    throw ShapeError(where + ": labels " + shape_string(labels.shape()) + " and preoutput " +
                     shape_string(preoutput.shape()) + " must have the same shape [N, K]");
  const Variable& z = preoutput;
  const Variable y = labels.dtype() == z.dtype() ? labels : constant(labels.value().to(z.dtype()));
  const double inv_k = 1.0 / static_cast<double>(z.shape()[1]);
  auto out = [&] { return activation.apply(z); };
  const bool is_sigmoid = activation.kind == ActivationKind::sigmoid;
  const bool is_softmax = activation.kind == ActivationKind::softmax;
  auto row_sum = [](const Variable& v) { return sum(v, 1); };
  auto zero = [&] { return scalar_like(z, 0.0); };
  switch (loss) {
    case Loss::MSE:
      return row_sum(square(y - out())) * inv_k;
    case Loss::L2:
      return row_sum(square(y - out()));
    case Loss::L1:
      return row_sum(abs(y - out()));
    case Loss::MEAN_ABSOLUTE_ERROR:
      return row_sum(abs(y - out())) * inv_k;
    case Loss::XENT: {
      if (is_sigmoid) return row_sum(softplus(z) - y * z);  // -[y log s(z) + (1-y) log s(-z)]
      const Variable p = clamp(out(), 1e-5, 1.0 - 1e-5);
      return -row_sum(y * log(p) + (1.0 - y) * log(1.0 - p));
    }
    case Loss::MCXENT:
    case Loss::NEGATIVELOGLIKELIHOOD: {
      const Variable logp = is_softmax ? log_softmax(z, 1) : log(clamp(out(), 1e-10, 1.0));
      return -row_sum(y * logp);
    }
    case Loss::KL_DIVERGENCE: {
      const Variable logp = is_softmax ? log_softmax(z, 1) : log(clamp(out(), 1e-10, 1.0));
      return row_sum(constant(y_log_y(y.value())) - y * logp);
    }
    case Loss::HINGE:
      return row_sum(maximum(1.0 - y * out(), zero()));
    case Loss::SQUARED_HINGE:
      return row_sum(square(maximum(1.0 - y * out(), zero())));
    case Loss::COSINE_PROXIMITY: {
      const Variable o = out();
      const Variable dot = row_sum(y * o);
      const Variable ny = sqrt(maximum(row_sum(square(y)), scalar_like(z, 1e-24)));
      const Variable no = sqrt(maximum(row_sum(square(o)), scalar_like(z, 1e-24)));
      return -(dot / (ny * no));
    }
    case Loss::POISSON: {
      const Variable o = out();
      return row_sum(o - y * log(o));
    }
    case Loss::MEAN_ABSOLUTE_PERCENTAGE_ERROR:
      return row_sum(abs((y - out()) / y)) * (100.0 * inv_k);
    case Loss::MEAN_SQUARED_LOGARITHMIC_ERROR:
      return row_sum(square(log1p(out()) - log1p(y))) * inv_k;
  }
  throw InvalidArgument(where + ": invalid loss");
}

Variable loss_mean(Loss loss, const Variable& labels, const Variable& preoutput, const Activation& activation) {
  return mean(loss_per_example(loss, labels, preoutput, activation));
}

}  // namespace xgrad::nn
