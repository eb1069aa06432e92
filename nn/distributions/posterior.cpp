#include "nn/distributions/posterior.hpp"

#include "autograd/errors.hpp"
#include "nn/distributions/named_registry.hpp"

namespace xgrad::nn {

namespace {
NamedRegistry<PosteriorFactory>& registry() {
  static NamedRegistry<PosteriorFactory> r("posterior", "register_posterior");
  return r;
}
}  // namespace

DiagonalGaussianPosterior::DiagonalGaussianPosterior(std::size_t dim) : dim_(dim) {
  if (dim_ == 0) throw InvalidArgument("DiagonalGaussianPosterior: the latent width must be >= 1, got 0");
}

std::shared_ptr<const LatentDistribution> DiagonalGaussianPosterior::distribution(const Variable& mu,
                                                                                  const Variable& logvar) {
  if (mu.dim() != 2 || mu.shape()[1] != dim_)
    throw ShapeError("DiagonalGaussianPosterior: mu " + shape_string(mu.shape()) + " must be [N, " +
                     std::to_string(dim_) + "]");
  return std::make_shared<DiagonalGaussian>(mu, logvar);
}

void register_posterior(const std::string& name, PosteriorFactory factory) {
  registry().add(name, std::move(factory));
}

PosteriorPtr posterior_from_config(const nlohmann::json& config, const LatentContext& context) {
  if (context.latent_dim == 0)
    throw InvalidArgument("posterior_from_config: " + config.dump() +
                          ": the latent width (LatentContext::latent_dim) is 0");
  return registry().build("posterior_from_config", config, context);
}

std::vector<std::string> registered_posteriors() {
  return registry().names();
}

namespace {
const bool registered = [] {
  register_posterior("diagonal_gaussian", [](const nlohmann::json&, const LatentContext& c) -> PosteriorPtr {
    return std::make_shared<DiagonalGaussianPosterior>(c.latent_dim);
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
