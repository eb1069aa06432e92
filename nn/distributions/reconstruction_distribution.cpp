#include "nn/distributions/reconstruction_distribution.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <sstream>

#include "autograd/errors.hpp"
#include "autograd/tape.hpp"

namespace xgrad::nn {

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream s;
  s.precision(9);
  s << v;
  return s.str();
}

std::string Support::str() const {
  switch (kind) {
    case Kind::one_hot:
      return "one-hot rows (values 0 or 1, exactly one 1 per row)";
    case Kind::discrete: {
      std::string s = "{";
      for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + format_number(values[i]);
      return s + "} (data in [" + format_number(lower) + ", " + format_number(upper) + "] accepted)";
    }
    case Kind::continuous:
      break;
  }
  return (std::isinf(lower) ? "(" : "[") + format_number(lower) + ", " + format_number(upper) +
         (std::isinf(upper) ? ")" : "]");
}

SupportError::SupportError(const std::string& distribution, std::size_t row, std::size_t column, double value,
                           std::string problem)
    : SupportError(distribution + " distribution: data value " + format_number(value) + " at row " +
                       std::to_string(row) + ", column " + std::to_string(column) + " " + problem,
                   distribution, row, column, value, problem) {}

SupportError::SupportError(const std::string& message, const std::string& distribution, std::size_t row,
                           std::size_t column, double value, std::string problem)
    : DataError(message),
      distribution_(distribution),
      problem_(std::move(problem)),
      row_(row),
      column_(column),
      value_(value) {}

void ReconstructionDistribution::validate(const Tensor& x, std::size_t first_column) const {
  if (x.dim() != 2) throw ShapeError(describe() + ".validate: x must be 2-D [N,D], got " + shape_string(x.shape()));
  const Support sup = support();
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  x.visit([&](const auto& a) {
    const auto* p = a.data();
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < d; ++c) {
        const double v = static_cast<double>(p[r * d + c]);
        if (!std::isfinite(v) || v < sup.lower || v > sup.upper)
          throw SupportError(describe(), r, first_column + c, v, "is outside its support " + sup.str());
      }
  });
}

void ReconstructionDistribution::check_shapes(const char* where, const Shape& x, const Shape& raw) const {
  if (x.size() != 2 || raw.size() != 2)
    throw ShapeError(describe() + "." + where + ": x and raw must be 2-D, got " + shape_string(x) + " and " +
                     shape_string(raw));
  const std::size_t want = input_size(x[1]);
  if (raw[0] != x[0] || raw[1] != want)
    throw ShapeError(describe() + "." + where + ": raw " + shape_string(raw) + " does not fit x " + shape_string(x) +
                     " (expected [" + std::to_string(x[0]) + "," + std::to_string(want) + "])");
}

std::size_t ReconstructionDistribution::data_size_of(const char* where, const Shape& raw,
                                                     std::size_t params_per_column) const {
  if (raw.size() != 2 || raw[1] % params_per_column != 0)
    throw ShapeError(describe() + "." + where + ": raw must be 2-D with a multiple of " +
                     std::to_string(params_per_column) + " columns, got " + shape_string(raw));
  return raw[1] / params_per_column;
}

// ---- registry
namespace {
struct Registry {
  std::mutex mutex;
  std::map<std::string, DistributionFactory> factories;
};
Registry& registry() {
  static Registry r;
  return r;
}
}  // namespace

void register_distribution(const std::string& name, DistributionFactory factory) {
  if (name.empty() || !factory) throw InvalidArgument("register_distribution: empty name or null factory");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[name] = std::move(factory);
}

DistributionPtr distribution_from_config(const nlohmann::json& config) {
  nlohmann::json cfg = config.is_string() ? nlohmann::json{{"type", config.get<std::string>()}} : config;
  if (!cfg.is_object() || !cfg.contains("type") || !cfg["type"].is_string())
    throw InvalidArgument("distribution_from_config: expected a name or an object with a string \"type\", got " +
                          config.dump());
  const std::string type = cfg["type"].get<std::string>();
  DistributionFactory factory;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.factories.find(type);
    if (it == r.factories.end()) {
      std::string known;
      for (auto& [k, f] : r.factories) known += (known.empty() ? "" : ", ") + k;
      throw InvalidArgument("distribution_from_config: unknown distribution '" + type + "' (registered: " + known +
                            "); register your own with register_distribution");
    }
    factory = it->second;
  }
  try {
    return factory(cfg);
  } catch (const nlohmann::json::exception& e) {  // a field of the wrong type
    throw InvalidArgument("distribution_from_config: " + type + ": " + e.what() + " in " + config.dump());
  }
}

std::vector<std::string> registered_distributions() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> out;
  for (auto& [k, f] : r.factories) out.push_back(k);
  return out;
}

nlohmann::json ActivationDistribution::config() const {
  return {{"type", name()}, {"activation", activation_to_json(activation_)}};
}

Tensor apply_activation(const Activation& a, const Tensor& raw) {
  NoGradGuard guard;
  return a.apply(constant(raw)).value();
}

}  // namespace xgrad::nn
