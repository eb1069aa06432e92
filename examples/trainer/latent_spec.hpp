#pragma once
// The latent side of the VAE as three command-line strings (train's --prior, --flow, --latent-type):
//   --prior        standard | mog:K | vamp:K     p(z): the latent type's standard prior (N(0, I), or the uniform
//                                               relaxed categorical), a K-component Gaussian mixture, or a
//                                               VampPrior with K pseudo-inputs
//   --flow         none | planar:N | iaf:N       N normalizing flows after the Gaussian q(z|x) (iaf amortised by x)
//   --latent-type  gaussian | relaxed:GxC        z in R^J, or G groups of C relaxed categorical classes
//                                               (J = G C; Concrete at temperature 2/3, prior 1/2)
// They become VariationalAutoencoderOptions::prior / ::posterior (registry configs, saved in the model file).
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace xgrad::trainer {

struct LatentConfigs {
  nlohmann::json prior, posterior;
  std::size_t width = 0;  // the latent width the latent type fixes (G C for relaxed), 0 = any
};

/// The configs for the three options; throws UsageError naming the option and its value for a malformed
/// value ("--prior 'mog:0': ...") or a combination that does not fit (a flow or mog prior with relaxed).
LatentConfigs latent_configs(const std::string& prior, const std::string& flow, const std::string& latent_type);

}  // namespace xgrad::trainer
