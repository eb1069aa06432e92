#pragma once
// Loss functions with Deeplearning4j's names and per-example scores (ILossFunction.computeScoreArray).
// labels and preoutput are [N, K]; the output is out = activation(preoutput). Per-example score s_n:
//   MSE                  (1/K) sum_k (y - out)^2            L2   sum_k (y - out)^2
//   L1                   sum_k |y - out|                    MEAN_ABSOLUTE_ERROR  (1/K) sum_k |y - out|
//   XENT                 -sum_k [y log p + (1-y) log(1-p)], p = out; with sigmoid computed from logits as
//                        sum_k [softplus(z) - y z] (stable for any z); else p clipped to [1e-5, 1-1e-5] (DL4J)
//   MCXENT, NEGATIVELOGLIKELIHOOD  -sum_k y log p; with softmax fused as -sum_k y log_softmax(z); else
//                        p clipped to [1e-10, 1] (DL4J's softmaxClipEps)
//   KL_DIVERGENCE        sum_k y (log y - log p), 0 log 0 = 0; with softmax through log_softmax, else p clipped
//                        to [1e-10, 1]
//   HINGE                sum_k max(0, 1 - y out)            (labels -1/+1)
//   SQUARED_HINGE        sum_k max(0, 1 - y out)^2
//   COSINE_PROXIMITY     -(y . out) / (max(|y|, 1e-12) max(|out|, 1e-12))
//   POISSON              sum_k (out - y log out)            (out > 0: use softplus/sigmoid/relu-like outputs)
//   MEAN_ABSOLUTE_PERCENTAGE_ERROR  (100/K) sum_k |(y - out) / y|
//   MEAN_SQUARED_LOGARITHMIC_ERROR  (1/K) sum_k (log(out + 1) - log(y + 1))^2
// Labels of another dtype are converted to preoutput's dtype; labels get no gradient.
#include <string>
#include <vector>

#include "autograd/activation.hpp"
#include "autograd/variable.hpp"

namespace xgrad::nn {

enum class Loss {
  MSE,
  L1,
  L2,
  XENT,
  MCXENT,
  NEGATIVELOGLIKELIHOOD,
  KL_DIVERGENCE,
  HINGE,
  SQUARED_HINGE,
  COSINE_PROXIMITY,
  POISSON,
  MEAN_ABSOLUTE_PERCENTAGE_ERROR,
  MEAN_SQUARED_LOGARITHMIC_ERROR,
  MEAN_ABSOLUTE_ERROR
};

/// DL4J names, case-insensitive; aliases SQUARED_LOSS (= MSE), MAE (= MEAN_ABSOLUTE_ERROR), MAPE, MSLE, NLL,
/// BINARY_XENT / BCE (= XENT), KLD. Throws InvalidArgument listing the known names.
Loss loss_from_name(const std::string& name);
/// The DL4J name in upper case ("MCXENT").
std::string loss_name(Loss loss);
const std::vector<std::string>& loss_names();
/// The usual output activation: softmax for MCXENT/NLL/KL_DIVERGENCE, sigmoid for XENT, softplus for POISSON,
/// identity otherwise.
Activation natural_activation(Loss loss);

/// Per-example scores, shape [N]. Throws ShapeError naming the loss and both shapes unless labels and
/// preoutput have the same 2-D shape.
Variable loss_per_example(Loss loss, const Variable& labels, const Variable& preoutput, const Activation& activation);
/// Mean over examples of loss_per_example (a scalar).
Variable loss_mean(Loss loss, const Variable& labels, const Variable& preoutput, const Activation& activation);

}  // namespace xgrad::nn
