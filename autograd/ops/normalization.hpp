#pragma once
// Batch and layer normalisation, float32 and float64; statistics accumulate in double.
//
// batch_norm: x [N,C,H,W] (per channel c, over N*H*W values) or [N,C] (per feature, over N values); gamma, beta [C]
//   (undefined: 1 and 0, not trained - DL4J's lockGammaBeta with its defaults); running_mean, running_var [C] tensors
//   of x's dtype, owned by the caller (a layer's state).
//   training: mu = batch mean, var = biased batch variance (1/M), both per channel over its M values;
//             y = gamma * (x - mu) / sqrt(var + eps) + beta, and the running statistics are updated in place,
//             with DL4J BatchNormalization's decay:
//               running_mean = decay * running_mean + (1 - decay) * mu
//               running_var  = decay * running_var  + (1 - decay) * var      (the same biased var)
//             Gradient through the batch statistics: with xhat = (x - mu)/sqrt(var + eps) and gh = g * gamma,
//               dx = (gh - mean(gh) - xhat * mean(gh * xhat)) / sqrt(var + eps),
//               dgamma = sum(g * xhat), dbeta = sum(g)   (means and sums per channel).
//   eval:     y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta; nothing is updated;
//             dx = g * gamma / sqrt(running_var + eps).
// layer_norm: x [..., D1..Dk], gamma and beta of shape [D1..Dk] (the trailing dims; undefined: 1 and
//   0), per
//   leading index over its D = D1*...*Dk values: y = gamma * (x - mu) / sqrt(var + eps) + beta, var biased (1/D);
//   gradients as batch_norm's training ones with the roles of rows and channels swapped.
// Errors: rank, gamma/beta/running shapes that do not fit, M or D of 0: ShapeError; eps <= 0, decay outside [0, 1],
//   dtype mismatch: InvalidArgument. Messages name the op, the argument and the shapes.
#include "autograd/variable.hpp"

namespace xgrad {

struct BatchNormOptions {
  bool training = true;  // batch statistics (and running-statistics update) or running statistics
  double decay = 0.9;    // DL4J's decay (its default 0.9); PyTorch's momentum = 1 - decay
  double eps = 1e-5;     // DL4J's default
};

Variable batch_norm(const Variable& x, const Variable& gamma, const Variable& beta, Tensor& running_mean,
                    Tensor& running_var, const BatchNormOptions& options = {});

Variable layer_norm(const Variable& x, const Variable& gamma, const Variable& beta, double eps = 1e-5);

}  // namespace xgrad
