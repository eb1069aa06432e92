#pragma once
// PlanarFlow (Rezende & Mohamed 2015, eq. 10-12; appendix A.1 for invertibility), parameters u, w [J] and
// b [1] (global, not amortised):
//   f(z) = z + u^ tanh(w.z + b),   u^ = u + (m(w.u) - w.u) w / |w|^2,   m(a) = -1 + softplus(a)
//   log|det df/dz| = log(1 + (1 - tanh^2(w.z + b)) w.u^)
// u^ keeps w.u^ > -1, so f is invertible and the determinant positive. Initialisation: u, w ~ N(0, s^2)
// (s = init_scale, 0.1 by default), b = 0.
#include "autograd/random.hpp"
#include "nn/distributions/flow.hpp"

namespace xgrad::nn {

class PlanarFlow : public Flow {
 public:
  /// Throws InvalidArgument unless dim >= 1 and init_scale is finite and > 0.
  PlanarFlow(std::size_t dim, Generator& gen, DType dtype = DType::float32, double init_scale = 0.1);
  std::string type_name() const override { return "PlanarFlow"; }
  std::string name() const override { return "planar"; }
  std::size_t dim() const override { return dim_; }
  FlowStep forward(const Variable& z) override;

 private:
  std::size_t dim_;
  Variable u_, w_, b_;
};

}  // namespace xgrad::nn
