#pragma once
// Activation functions as differentiable ops (elementwise unless noted), DL4J's full set plus
// log_sigmoid, log_softmax and logsumexp. Formulas follow DL4J's Activation* classes.
#include "autograd/random.hpp"
#include "autograd/variable.hpp"

namespace xgrad {

Variable identity(const Variable& x);                         // x (recorded, so it has a gradient check)
Variable sigmoid(const Variable& x);                          // 1 / (1 + e^-x), stable for any x
Variable tanh(const Variable& x);                             // tanh x
Variable relu(const Variable& x);                             // max(x, 0)
Variable relu6(const Variable& x);                            // min(max(x, 0), 6)
Variable leaky_relu(const Variable& x, double alpha = 0.01);  // x > 0 ? x : alpha x
/// Randomized leaky ReLU: training: slope a ~ U(lower, upper) per element (drawn from gen);
/// inference: slope (lower + upper) / 2. DL4J defaults lower = 1/8, upper = 1/3.
Variable rrelu(const Variable& x, bool training, Generator& gen, double lower = 1.0 / 8, double upper = 1.0 / 3);
Variable elu(const Variable& x, double alpha = 1.0);          // x > 0 ? x : alpha (e^x - 1)
Variable selu(const Variable& x);                             // lambda (x > 0 ? x : alpha (e^x - 1)), lambda 1.0507009873554805, alpha 1.6732632423543772
Variable gelu(const Variable& x);                             // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (DL4J's default approximation)
Variable swish(const Variable& x);                            // x sigmoid(x)
Variable mish(const Variable& x);                             // x tanh(softplus(x))
Variable softplus(const Variable& x);                         // log(1 + e^x), stable
Variable softsign(const Variable& x);                         // x / (1 + |x|)
Variable hard_sigmoid(const Variable& x);                     // min(max(0.2 x + 0.5, 0), 1)
Variable hard_tanh(const Variable& x);                        // min(max(x, -1), 1)
Variable cube(const Variable& x);                             // x^3
Variable rational_tanh(const Variable& x);                    // 1.7159 * tanh_approx(2x/3), tanh_approx(y) = sgn(y)(1 - 1/(1 + |y| + y^2 + 1.41645 y^4))
Variable rectified_tanh(const Variable& x);                   // max(0, tanh x)
Variable thresholded_relu(const Variable& x, double theta = 1.0);  // x > theta ? x : 0
Variable log_sigmoid(const Variable& x);                      // -softplus(-x), stable
/// Along `axis` (default last): e^x_i / sum_j e^x_j, max-shifted.
Variable softmax(const Variable& x, int axis = -1);
Variable log_softmax(const Variable& x, int axis = -1);
/// log sum_i e^x_i along `axis`, max-shifted, accumulated in double.
Variable logsumexp(const Variable& x, int axis = -1, bool keepdims = false);

}  // namespace xgrad
