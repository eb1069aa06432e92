#pragma once
// IafFlow: one inverse autoregressive flow step (Kingma et al. 2016, eq. 10-15) with a MADE network
// (Germain et al. 2015) of one hidden layer of width H; amortised with a context c [M, C] (the paper's h; in a
// FlowPosterior with "context": "heads" the encoder's [mu, log sigma^2], C = 2J), or global when C = 0:
//   a = tanh(z (W1 . M1) + c Wc + b1)                 [M, H]   (no c Wc when C = 0)
//   m = a (Wm . M2) + bm,  s = a (Ws . M2) + bs        [M, J]   (m_i, s_i depend on z_<i only)
//   sigma = sigmoid(s),    z' = sigma . z + (1 - sigma) . m
//   log|det dz'/dz| = sum_i log sigma_i = -sum_i softplus(-s_i)          (the Jacobian is triangular)
// MADE masks from degrees: input i has degree d(i) = i + 1 (or J - i when `reversed`, the variable order
// turned around), hidden unit k degree 1 + (k mod max(1, J - 1)); M1[i,k] = [d_k >= d(i)],
// M2[k,j] = [d(j) > d_k]; the context enters unmasked (it does not depend on z, so dz'/dz stays triangular).
// Parameters, in this order: "W1" [J,H], "b1" [H], "Wm" [H,J], "bm" [J], "Ws" [H,J], "bs" [J], then "Wc" [C,H]
// when C > 0; weights ~ N(0, s^2) (s = init_scale) but Wc = 0 (an amortised step starts as the global one),
// b1 = bm = 0, bs = sigma_bias (1 by default: sigma ~ 0.73, close to the identity map, as the paper advises).
#include "autograd/random.hpp"
#include "nn/distributions/flow.hpp"

namespace xgrad::nn {

class IafFlow : public Flow {
 public:
  /// Throws InvalidArgument unless dim, hidden >= 1, init_scale is finite and > 0 and sigma_bias finite.
  IafFlow(std::size_t dim, std::size_t hidden, bool reversed, Generator& gen, DType dtype = DType::float32,
          double init_scale = 0.1, double sigma_bias = 1.0, std::size_t context = 0);
  std::string type_name() const override { return "IafFlow"; }
  std::string name() const override { return "iaf"; }
  std::size_t dim() const override { return dim_; }
  std::size_t hidden() const { return hidden_; }
  bool reversed() const { return reversed_; }
  /// The global step; InvalidArgument for an amortised flow (C > 0), which needs forward_with_context.
  FlowStep forward(const Variable& z) override;
  std::size_t context_width() const override { return context_; }
  /// context [M, C] (C > 0; ShapeError naming both shapes otherwise).
  FlowStep forward_with_context(const Variable& z, const Variable& context) override;

 private:
  FlowStep step(const Variable& z, const Variable& context);
  std::size_t dim_, hidden_, context_;
  bool reversed_;
  Tensor mask1_, mask2_;  // [J,H], [H,J] of 0/1 in the parameters' dtype
  Variable w1_, b1_, wm_, bm_, ws_, bs_, wc_;
};

}  // namespace xgrad::nn
