#include "nn/layers/mlp.hpp"

#include "autograd/errors.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/output_layer.hpp"

namespace xgrad::nn {

std::shared_ptr<Sequential> mlp(const std::vector<std::size_t>& sizes, MlpOptions o) {
  if (sizes.size() < 2)
    throw InvalidArgument("mlp: need at least 2 sizes (input and output), got " + std::to_string(sizes.size()));
  for (std::size_t i = 0; i < sizes.size(); ++i)
    if (sizes[i] < 1) throw InvalidArgument("mlp: size " + std::to_string(i) + " is 0");
  auto net = std::make_shared<Sequential>();
  const std::size_t n_layers = sizes.size() - 1;
  for (std::size_t i = 0; i < n_layers; ++i) {
    const bool last = i + 1 == n_layers;
    DenseOptions d;
    d.n_in = sizes[i];
    d.n_out = sizes[i + 1];
    d.activation =
        !last ? o.activation
              : (o.output_activation ? *o.output_activation : (o.loss ? natural_activation(*o.loss) : Activation{}));
    d.weight_init = o.weight_init;
    d.bias_init = o.bias_init;
    d.reg = o.reg;
    d.dropout = i == 0 ? 0.0 : o.dropout;
    d.seed = o.seed + i;
    d.dtype = o.dtype;
    if (last && o.loss) {
      OutputLayerOptions out;
      static_cast<DenseOptions&>(out) = d;
      out.loss = *o.loss;
      net->add(std::make_shared<OutputLayer>(out));
    } else {
      net->add(std::make_shared<Dense>(d));
    }
  }
  return net;
}

std::shared_ptr<Sequential> mlp(const std::vector<std::size_t>& sizes, const Activation& activation, MlpOptions o) {
  o.activation = activation;
  return mlp(sizes, std::move(o));
}

}  // namespace xgrad::nn
