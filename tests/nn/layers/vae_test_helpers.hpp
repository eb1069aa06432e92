#pragma once
// Small VAEs and data for the VAE tests (float64 unless said).
#include "autograd/xgrad.hpp"
#include "nn/layers/vae.hpp"
#include "test_helpers.hpp"

namespace xgrad::test {

inline nn::VariationalAutoencoderOptions small_vae(std::size_t n_in, std::size_t n_out, nn::DistributionPtr dist,
                                                   std::vector<std::size_t> enc = {5},
                                                   std::vector<std::size_t> dec = {5}) {
  nn::VariationalAutoencoderOptions o;
  o.n_in = n_in;
  o.n_out = n_out;
  o.encoder_layer_sizes = std::move(enc);
  o.decoder_layer_sizes = std::move(dec);
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = std::move(dist);
  o.dtype = DType::float64;
  o.seed = 42;
  return o;
}

/// [n, d] float64 data in the support of a distribution: "real" U(-1,1), "binary" 0/1, "unit" U(0,1),
/// "positive" U(0,2), "onehot" one-hot rows, "gbg" real/real/binary/binary/real... columns.
inline Tensor vae_data(const std::string& kind, std::size_t n, std::size_t d, std::uint64_t seed) {
  Generator g(seed);
  if (kind == "binary") return g.bernoulli(Shape{n, d}, 0.5, DType::float64);
  if (kind == "unit") return g.uniform(Shape{n, d}, 0.0, 1.0, DType::float64);
  if (kind == "positive") return g.uniform(Shape{n, d}, 0.0, 2.0, DType::float64);
  if (kind == "onehot") {
    Tensor t = Tensor::zeros(Shape{n, d}, DType::float64);
    for (std::size_t r = 0; r < n; ++r) t.set(r * d + g.next_below(d), 1.0);
    return t;
  }
  if (kind == "gbg") {  // Gaussian 2 + Bernoulli 2 + Gaussian (d - 4) columns
    Tensor t = g.uniform(Shape{n, d}, -1.0, 1.0, DType::float64);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 2; c < 4; ++c) t.set(r * d + c, static_cast<double>(g.next_below(2)));
    return t;
  }
  return g.uniform(Shape{n, d}, -1.0, 1.0, DType::float64);
}

}  // namespace xgrad::test
