#pragma once
// mlp({784, 256, 10}, relu): a Sequential of Dense layers 784->256->10. Hidden layers use `activation`;
// the last layer uses `output_activation` (default: natural_activation(loss) when a loss is given, else
// identity). With a loss, the last layer is an OutputLayer (the supervised head); otherwise a Dense.
// Layer i is seeded with seed + i.
#include <optional>
#include <vector>

#include "nn/layers/init.hpp"
#include "nn/layers/losses.hpp"
#include "nn/layers/sequential.hpp"
#include "nn/optim/regularization.hpp"

namespace xgrad::nn {

struct MlpOptions {
  Activation activation{ActivationKind::relu};
  std::optional<Activation> output_activation;
  std::optional<Loss> loss;
  WeightInitConfig weight_init{};
  double bias_init = 0;
  Regularization reg{};
  double dropout = 0;  // retain probability (DL4J), applied to the input of every layer after the first
  std::uint64_t seed = 0;
  DType dtype = DType::float32;
};

/// sizes has at least 2 entries, all >= 1 (InvalidArgument otherwise).
std::shared_ptr<Sequential> mlp(const std::vector<std::size_t>& sizes, MlpOptions options = {});
std::shared_ptr<Sequential> mlp(const std::vector<std::size_t>& sizes, const Activation& activation,
                                MlpOptions options = {});

}  // namespace xgrad::nn
