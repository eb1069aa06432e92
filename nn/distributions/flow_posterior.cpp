#include "nn/distributions/flow_posterior.hpp"

#include <algorithm>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/shape.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/iaf_flow.hpp"
#include "nn/distributions/planar_flow.hpp"

namespace xgrad::nn {

FlowGaussian::FlowGaussian(DiagonalGaussian base, std::vector<Flow*> flows, std::string describe)
    : base_(std::move(base)), flows_(std::move(flows)), describe_(std::move(describe)) {}

Variable FlowGaussian::log_prob(const Variable&) const {
  throw InvalidArgument(type_name() +
                        ".log_prob: the density of a flow is known only at its own samples (use "
                        "rsample_with_log_prob, which returns log q(z) with z)");
}

Variable FlowGaussian::mean() const {
  throw InvalidArgument(type_name() + ".mean: E[z] after the flows has no closed form (base().mean() is mu)");
}

Variable FlowGaussian::context_rows(std::size_t rows) const {
  const std::size_t n = base_.rows(), width = 2 * base_.dim();
  const Variable heads = concat({base_.mu(), base_.logvar()}, 1);  // [N, 2J]
  if (rows == n) return heads;
  return reshape(broadcast_to(reshape(heads, Shape{1, n, width}), Shape{rows / n, n, width}), Shape{rows, width});
}

LatentSample FlowGaussian::rsample_with_log_prob(const Tensor& noise) const {
  Variable z = base_.rsample(noise);
  Variable log_q = base_.log_prob(z);
  Variable log_det, context;
  for (Flow* f : flows_) {
    if (f->context_width() > 0 && !context.defined()) context = context_rows(z.shape()[0]);
    FlowStep step = f->forward_with_context(z, context);
    z = std::move(step.z);
    log_det = log_det.defined() ? log_det + step.log_det : step.log_det;
  }
  if (log_det.defined()) log_q = log_q - log_det;
  return {std::move(z), std::move(log_q), std::move(log_det)};
}

FlowPosterior::FlowPosterior(std::string name, std::size_t dim, std::vector<std::shared_ptr<Flow>> flows,
                             nlohmann::json options)
    : name_(std::move(name)), dim_(dim), flows_(std::move(flows)), options_(std::move(options)) {
  for (std::size_t k = 0; k < flows_.size(); ++k) {
    if (!flows_[k] || flows_[k]->dim() != dim_)
      throw InvalidArgument("FlowPosterior: flow " + std::to_string(k) + " is null or has width " +
                            std::to_string(flows_[k] ? flows_[k]->dim() : 0) + ", not " + std::to_string(dim_));
    if (flows_[k]->context_width() != 0 && flows_[k]->context_width() != 2 * dim_)
      throw InvalidArgument("FlowPosterior: flow " + std::to_string(k) + " takes a context of width " +
                            std::to_string(flows_[k]->context_width()) +
                            ", but its context is the heads [mu, logvar], " + std::to_string(2 * dim_) + " wide");
    register_module(std::to_string(k), flows_[k]);
  }
}

std::string FlowPosterior::describe() const {
  return name_ + " x " + std::to_string(flows_.size());
}

nlohmann::json FlowPosterior::config() const {
  nlohmann::json j = options_;
  j["type"] = name_;
  return j;
}

std::shared_ptr<const LatentDistribution> FlowPosterior::distribution(const Variable& mu, const Variable& logvar) {
  if (mu.dim() != 2 || mu.shape()[1] != dim_)
    throw ShapeError("FlowPosterior(" + describe() + "): mu " + shape_string(mu.shape()) + " must be [N, " +
                     std::to_string(dim_) + "]");
  std::vector<Flow*> flows;
  for (const auto& f : flows_) flows.push_back(f.get());
  return std::make_shared<FlowGaussian>(DiagonalGaussian(mu, logvar), std::move(flows), describe());
}

std::shared_ptr<const LatentDistribution> FlowPosterior::component(const Variable& mu, const Variable& logvar) {
  return std::make_shared<DiagonalGaussian>(mu, logvar);
}

namespace {
const bool registered = [] {
  register_posterior("planar", [](const nlohmann::json& j, const LatentContext& c) -> PosteriorPtr {
    const std::string where = "posterior_from_config: planar";
    const std::size_t k = required_size(j, where, "flows", "the number of planar flows");
    Generator& gen = context_generator(c, where);
    const double scale = j.value("init_scale", 0.1);
    std::vector<std::shared_ptr<Flow>> flows;
    for (std::size_t i = 0; i < k; ++i)
      flows.push_back(std::make_shared<PlanarFlow>(c.latent_dim, gen, c.dtype, scale));
    return std::make_shared<FlowPosterior>("planar", c.latent_dim, std::move(flows),
                                           nlohmann::json{{"flows", k}, {"init_scale", scale}});
  });
  register_posterior("iaf", [](const nlohmann::json& j, const LatentContext& c) -> PosteriorPtr {
    const std::string where = "posterior_from_config: iaf";
    const std::size_t k = required_size(j, where, "flows", "the number of IAF steps");
    Generator& gen = context_generator(c, where);
    const std::size_t hidden = j.contains("hidden") ? size_from_json(j["hidden"], where + ": \"hidden\"")
                                                    : std::max<std::size_t>(16, 2 * c.latent_dim);
    const double scale = j.value("init_scale", 0.1), bias = j.value("sigma_bias", 1.0);
    const nlohmann::json context = j.value("context", nlohmann::json("none"));
    if (context != "none" && context != "heads")
      throw InvalidArgument(where +
                            ": \"context\" must be \"none\" (global flows) or \"heads\" (amortised by the "
                            "encoder's mu and logvar), got " +
                            context.dump());
    const std::size_t width = context == "heads" ? 2 * c.latent_dim : 0;
    std::vector<std::shared_ptr<Flow>> flows;
    for (std::size_t i = 0; i < k; ++i)  // the variable order reversed between stacked steps
      flows.push_back(std::make_shared<IafFlow>(c.latent_dim, hidden, i % 2 == 1, gen, c.dtype, scale, bias, width));
    return std::make_shared<FlowPosterior>(
        "iaf", c.latent_dim, std::move(flows),
        nlohmann::json{
            {"flows", k}, {"hidden", hidden}, {"init_scale", scale}, {"sigma_bias", bias}, {"context", context}});
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
