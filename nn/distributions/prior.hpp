#pragma once
// Prior: p(z) of a VAE over the latent width J, a Module (its learnable values are parameters, saved and
// trained with the model). Vocabulary: log_prob(z) [M,J] -> [M] differentiable in z and the prior's
// parameters, sample() for generation, mean(); distribution(rows, dtype) gives p(z) for a batch as a
// LatentDistribution (its dynamic type keys the KL registry, kl.hpp; entropy there where known).
// config() = {"type": name(), ...options}; prior_from_config(config, context) rebuilds one (fresh
// parameters: load the saved ones with the model). Extension point: derive, implement name, config, dim,
// log_prob, sample and mean from existing ops, register_prior(name, factory), then check it with
// check_prior_conformance (prior_conformance.hpp) (tests/nn/distributions/test_priors.cpp registers one).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/random.hpp"
#include "nn/distributions/latent.hpp"
#include "nn/module.hpp"

namespace xgrad::nn {

/// The space z lives in: R^J (classes == 0), or `groups` probability simplices of `classes` coordinates each
/// (J = groups * classes, every group's coordinates positive and summing to 1: a relaxed categorical latent).
/// A VAE's prior and posterior must have the same support.
struct LatentSupport {
  std::size_t groups = 0, classes = 0;
  bool simplex() const { return classes > 0; }
  /// "R^J" or "G simplices of C classes".
  std::string str(std::size_t dim) const;
  bool operator==(const LatentSupport& o) const { return groups == o.groups && classes == o.classes; }
  bool operator!=(const LatentSupport& o) const { return !(*this == o); }
};

/// What a prior may use of its model's encoder (the VampPrior): q(z|x) for inputs x [K, input_width()] as a
/// density known at any z (Posterior::component), differentiable in x and in the encoder's parameters. The
/// model that hands it out outlives the prior.
class LatentEncoder {
 public:
  virtual ~LatentEncoder() = default;
  /// D: the width of one input row.
  virtual std::size_t input_width() const = 0;
  /// The support of the posterior family (the prior's support when it mixes the posterior's components).
  virtual LatentSupport support() const = 0;
  virtual std::shared_ptr<const LatentDistribution> encode_density(const Variable& x) = 0;
};

/// What a prior or posterior factory is told by the model that builds it.
struct LatentContext {
  std::size_t latent_dim = 0;        // J
  DType dtype = DType::float32;      // of the learnable parameters
  Generator* gen = nullptr;          // initialisation of learnable parameters (the model's rng)
  LatentEncoder* encoder = nullptr;  // the model's encoder, for priors built on it (vamp); set by the VAE
};

/// For factories: config[key] as a size; InvalidArgument "<where>: missing \"key\" (what) in <config>" when
/// absent, or naming the field when it is not a non-negative integer.
std::size_t required_size(const nlohmann::json& config, const std::string& where, const char* key, const char* what);
/// For factories: *context.gen; InvalidArgument "<where>: needs a Generator (LatentContext::gen)" when null.
Generator& context_generator(const LatentContext& context, const std::string& where);

class Prior : public Module {
 public:
  /// Registry name ("standard_normal", "mog"): config()["type"].
  virtual std::string name() const = 0;
  /// Readable form for messages ("mog(K=10)").
  virtual std::string describe() const { return name(); }
  virtual nlohmann::json config() const = 0;
  /// J.
  virtual std::size_t dim() const = 0;
  /// log p(z) per row, z [M, J] -> [M], differentiable in z and the prior's parameters.
  virtual Variable log_prob(const Variable& z) = 0;
  /// m independent draws [m, J] (no gradient), for generation and the conformance checker's moments.
  virtual Tensor sample(Generator& gen, std::size_t m, DType dtype) = 0;
  /// E[z], [J].
  virtual Tensor mean(DType dtype) = 0;
  /// Where z lives (R^J unless overridden); a VAE checks that its posterior has the same.
  virtual LatentSupport support() const { return {}; }
  /// p(z) over `rows` examples (every row the same distribution) as a LatentDistribution. The default is a
  /// PriorDistribution calling log_prob and mean; built-ins return their own type so the KL registry can
  /// find an analytic KL (StandardNormalPrior: StandardNormal).
  virtual std::shared_ptr<const LatentDistribution> distribution(std::size_t rows, DType dtype);

 protected:
  /// ShapeError from "<describe()> prior: <where>" unless z is [M, dim()].
  void check_z(const char* where, const Variable& z) const;
};

/// A Prior seen as a LatentDistribution over `rows` examples (type name "Prior(<describe()>)"): log_prob
/// and mean forward to the prior (which must outlive it); no reparameterised sampler, no entropy.
class PriorDistribution : public LatentDistribution {
 public:
  PriorDistribution(Prior& prior, std::size_t rows, DType dtype) : prior_(&prior), rows_(rows), dtype_(dtype) {}
  std::string type_name() const override { return "Prior(" + prior_->describe() + ")"; }
  std::size_t rows() const override { return rows_; }
  std::size_t dim() const override { return prior_->dim(); }
  DType dtype() const override { return dtype_; }
  Variable log_prob(const Variable& z) const override { return prior_->log_prob(z); }
  Variable mean() const override;

 private:
  Prior* prior_;
  std::size_t rows_;
  DType dtype_;
};

using PriorPtr = std::shared_ptr<Prior>;
using PriorFactory = std::function<PriorPtr(const nlohmann::json& config, const LatentContext& context)>;

/// Registers a prior type by name (built-ins register themselves; re-registering replaces).
void register_prior(const std::string& name, PriorFactory factory);
/// Builds a prior from config() or a bare name; InvalidArgument naming an unknown type (listing the
/// registered ones), a zero latent width, or a bad option.
PriorPtr prior_from_config(const nlohmann::json& config, const LatentContext& context);
std::vector<std::string> registered_priors();

}  // namespace xgrad::nn
