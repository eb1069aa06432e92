#pragma once
// ReconstructionDistribution: p(x|z) of a VAE, given the decoder's raw output ("raw", before the
// distribution's activation). For data x [N,D] the decoder emits raw [N, input_size(D)]; the distribution
// maps it to its parameters and gives the per-example log-likelihood log p(x|raw) = sum_j log p(x_nj|...)
// as a differentiable [N] Variable, the mean, a random sample, and a data check. This is the extension
// point for user distributions: implement the virtuals from existing ops (gradients come from autograd),
// then register_distribution(name, factory) so configurations can name it, and run check_conformance
// (conformance.hpp) on it.
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograd/activation.hpp"
#include "autograd/random.hpp"
#include "autograd/variable.hpp"
#include "nn/layers/activation_json.hpp"

namespace xgrad::nn {

/// The values a distribution's data may take. validate() accepts data in [lower, upper] (finite values
/// only); the density is normalised over that interval (continuous), over `values` (discrete, e.g. {0,1}
/// for Bernoulli, which also accepts probabilities in [0,1] as data), or over the one-hot rows (one_hot).
struct Support {
  enum class Kind { continuous, discrete, one_hot };
  Kind kind = Kind::continuous;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::vector<double> values;

  static Support real() { return {}; }
  static Support interval(double lo, double hi) { return {Kind::continuous, lo, hi, {}}; }
  static Support discrete(std::vector<double> v, double lo, double hi) {
    return {Kind::discrete, lo, hi, std::move(v)};
  }
  static Support one_hot() { return {Kind::one_hot, 0.0, 1.0, {0.0, 1.0}}; }
  /// "[0, 1]", "[0, inf)", "(-inf, inf)", "one-hot rows"
  std::string str() const;
};

/// validate()'s DataError, with the offending value's place: row and column (0-based, columns of the whole
/// composite), the value and what is wrong with it ("is outside its support [0, 1]").
class SupportError : public DataError {
 public:
  /// what() = "<distribution> distribution: data value <value> at row <row>, column <column> <problem>".
  SupportError(const std::string& distribution, std::size_t row, std::size_t column, double value, std::string problem);
  /// The same with another what().
  SupportError(const std::string& message, const std::string& distribution, std::size_t row, std::size_t column,
               double value, std::string problem);
  std::size_t row() const { return row_; }
  std::size_t column() const { return column_; }
  double value() const { return value_; }
  const std::string& problem() const { return problem_; }
  const std::string& distribution() const { return distribution_; }

 private:
  std::string distribution_, problem_;
  std::size_t row_, column_;
  double value_;
};

class ReconstructionDistribution {
 public:
  virtual ~ReconstructionDistribution() = default;

  /// Registry name ("gaussian", "bernoulli", ...): config()["type"].
  virtual std::string name() const = 0;
  /// Readable form for messages and summaries, e.g. "gaussian(tanh)".
  virtual std::string describe() const { return name(); }
  /// Width of the decoder output for D data columns (2D for Gaussian, D for most).
  virtual std::size_t input_size(std::size_t data_size) const = 0;
  /// Per-example log-likelihood, x [N,D], raw [N, input_size(D)] -> [N]; differentiable in raw.
  virtual Variable log_prob(const Variable& x, const Variable& raw) const = 0;
  /// Mean of p(x|raw), [N,D].
  virtual Tensor mean(const Tensor& raw) const = 0;
  /// One random draw from p(x|raw), [N,D].
  virtual Tensor sample(const Tensor& raw, Generator& gen) const = 0;
  /// The support of the data (see Support); validate() and the conformance checker use it.
  virtual Support support() const { return Support::real(); }
  /// Throws SupportError naming the distribution, the offending value and its row and column when x has a
  /// value outside support() or a non-finite value. `first_column` offsets the reported column (composites).
  virtual void validate(const Tensor& x, std::size_t first_column = 0) const;
  /// True for deterministic loss-function "distributions" (LossFunctionWrapper, composites of them).
  virtual bool has_loss_function() const { return false; }
  /// {"type": name(), ...options}; distribution_from_config(config()) rebuilds an equal distribution.
  virtual nlohmann::json config() const = 0;
  /// Composites: the (data columns, distribution) parts in column order; empty for a single distribution.
  virtual std::vector<std::pair<std::size_t, std::shared_ptr<const ReconstructionDistribution>>> parts() const {
    return {};
  }

 protected:
  /// Throws ShapeError "<describe()>.<where>: ..." unless x is [N,D] and raw is [N, input_size(D)].
  void check_shapes(const char* where, const Shape& x, const Shape& raw) const;
  /// D for a raw tensor of width input_size(D) (inverts input_size for the built-in layouts k*D).
  std::size_t data_size_of(const char* where, const Shape& raw, std::size_t params_per_column) const;
};

/// Base of the distributions with one option, the activation applied to raw (Gaussian, Bernoulli,
/// Exponential): describe() = "name(activation)", config() = {"type": name(), "activation": ...}.
class ActivationDistribution : public ReconstructionDistribution {
 public:
  explicit ActivationDistribution(Activation activation) : activation_(activation) {}
  const Activation& activation() const { return activation_; }
  std::string describe() const override { return name() + "(" + activation_.name() + ")"; }
  nlohmann::json config() const override;

 protected:
  Activation activation_;
};

using DistributionPtr = std::shared_ptr<const ReconstructionDistribution>;
using DistributionFactory = std::function<DistributionPtr(const nlohmann::json&)>;

/// Registers a distribution type by name (built-ins register themselves; re-registering replaces).
void register_distribution(const std::string& name, DistributionFactory factory);
/// Rebuilds a distribution from config(); a bare string is a name with default options.
/// Throws InvalidArgument naming an unknown type and listing the registered ones.
DistributionPtr distribution_from_config(const nlohmann::json& config);
std::vector<std::string> registered_distributions();

/// Registers D (constructible from an Activation) under `name`; a config without "activation" gets
/// `default_activation`.
template <class D>
void register_activation_distribution(const std::string& name, const char* default_activation) {
  register_distribution(name, [default_activation](const nlohmann::json& j) -> DistributionPtr {
    return std::make_shared<D>(j.contains("activation") ? activation_from_json(j["activation"])
                                                        : Activation::from_name(default_activation));
  });
}
/// Registers D (default-constructible, no options) under `name`.
template <class D>
void register_plain_distribution(const std::string& name) {
  register_distribution(name, [](const nlohmann::json&) -> DistributionPtr { return std::make_shared<D>(); });
}

/// A number for messages: up to 9 significant digits, "inf", "-inf", "nan".
std::string format_number(double v);

/// Activation applied to a tensor without recording (for mean / sample).
Tensor apply_activation(const Activation& a, const Tensor& raw);

}  // namespace xgrad::nn
