#include "nn/distributions/mixture_prior.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/tape.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

MixtureOfGaussiansPrior::MixtureOfGaussiansPrior(std::size_t dim, std::size_t components, Generator& gen, DType dtype,
                                                 double init_scale)
    : dim_(dim), components_(components), init_scale_(init_scale) {
  if (dim_ == 0 || components_ == 0)
    throw InvalidArgument("MixtureOfGaussiansPrior: the latent width and the number of components must be >= 1, got " +
                          std::to_string(dim_) + " and " + std::to_string(components_));
  if (!std::isfinite(init_scale_) || init_scale_ < 0)
    throw InvalidArgument("MixtureOfGaussiansPrior: init_scale must be finite and >= 0, got " +
                          format_number(init_scale_));
  means_ = register_parameter("means", gen.normal(Shape{components_, dim_}, 0.0, init_scale_, dtype));
  log_variances_ = register_parameter("log_variances", Tensor::zeros(Shape{components_, dim_}, dtype));
  logits_ = register_parameter("logits", Tensor::zeros(Shape{components_}, dtype));
}

std::string MixtureOfGaussiansPrior::describe() const {
  return "mog(K=" + std::to_string(components_) + ")";
}

nlohmann::json MixtureOfGaussiansPrior::config() const {
  return {{"type", name()}, {"components", components_}, {"init_scale", init_scale_}};
}

std::shared_ptr<const LatentDistribution> MixtureOfGaussiansPrior::distribution(std::size_t rows, DType dtype) {
  if (dtype != means_.dtype())
    throw InvalidArgument(describe() + " prior: asked for " + dtype_name(dtype) + " but its parameters are " +
                          dtype_name(means_.dtype()) + " (convert the model with Module::to)");
  return std::make_shared<DiagonalGaussianMixture>(rows, means_, log_variances_, logits_);
}

Variable MixtureOfGaussiansPrior::log_prob(const Variable& z) {
  check_z("log_prob", z);
  return distribution(1, z.dtype())->log_prob(z);
}

Tensor MixtureOfGaussiansPrior::sample(Generator& gen, std::size_t m, DType dtype) {
  return DiagonalGaussianMixture(1, means_, log_variances_, logits_).sample(gen, m).to(dtype);
}

Tensor MixtureOfGaussiansPrior::mean(DType dtype) {
  NoGradGuard guard;
  return DiagonalGaussianMixture(1, means_, log_variances_, logits_).mean().value().reshaped(Shape{dim_}).to(dtype);
}

namespace {
const bool registered = [] {
  register_prior("mog", [](const nlohmann::json& j, const LatentContext& c) -> PriorPtr {
    const std::string where = "prior_from_config: mog";
    const std::size_t k = required_size(j, where, "components", "the number K of mixture components");
    return std::make_shared<MixtureOfGaussiansPrior>(c.latent_dim, k, context_generator(c, where), c.dtype,
                                                     j.value("init_scale", 1.0));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
