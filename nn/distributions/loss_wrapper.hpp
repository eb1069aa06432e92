#pragma once
// LossFunctionWrapper (DL4J's): a deterministic "reconstruction distribution" made of an output activation
// and a loss function, for VAEs trained on e.g. MSE instead of a likelihood (VariationalAutoencoder's
// lossFunction(activation, loss) option). Not a normalised density:
//   log_prob(x, raw) = -loss_per_example(loss, x, raw, activation)   [N]   (nn/layers/losses.hpp)
// mean = sample = activation(raw); raw [N,D]; has_loss_function() is true.
#include "nn/distributions/reconstruction_distribution.hpp"
#include "nn/layers/losses.hpp"

namespace xgrad::nn {

class LossFunctionWrapper : public ReconstructionDistribution {
 public:
  LossFunctionWrapper(Activation activation, Loss loss) : activation_(activation), loss_(loss) {}
  const Activation& activation() const { return activation_; }
  Loss loss() const { return loss_; }

  std::string name() const override { return "loss_function"; }
  std::string describe() const override {
    return "loss_function(" + activation_.name() + ", " + loss_name(loss_) + ")";
  }
  std::size_t input_size(std::size_t data_size) const override { return data_size; }
  Variable log_prob(const Variable& x, const Variable& raw) const override;
  Tensor mean(const Tensor& raw) const override { return apply_activation(activation_, raw); }
  Tensor sample(const Tensor& raw, Generator&) const override { return mean(raw); }
  bool has_loss_function() const override { return true; }
  nlohmann::json config() const override;

 private:
  Activation activation_;
  Loss loss_;
};

}  // namespace xgrad::nn
