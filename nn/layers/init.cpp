#include "nn/layers/init.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "autograd/errors.hpp"
#include "autograd/kernels.hpp"

namespace xgrad::nn {

namespace {
std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> names{"normal", "uniform", "truncated_normal", "lognormal", "constant"};
  return names;
}
std::string number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}
void check_distribution(const std::string& where, const std::string& dist, double a, double b) {
  const auto& names = distribution_names();
  if (std::find(names.begin(), names.end(), dist) == names.end())
    throw InvalidArgument(where + ": unknown distribution '" + dist + "' (known: " + join(names) + ")");
  if ((dist == "normal" || dist == "truncated_normal" || dist == "lognormal") && !(b >= 0))
    throw InvalidArgument(where + ": " + dist + " needs std b >= 0, got " + number(b));
  if (dist == "uniform" && !(a < b))
    throw InvalidArgument(where + ": uniform needs lo < hi, got (" + number(a) + ", " + number(b) + ")");
}
}  // namespace

const std::vector<std::string>& weight_init_names() {
  static const std::vector<std::string> names{"XAVIER",       "XAVIER_UNIFORM", "XAVIER_FAN_IN", "RELU",
                                              "RELU_UNIFORM", "LECUN_NORMAL",   "LECUN_UNIFORM", "NORMAL",
                                              "UNIFORM",      "ZERO",           "ONES",          "DISTRIBUTION"};
  return names;
}

WeightInitConfig WeightInitConfig::distribution_of(const std::string& name, double a, double b) {
  WeightInitConfig c;
  c.scheme = WeightInit::DISTRIBUTION;
  c.distribution = lower(name);
  c.a = a;
  c.b = b;
  check_distribution("WeightInitConfig::distribution_of", c.distribution, a, b);
  return c;
}

WeightInitConfig WeightInitConfig::from_name(const std::string& name) {
  const std::string u = upper(name);
  const std::string prefix = "DISTRIBUTION:";
  if (u.compare(0, prefix.size(), prefix) == 0) {
    // distribution:<name>(a[,b])
    const std::string rest = lower(name.substr(prefix.size()));
    const auto open = rest.find('('), close = rest.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open)
      throw InvalidArgument("WeightInitConfig::from_name: '" + name +
                            "' is not of the form distribution:<name>(a,b), e.g. distribution:normal(0,0.01)");
    const std::string dist = rest.substr(0, open);
    std::string args = rest.substr(open + 1, close - open - 1);
    std::replace(args.begin(), args.end(), ',', ' ');
    std::istringstream in(args);
    double a = 0, b = 1;
    if (!(in >> a)) throw InvalidArgument("WeightInitConfig::from_name: no parameters in '" + name + "'");
    if (!(in >> b)) b = (dist == "constant") ? 0 : 1;
    return distribution_of(dist, a, b);
  }
  const auto& names = weight_init_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == u) {
      WeightInitConfig c;
      c.scheme = static_cast<WeightInit>(i);
      return c;
    }
  throw InvalidArgument("WeightInitConfig::from_name: unknown weight init '" + name + "' (known: " + join(names) +
                        ", or distribution:normal(mean,std) / uniform(lo,hi) / truncated_normal(mean,std) / "
                        "lognormal(mean,std) / constant(value))");
}

std::string WeightInitConfig::name() const {
  if (scheme != WeightInit::DISTRIBUTION) return weight_init_names()[static_cast<std::size_t>(scheme)];
  return "distribution:" + distribution + "(" + number(a) + "," + number(b) + ")";
}

nlohmann::json WeightInitConfig::to_json() const {
  nlohmann::json j{{"scheme", weight_init_names()[static_cast<std::size_t>(scheme)]}};
  if (scheme == WeightInit::DISTRIBUTION) {
    j["distribution"] = distribution;
    j["a"] = a;
    j["b"] = b;
  }
  return j;
}

WeightInitConfig WeightInitConfig::from_json(const nlohmann::json& j) {
  if (j.is_string()) return from_name(j.get<std::string>());
  if (!j.is_object() || !j.contains("scheme") || !j["scheme"].is_string())
    throw InvalidArgument("WeightInitConfig::from_json: expected a name or an object with a string \"scheme\", got " +
                          j.dump());
  WeightInitConfig c = from_name(j["scheme"].get<std::string>());
  if (c.scheme == WeightInit::DISTRIBUTION)
    c = distribution_of(j.value("distribution", std::string("normal")), j.value("a", 0.0), j.value("b", 1.0));
  return c;
}

bool WeightInitConfig::operator==(const WeightInitConfig& o) const {
  if (scheme != o.scheme) return false;
  return scheme != WeightInit::DISTRIBUTION || (distribution == o.distribution && a == o.a && b == o.b);
}

namespace {
// Redraws elements outside mean +- 2 std from fresh fills until none is left (deterministic for a seed).
Tensor truncated_normal(const Shape& shape, double mean, double stddev, Generator& gen, DType dtype) {
  Tensor t = gen.normal(shape, mean, stddev, dtype);
  const double lo = mean - 2 * stddev, hi = mean + 2 * stddev;
  for (int round = 0; round < 64; ++round) {
    bool any = false;
    t.visit([&](const auto& a) {
      for (std::size_t i = 0; i < a.size() && !any; ++i) any = a.data()[i] < lo || a.data()[i] > hi;
    });
    if (!any) return t;
    const Tensor fresh = gen.normal(shape, mean, stddev, dtype);
    t.visit([&](auto& a) {
      using T = kernels::value_of<decltype(a)>;
      const T* f = fresh.data<T>();
      T* p = a.data();
      for (std::size_t i = 0; i < a.size(); ++i)
        if (p[i] < lo || p[i] > hi) p[i] = f[i];
    });
  }
  // stddev 0 or pathological: clamp the rest
  t.visit([&](auto& a) {
    using T = kernels::value_of<decltype(a)>;
    for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = std::min(std::max(a.data()[i], T(lo)), T(hi));
  });
  return t;
}
}  // namespace

Tensor initialize_weights(const WeightInitConfig& config, std::size_t fan_in, std::size_t fan_out, const Shape& shape,
                          Generator& gen, DType dtype) {
  const double in = static_cast<double>(fan_in), out = static_cast<double>(fan_out);
  auto need = [&](bool ok, const char* what) {
    if (!ok)
      throw InvalidArgument("initialize_weights(" + config.name() + "): " + what + ", got fan_in " +
                            std::to_string(fan_in) + ", fan_out " + std::to_string(fan_out) + " for shape " +
                            shape_string(shape));
  };
  auto uniform = [&](double s) { return gen.uniform(shape, -s, s, dtype); };
  switch (config.scheme) {
    case WeightInit::XAVIER:
      need(fan_in + fan_out >= 1, "needs fan_in + fan_out >= 1");
      return gen.normal(shape, 0.0, std::sqrt(2.0 / (in + out)), dtype);
    case WeightInit::XAVIER_UNIFORM:
      need(fan_in + fan_out >= 1, "needs fan_in + fan_out >= 1");
      return uniform(std::sqrt(6.0 / (in + out)));
    case WeightInit::XAVIER_FAN_IN:
    case WeightInit::LECUN_NORMAL:
    case WeightInit::NORMAL:
      need(fan_in >= 1, "needs fan_in >= 1");
      return gen.normal(shape, 0.0, 1.0 / std::sqrt(in), dtype);
    case WeightInit::RELU:
      need(fan_in >= 1, "needs fan_in >= 1");
      return gen.normal(shape, 0.0, std::sqrt(2.0 / in), dtype);
    case WeightInit::RELU_UNIFORM:
      need(fan_in >= 1, "needs fan_in >= 1");
      return uniform(std::sqrt(6.0 / in));
    case WeightInit::LECUN_UNIFORM:
      need(fan_in >= 1, "needs fan_in >= 1");
      return uniform(3.0 / std::sqrt(in));
    case WeightInit::UNIFORM:
      need(fan_in >= 1, "needs fan_in >= 1");
      return uniform(1.0 / std::sqrt(in));
    case WeightInit::ZERO:
      return Tensor::zeros(shape, dtype);
    case WeightInit::ONES:
      return Tensor::full(shape, 1.0, dtype);
    case WeightInit::DISTRIBUTION: {
      const std::string& d = config.distribution;
      check_distribution("initialize_weights", d, config.a, config.b);
      if (d == "normal") return gen.normal(shape, config.a, config.b, dtype);
      if (d == "uniform") return gen.uniform(shape, config.a, config.b, dtype);
      if (d == "truncated_normal") return truncated_normal(shape, config.a, config.b, gen, dtype);
      if (d == "constant") return Tensor::full(shape, config.a, dtype);
      // lognormal: exp(N(a, b))
      Tensor t = gen.normal(shape, config.a, config.b, dtype);
      t.visit([](auto& a) {
        for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = std::exp(a.data()[i]);
      });
      return t;
    }
  }
  throw InvalidArgument("initialize_weights: invalid scheme");
}

}  // namespace xgrad::nn
