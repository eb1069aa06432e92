#pragma once
// The two VAE models the training-step benchmarks time (vae_step, mpi_step): those of ../shared/bench.
//   kw:   784-500-[20]-500-784, tanh        dl4j: 784-256-256-[2]-256-256-784, leakyrelu
// Bernoulli likelihood on [0,1] pixels, one reparameterised sample, seed 0; and their synthetic training data.
#include <cstdint>
#include <memory>
#include <string>

#include "autograd/xgrad.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/layers/vae.hpp"

namespace xgrad::bench {

inline nn::VariationalAutoencoderOptions vae_model(const std::string& config) {
  nn::VariationalAutoencoderOptions o;
  o.n_in = 784;
  o.reconstruction_distribution = std::make_shared<nn::BernoulliDistribution>();
  o.validate_data = false;  // the data are checked once, not every step
  o.seed = 0;
  if (config == "kw") {
    o.n_out = 20;
    o.encoder_layer_sizes = {500};
    o.decoder_layer_sizes = {500};
    o.activation = Activation::from_name("tanh");
  } else if (config == "dl4j") {
    o.n_out = 2;
    o.encoder_layer_sizes = {256, 256};
    o.decoder_layer_sizes = {256, 256};
    o.activation = Activation::from_name("leakyrelu");
  } else {
    throw InvalidArgument("vae_model: unknown config '" + config + "' (kw, dl4j)");
  }
  return o;
}

/// Pixel-like data in [0,1], [n, 784] float32: synthetic (a step's time does not depend on the values).
inline Tensor vae_data(std::size_t n, std::uint64_t seed) {
  Generator g(seed);
  return g.uniform({n, 784}, 0.0, 1.0);
}

}  // namespace xgrad::bench
