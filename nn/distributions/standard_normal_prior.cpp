#include "nn/distributions/standard_normal_prior.hpp"

#include "autograd/errors.hpp"

namespace xgrad::nn {

StandardNormalPrior::StandardNormalPrior(std::size_t dim) : dim_(dim) {
  if (dim_ == 0) throw InvalidArgument("StandardNormalPrior: the latent width must be >= 1, got 0");
}

std::shared_ptr<const LatentDistribution> StandardNormalPrior::distribution(std::size_t rows, DType dtype) {
  return std::make_shared<StandardNormal>(rows, dim_, dtype);
}

Variable StandardNormalPrior::log_prob(const Variable& z) {
  check_z("log_prob", z);
  return StandardNormal(z.shape()[0], dim_, z.dtype()).log_prob(z);
}

Tensor StandardNormalPrior::sample(Generator& gen, std::size_t m, DType dtype) {
  return gen.normal(Shape{m, dim_}, 0.0, 1.0, dtype);
}

namespace {
const bool registered = [] {
  register_prior("standard_normal", [](const nlohmann::json&, const LatentContext& c) -> PriorPtr {
    return std::make_shared<StandardNormalPrior>(c.latent_dim);
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
