#pragma once
// Conformance checker for priors, built-in or a user's own, given by a registry config (so it is built in
// float64 with latent widths 1 and 2 by prior_from_config):
//   config      prior_from_config(p.config()) rebuilds it with the same config
//   shapes      log_prob [M,J] -> [M], sample -> [m,J], mean -> [J]; distribution(N) has N rows of width J
//   normalised  J = 1: the integral of exp(log p(z)) over the real line is 1 (tanh-sinh quadrature, split at
//               the mean); J = 2: the same as a nested (iterated) integral. A prior on simplices
//               (support().simplex(), relaxed categorical) is built with one group of J = 2 and of J = 3
//               classes instead and integrated over the simplex's first 1 and 2 coordinates
//   moments     the mean of `samples` draws (J = 2) is within `mean_sigmas` standard errors of mean()
//   gradient    float64 gradcheck of log_prob(z) in z and in every parameter of the prior
// A prior built on an encoder (vamp) gets options.encoder(J) as LatentContext::encoder.
// Usage:  auto report = check_prior_conformance({{"type", "my_prior"}});  if (!report.ok) ... report.str()
#include <cstdint>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "autograd/gradcheck.hpp"
#include "nn/distributions/conformance.hpp"
#include "nn/distributions/prior.hpp"

namespace xgrad::nn {

struct PriorConformanceOptions {
  std::size_t rows = 5;                 // M of the gradient and shape checks
  double integral_tolerance_1d = 1e-6;  // |integral - 1| for J = 1
  double integral_tolerance_2d = 1e-5;  // for J = 2 (nested quadrature)
  std::size_t samples = 20000;          // draws for the moment check
  double mean_sigmas = 5.0;             // allowed distance of the sample mean, in standard errors
  std::uint64_t seed = 20240602;
  GradcheckOptions gradcheck{1e-6, 1e-5, 1e-8, 12345, 0};
  /// For priors built on a model's encoder (vamp): an encoder for latent width J, float64, given to the
  /// factory as LatentContext::encoder (it must outlive the check).
  std::function<std::shared_ptr<LatentEncoder>(std::size_t latent_dim)> encoder;
};

ConformanceReport check_prior_conformance(const nlohmann::json& config, const PriorConformanceOptions& options = {});

}  // namespace xgrad::nn
