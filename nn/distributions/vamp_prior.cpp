#include "nn/distributions/vamp_prior.hpp"

#include <cmath>
#include <typeinfo>

#include "autograd/errors.hpp"
#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/shape.hpp"
#include "autograd/tape.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

VampPrior::VampPrior(std::size_t dim, std::size_t components, LatentEncoder* encoder, Generator& gen, DType dtype,
                     double init_scale)
    : dim_(dim), components_(components), encoder_(encoder), init_scale_(init_scale) {
  if (dim_ == 0 || components_ == 0)
    throw InvalidArgument("VampPrior: the latent width and the number of pseudo-inputs must be >= 1, got " +
                          std::to_string(dim_) + " and " + std::to_string(components_));
  if (encoder_ == nullptr)
    throw InvalidArgument(
        "VampPrior: needs the model's encoder (LatentContext::encoder): build it as a VariationalAutoencoder's "
        "prior (VariationalAutoencoderOptions::prior = {\"type\": \"vamp\", \"components\": K})");
  if (!std::isfinite(init_scale_) || init_scale_ < 0)
    throw InvalidArgument("VampPrior: init_scale must be finite and >= 0, got " + format_number(init_scale_));
  pseudo_inputs_ = register_parameter("pseudo_inputs",
                                      gen.normal(Shape{components_, encoder_->input_width()}, 0.0, init_scale_, dtype));
}

std::string VampPrior::describe() const {
  return "vamp(K=" + std::to_string(components_) + ")";
}

nlohmann::json VampPrior::config() const {
  return {{"type", name()}, {"components", components_}, {"init_scale", init_scale_}};
}

std::shared_ptr<const LatentDistribution> VampPrior::components_density() {
  auto q = encoder_->encode_density(pseudo_inputs_);
  if (q->rows() != components_ || q->dim() != dim_)
    throw ShapeError(describe() + " prior: the encoder gave [" + std::to_string(q->rows()) + ", " +
                     std::to_string(q->dim()) + "] for the pseudo-inputs, expected [" + std::to_string(components_) +
                     ", " + std::to_string(dim_) + "]");
  return q;
}

Variable VampPrior::log_prob(const Variable& z) {
  check_z("log_prob", z);
  const std::size_t m = z.shape()[0], k = components_;
  const auto q = components_density();
  if (const auto* g = dynamic_cast<const DiagonalGaussian*>(q.get()); g && typeid(*g) == typeid(DiagonalGaussian))
    return logsumexp(diagonal_gaussian_log_density_matrix(z, g->mu(), g->logvar()), 1) -
           std::log(static_cast<double>(k));
  // any other family: row i*K + k of zk is z_i, which the component layout ([L*N, J], row l*N + n of example n) gives
  // to u_k
  const Variable zk = reshape(broadcast_to(reshape(z, Shape{m, 1, dim_}), Shape{m, k, dim_}), Shape{m * k, dim_});
  const Variable lq = reshape(q->log_prob(zk), Shape{m, k});
  return logsumexp(lq, 1) - std::log(static_cast<double>(k));
}

Tensor VampPrior::sample(Generator& gen, std::size_t m, DType dtype) {
  NoGradGuard guard;
  const Tensor& u = pseudo_inputs_.value();
  const std::size_t d = u.shape()[1];
  Tensor chosen = Tensor::empty(Shape{m, d}, u.dtype());
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t k = gen.next_below(components_);
    for (std::size_t c = 0; c < d; ++c) chosen.set(i * d + c, u.at(k * d + c));
  }
  const auto q = encoder_->encode_density(constant(chosen));
  return q->rsample(q->draw_noise(gen, 1)).value().to(dtype);
}

Tensor VampPrior::mean(DType dtype) {
  NoGradGuard guard;
  const Tensor per = components_density()->mean().value();
  Tensor out = Tensor::zeros(Shape{dim_}, DType::float64);
  for (std::size_t k = 0; k < components_; ++k)
    for (std::size_t j = 0; j < dim_; ++j)
      out.set(j, out.at(j) + per.at(k * dim_ + j) / static_cast<double>(components_));
  return out.to(dtype);
}

namespace {
const bool registered = [] {
  register_prior("vamp", [](const nlohmann::json& j, const LatentContext& c) -> PriorPtr {
    const std::string where = "prior_from_config: vamp";
    const std::size_t k = required_size(j, where, "components", "the number K of pseudo-inputs");
    return std::make_shared<VampPrior>(c.latent_dim, k, c.encoder, context_generator(c, where), c.dtype,
                                       j.value("init_scale", 0.1));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
