#pragma once
// Normalizing flows on the latent z [M, J]: an invertible map z' = f(z) with its log-Jacobian determinant,
// composed after a base posterior (FlowPosterior). By the change of variables, for z_K = f_K o ... o f_1(z_0)
//   log q(z_K) = log q_0(z_0) - sum_k log|det df_k/dz_(k-1)|.
// A flow is a Module (its learnable parameters train with the model). Extension point: derive, implement
// forward from existing ops, and check it with check_flow_conformance (flow_conformance.hpp).
#include <string>

#include <nlohmann/json.hpp>

#include "autograd/variable.hpp"
#include "nn/module.hpp"

namespace xgrad::nn {

/// One step's output: z' [M, J] and log|det dz'/dz| per row [M].
struct FlowStep {
  Variable z;
  Variable log_det;
};

class Flow : public Module {
 public:
  /// Registry-style name ("planar").
  virtual std::string name() const = 0;
  /// J.
  virtual std::size_t dim() const = 0;
  /// z [M, J] -> z' [M, J] with log|det dz'/dz| [M]; differentiable in z and the parameters.
  virtual FlowStep forward(const Variable& z) = 0;
  /// Width C of the per-row context an amortised flow is conditioned on (e.g. the encoder's heads); 0 = global.
  virtual std::size_t context_width() const { return 0; }
  /// The step given z [M, J] and its rows' context [M, C] (differentiable in it too; it is not transformed,
  /// so log|det| is still that of dz'/dz). A global flow ignores the context: forward(z).
  virtual FlowStep forward_with_context(const Variable& z, const Variable& /*context*/) { return forward(z); }
};

}  // namespace xgrad::nn
