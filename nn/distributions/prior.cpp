#include "nn/distributions/prior.hpp"

#include "autograd/errors.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/named_registry.hpp"

namespace xgrad::nn {

namespace {
NamedRegistry<PriorFactory>& registry() {
  static NamedRegistry<PriorFactory> r("prior", "register_prior");
  return r;
}
}  // namespace

std::size_t required_size(const nlohmann::json& config, const std::string& where, const char* key, const char* what) {
  if (!config.contains(key))
    throw InvalidArgument(where + ": missing \"" + key + "\" (" + what + ") in " + config.dump());
  return size_from_json(config[key], where + ": \"" + key + "\"");
}

Generator& context_generator(const LatentContext& context, const std::string& where) {
  if (context.gen == nullptr) throw InvalidArgument(where + ": needs a Generator (LatentContext::gen)");
  return *context.gen;
}

std::string LatentSupport::str(std::size_t dim) const {
  if (!simplex()) return "R^" + std::to_string(dim);
  return std::to_string(groups) + " simplices of " + std::to_string(classes) + " classes";
}

std::shared_ptr<const LatentDistribution> Prior::distribution(std::size_t rows, DType dtype) {
  return std::make_shared<PriorDistribution>(*this, rows, dtype);
}

void Prior::check_z(const char* where, const Variable& z) const {
  if (z.dim() != 2 || z.shape()[1] != dim())
    throw ShapeError(describe() + " prior: " + where + ": z " + shape_string(z.shape()) + " must be [M, " +
                     std::to_string(dim()) + "]");
}

Variable PriorDistribution::mean() const {
  const Tensor m = prior_->mean(dtype_);
  Tensor out = Tensor::empty(Shape{rows_, dim()}, dtype_);
  for (std::size_t r = 0; r < rows_; ++r)
    for (std::size_t j = 0; j < dim(); ++j) out.set(r * dim() + j, m.at(j));
  return constant(out);
}

void register_prior(const std::string& name, PriorFactory factory) {
  registry().add(name, std::move(factory));
}

PriorPtr prior_from_config(const nlohmann::json& config, const LatentContext& context) {
  if (context.latent_dim == 0)
    throw InvalidArgument("prior_from_config: " + config.dump() +
                          ": the latent width (LatentContext::latent_dim) is 0");
  return registry().build("prior_from_config", config, context);
}

std::vector<std::string> registered_priors() {
  return registry().names();
}

}  // namespace xgrad::nn
