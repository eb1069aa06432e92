#pragma once
// Gradient check by central differences in float64:
//   numeric_i = (L(x + h e_i) - L(x - h e_i)) / 2h,   L(x) = sum(w ⊙ f(x)),
// with w a fixed random projection of f's output (so every output element is checked), compared to
// the analytic gradient from backward(w). An element passes when |a - n| <= atol or
// |a - n| / max(|a|, |n|) <= rtol. f must be deterministic: reseed any randomness inside f
// (common random numbers).
#include <functional>
#include <string>
#include <vector>

#include "autograd/variable.hpp"

namespace xgrad {

struct GradcheckOptions {
  double eps = 1e-6;   // step h
  double rtol = 1e-3;  // max relative error (DL4J's threshold)
  double atol = 1e-8;  // absolute errors below this always pass
  std::uint64_t seed = 12345;  // seed of the projection w
  /// Check at most this many elements per input (evenly spaced); 0 = all.
  std::size_t max_elements_per_input = 0;
};

struct GradcheckResult {
  bool ok = true;
  std::size_t checked = 0;     // elements compared
  std::size_t input = 0;       // worst element: which input,
  std::size_t flat_index = 0;  // its flat index,
  Shape index;                 // its multi-index,
  double analytic = 0, numeric = 0, abs_error = 0, rel_error = 0;
  /// One line: "gradcheck passed/FAILED: worst input 1 [2,0]: analytic ..., numeric ..., rel ..."
  std::string message;
};

using GradcheckFunction = std::function<Variable(const std::vector<Variable>&)>;

/// Inputs are converted to float64 leaves that require gradients.
GradcheckResult gradcheck(const GradcheckFunction& f, const std::vector<Tensor>& inputs, GradcheckOptions options = {});

}  // namespace xgrad
