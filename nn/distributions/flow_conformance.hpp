#pragma once
// Conformance checker for normalizing flows (flow.hpp), built-in or a user's own; the flow must be float64
// (Module::to). At `rows` points z ~ N(0, I) (and, for an amortised flow, fixed contexts ~ N(0, I)):
//   shapes     forward: z [M,J] -> z' [M,J], log_det [M]
//   jacobian   log_det equals log|det| of the numerical Jacobian dz'/dz (central differences, step h, the
//              determinant by LU with partial pivoting) within `jacobian_tolerance`
//   gradient   float64 gradcheck of (z', log_det) in z (and the context) and in every parameter of the flow
#include <cstdint>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "nn/distributions/conformance.hpp"
#include "nn/distributions/flow.hpp"

namespace xgrad::nn {

struct FlowConformanceOptions {
  std::size_t rows = 4;
  double step = 1e-5;                // h of the numerical Jacobian
  double jacobian_tolerance = 1e-6;  // |log_det - log|det J_numeric||
  std::uint64_t seed = 20240603;
  GradcheckOptions gradcheck{1e-6, 1e-5, 1e-8, 12345, 0};
};

ConformanceReport check_flow_conformance(Flow& flow, const FlowConformanceOptions& options = {});

/// log|det A| of a row-major n x n matrix by LU with partial pivoting (-inf when singular).
double log_abs_determinant(std::vector<double> a, std::size_t n);

}  // namespace xgrad::nn
