#include "nn/distributions/relaxed_categorical.hpp"

#include <cmath>
#include <vector>

#include "autograd/errors.hpp"
#include "autograd/ops/activations.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/ops/shape.hpp"
#include "autograd/tape.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

namespace {
void check_temperature(const std::string& where, double t) {
  if (!std::isfinite(t) || !(t > 0))
    throw InvalidArgument(where + ": the temperature must be finite and > 0, got " + format_number(t));
}

// G and C from a config and the latent width J (see the header)
LatentSupport groups_and_classes(const nlohmann::json& j, std::size_t width, const std::string& where) {
  const bool has_g = j.contains("groups"), has_c = j.contains("classes");
  std::size_t g = has_g ? size_from_json(j["groups"], where + ": \"groups\"") : 0;
  std::size_t c = has_c ? size_from_json(j["classes"], where + ": \"classes\"") : 0;
  if (has_g && g == 0) throw InvalidArgument(where + ": \"groups\" must be >= 1, got 0");
  if (has_c && c < 2) throw InvalidArgument(where + ": \"classes\" must be >= 2, got " + std::to_string(c));
  if (!has_g && !has_c) {
    g = 1;
    c = width;
  } else if (!has_g) {
    g = width % c == 0 ? width / c : 0;
  } else if (!has_c) {
    c = width % g == 0 ? width / g : 0;
  }
  if (g * c != width || c < 2)
    throw InvalidArgument(where + ": " + std::to_string(g) + " groups x " + std::to_string(c) +
                          " classes do not fill the latent width " + std::to_string(width) +
                          " (n_out must be groups * classes, classes >= 2) in " + j.dump());
  return {g, c};
}
}  // namespace

RelaxedCategorical::RelaxedCategorical(Variable logits, std::size_t groups, std::size_t classes, double temperature)
    : logits_(std::move(logits)), groups_(groups), classes_(classes), temperature_(temperature) {
  RelaxedCategoricalSpec("RelaxedCategorical", groups_, classes_, temperature_);  // checks G, C, lambda
  if (logits_.dim() != 2 || logits_.shape()[1] != groups_ * classes_ || logits_.shape()[0] == 0)
    throw ShapeError("RelaxedCategorical: logits " + shape_string(logits_.shape()) + " must be [N, " +
                     std::to_string(groups_ * classes_) + "] (" + std::to_string(groups_) + " groups of " +
                     std::to_string(classes_) + " classes), N >= 1");
}

Variable RelaxedCategorical::tiled_logits(std::size_t m, const char* where) const {
  const std::size_t n = rows(), j = dim();
  if (m == 0 || m % n != 0)
    throw ShapeError(type_name() + "." + where + ": " + std::to_string(m) + " rows are not L samples of " +
                     std::to_string(n) + " examples");
  if (m == n) return logits_;
  return reshape(broadcast_to(reshape(logits_, Shape{1, n, j}), Shape{m / n, n, j}), Shape{m, j});
}

Variable RelaxedCategorical::log_density(const Variable& y) const {
  const std::size_t m = y.shape()[0], g = groups_, c = classes_;
  const double t = temperature_;
  const Variable a = reshape(tiled_logits(m, "log_prob"), Shape{m * g, c});
  const Variable yg = reshape(y, Shape{m * g, c});
  const double log_norm = std::lgamma(static_cast<double>(c)) + static_cast<double>(c - 1) * std::log(t);
  const Variable per_group = sum(a - (t + 1.0) * yg, 1) - static_cast<double>(c) * logsumexp(a - t * yg, 1) + log_norm;
  return g == 1 ? per_group : sum(reshape(per_group, Shape{m, g}), 1);
}

Variable RelaxedCategorical::log_prob(const Variable& z) const {
  if (z.dim() != 2 || z.shape()[1] != dim())
    throw ShapeError(type_name() + ".log_prob: z " + shape_string(z.shape()) + " must be [L*" + std::to_string(rows()) +
                     ", " + std::to_string(dim()) + "]");
  const Tensor& v = z.value();
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!(v.at(i) > 0))
      throw InvalidArgument(type_name() + ".log_prob: z[" + std::to_string(i / dim()) + ", " +
                            std::to_string(i % dim()) + "] = " + format_number(v.at(i)) +
                            " is not inside the simplex (a coordinate that underflowed to 0 at temperature " +
                            format_number(temperature_) + ": raise the temperature or use float64)");
  return log_density(log(z));
}

Variable RelaxedCategorical::mean() const {
  throw InvalidArgument(type_name() + ".mean: E[z] of a relaxed categorical has no closed form");
}

Tensor RelaxedCategorical::draw_noise(Generator& gen, std::size_t samples) const {
  if (samples == 0) throw InvalidArgument(type_name() + ".draw_noise: samples must be >= 1, got 0");
  const Shape shape{samples * rows(), dim()};
  std::vector<double> g = gen.uniform(shape, 0.0, 1.0, DType::float64).to_vector();  // U in (0, 1)
  for (double& v : g) v = -std::log(-std::log(v));
  return Tensor::from(shape, g, dtype());
}

Variable RelaxedCategorical::log_sample(const Tensor& noise) const {
  if (noise.dim() != 2 || noise.shape()[1] != dim())
    throw ShapeError(type_name() + ".rsample: noise " + shape_string(noise.shape()) + " must be [L*" +
                     std::to_string(rows()) + ", " + std::to_string(dim()) + "]");
  const std::size_t m = noise.shape()[0];
  const Variable x = (tiled_logits(m, "rsample") + constant(noise)) * (1.0 / temperature_);
  return reshape(log_softmax(reshape(x, Shape{m * groups_, classes_}), 1), Shape{m, dim()});
}

Variable RelaxedCategorical::rsample(const Tensor& noise) const {
  return exp(log_sample(noise));
}

LatentSample RelaxedCategorical::rsample_with_log_prob(const Tensor& noise) const {
  const Variable y = log_sample(noise);
  return {exp(y), log_density(y), Variable()};
}

RelaxedCategoricalSpec::RelaxedCategoricalSpec(const std::string& owner, std::size_t g, std::size_t c, double t)
    : groups(g), classes(c), temperature(t) {
  if (classes < 2 || groups == 0)
    throw InvalidArgument(owner + ": needs groups >= 1 and classes >= 2, got " + std::to_string(groups) + " and " +
                          std::to_string(classes));
  check_temperature(owner, temperature);
}

std::string RelaxedCategoricalSpec::describe() const {
  return "relaxed_categorical(" + std::to_string(groups) + "x" + std::to_string(classes) +
         ", T=" + format_number(temperature) + ")";
}

nlohmann::json RelaxedCategoricalSpec::config() const {
  return {{"type", "relaxed_categorical"}, {"groups", groups}, {"classes", classes}, {"temperature", temperature}};
}

std::shared_ptr<const LatentDistribution> RelaxedCategoricalPosterior::distribution(const Variable& mu,
                                                                                    const Variable&) {
  return std::make_shared<RelaxedCategorical>(mu, spec_.groups, spec_.classes, spec_.temperature);
}

std::shared_ptr<const LatentDistribution> RelaxedCategoricalPrior::distribution(std::size_t rows, DType dtype) {
  return std::make_shared<RelaxedCategorical>(constant(Tensor::zeros(Shape{rows, dim()}, dtype)), spec_.groups,
                                              spec_.classes, spec_.temperature);
}

Tensor RelaxedCategoricalPrior::mean(DType dtype) {
  return Tensor::full(Shape{dim()}, 1.0 / static_cast<double>(spec_.classes), dtype);
}

Variable RelaxedCategoricalPrior::log_prob(const Variable& z) {
  check_z("log_prob", z);
  return distribution(1, z.dtype())->log_prob(z);
}

Tensor RelaxedCategoricalPrior::sample(Generator& gen, std::size_t m, DType dtype) {
  NoGradGuard guard;
  const auto d = distribution(1, DType::float64);
  return d->rsample(d->draw_noise(gen, m)).value().to(dtype);
}

namespace {
const bool registered = [] {
  register_posterior("relaxed_categorical", [](const nlohmann::json& j, const LatentContext& c) -> PosteriorPtr {
    const LatentSupport s = groups_and_classes(j, c.latent_dim, "posterior_from_config: relaxed_categorical");
    return std::make_shared<RelaxedCategoricalPosterior>(s.groups, s.classes, j.value("temperature", 2.0 / 3.0));
  });
  register_prior("relaxed_categorical", [](const nlohmann::json& j, const LatentContext& c) -> PriorPtr {
    const LatentSupport s = groups_and_classes(j, c.latent_dim, "prior_from_config: relaxed_categorical");
    return std::make_shared<RelaxedCategoricalPrior>(s.groups, s.classes, j.value("temperature", 0.5));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
