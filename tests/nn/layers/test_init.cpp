// Weight initialisers: mean and variance of 200x300 draws within sampling error for every DL4J fan rule,
// bounds of the uniform ones, constants, distributions, determinism, names and JSON.
#include <cmath>

#include "nn/layers/init.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
constexpr std::size_t kIn = 200, kOut = 300, kN = kIn * kOut;

struct Moments {
  double mean = 0, var = 0, min = 1e300, max = -1e300;
};
Moments moments(const Tensor& t) {
  Moments m;
  const auto v = t.to_vector();
  for (double x : v) {
    m.mean += x;
    m.min = std::min(m.min, x);
    m.max = std::max(m.max, x);
  }
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.var += (x - m.mean) * (x - m.mean);
  m.var /= static_cast<double>(v.size() - 1);
  return m;
}

Tensor draw(const std::string& name, std::uint64_t seed = 42, DType dtype = DType::float32) {
  Generator gen(seed);
  return initialize_weights(WeightInitConfig::from_name(name), kIn, kOut, {kIn, kOut}, gen, dtype);
}

// Normal(0, s): mean within 5 standard errors, variance within 5 standard errors (sd of s^2 sqrt(2/n)).
void check_normal(const std::string& name, double s) {
  const Moments m = moments(draw(name));
  const double n = static_cast<double>(kN);
  BOOST_TEST(std::fabs(m.mean) < 5 * s / std::sqrt(n), name << ": mean " << m.mean);
  BOOST_TEST(std::fabs(m.var / (s * s) - 1) < 5 * std::sqrt(2 / n), name << ": variance " << m.var << " vs " << s * s);
}

// Uniform(-a, a): variance a^2/3 (relative sd of the estimate 3 sqrt(4/45/n)), all values inside.
void check_uniform(const std::string& name, double a) {
  const Moments m = moments(draw(name));
  const double n = static_cast<double>(kN);
  BOOST_TEST(std::fabs(m.mean) < 5 * a / std::sqrt(3 * n), name << ": mean " << m.mean);
  BOOST_TEST(std::fabs(m.var / (a * a / 3) - 1) < 5 * 3 * std::sqrt(4.0 / 45 / n),
             name << ": variance " << m.var << " vs " << a * a / 3);
  BOOST_TEST(m.min >= -a);
  BOOST_TEST(m.max <= a);
  BOOST_TEST(m.max > 0.999 * a, name << ": the range is used");
}
}  // namespace

BOOST_AUTO_TEST_SUITE(init)

BOOST_AUTO_TEST_CASE(normal_fan_rules) {
  check_normal("XAVIER", std::sqrt(2.0 / (kIn + kOut)));
  check_normal("XAVIER_FAN_IN", 1 / std::sqrt(double(kIn)));
  check_normal("RELU", std::sqrt(2.0 / kIn));
  check_normal("LECUN_NORMAL", 1 / std::sqrt(double(kIn)));
  check_normal("NORMAL", 1 / std::sqrt(double(kIn)));
}

BOOST_AUTO_TEST_CASE(uniform_fan_rules) {
  check_uniform("XAVIER_UNIFORM", std::sqrt(6.0 / (kIn + kOut)));
  check_uniform("RELU_UNIFORM", std::sqrt(6.0 / kIn));
  check_uniform("LECUN_UNIFORM", 3.0 / std::sqrt(double(kIn)));  // DL4J's formula
  check_uniform("UNIFORM", 1.0 / std::sqrt(double(kIn)));
}

BOOST_AUTO_TEST_CASE(constants) {
  const Moments z = moments(draw("ZERO")), o = moments(draw("ONES"));
  BOOST_TEST(z.min == 0.0);
  BOOST_TEST(z.max == 0.0);
  BOOST_TEST(o.min == 1.0);
  BOOST_TEST(o.max == 1.0);
  const Moments c = moments(draw("distribution:constant(0.25)"));
  BOOST_TEST(c.min == 0.25);
  BOOST_TEST(c.max == 0.25);
}

BOOST_AUTO_TEST_CASE(distributions) {
  const double n = static_cast<double>(kN);
  const Moments nm = moments(draw("distribution:normal(0.5,0.01)", 1, DType::float64));
  BOOST_TEST(std::fabs(nm.mean - 0.5) < 5 * 0.01 / std::sqrt(n));
  BOOST_TEST(std::fabs(nm.var / 1e-4 - 1) < 5 * std::sqrt(2 / n));
  const Moments um = moments(draw("distribution:uniform(-0.1,0.3)", 2, DType::float64));
  BOOST_TEST(std::fabs(um.mean - 0.1) < 5 * 0.4 / std::sqrt(12 * n));
  BOOST_TEST(um.min >= -0.1);
  BOOST_TEST(um.max <= 0.3);
  // truncated at mean +- 2 std: variance 1 - 4 phi(2) / (2 Phi(2) - 1) = 0.773741
  const Moments tm = moments(draw("distribution:truncated_normal(0,2)", 3, DType::float64));
  BOOST_TEST(tm.min >= -4.0);
  BOOST_TEST(tm.max <= 4.0);
  BOOST_TEST(std::fabs(tm.var / 4.0 - 0.773741) < 0.02);
  // lognormal(0, 0.5): mean exp(0.125)
  const Moments lm = moments(draw("distribution:lognormal(0,0.5)", 4, DType::float64));
  BOOST_TEST(lm.min > 0.0);
  BOOST_TEST(std::fabs(lm.mean - std::exp(0.125)) < 0.01);
}

BOOST_AUTO_TEST_CASE(seeded_and_typed) {
  const Tensor a = draw("XAVIER", 7), b = draw("XAVIER", 7), c = draw("XAVIER", 8);
  BOOST_TEST(a.to_vector() == b.to_vector());
  BOOST_TEST(a.to_vector() != c.to_vector());
  BOOST_TEST((a.dtype() == DType::float32));
  const Tensor d = draw("RELU", 7, DType::float64);
  BOOST_TEST((d.dtype() == DType::float64));
  BOOST_TEST((d.shape() == Shape{kIn, kOut}));
}

BOOST_AUTO_TEST_CASE(names_and_json) {
  for (const auto& n : weight_init_names()) {
    if (n == "DISTRIBUTION") continue;
    const auto c = WeightInitConfig::from_name(n);
    BOOST_TEST(c.name() == n);
    BOOST_TEST((WeightInitConfig::from_json(c.to_json()) == c));
  }
  BOOST_TEST((WeightInitConfig::from_name("xavier_uniform").scheme == WeightInit::XAVIER_UNIFORM));
  BOOST_TEST((WeightInitConfig{}.scheme == WeightInit::XAVIER));  // DL4J's default
  const auto d = WeightInitConfig::from_name("distribution:normal(0,0.01)");
  BOOST_TEST((d.scheme == WeightInit::DISTRIBUTION));
  BOOST_TEST(d.distribution == "normal");
  BOOST_TEST(d.b == 0.01);
  BOOST_TEST((WeightInitConfig::from_name(d.name()) == d));
  BOOST_TEST((WeightInitConfig::from_json(d.to_json()) == d));
  BOOST_TEST(d.to_json()["distribution"] == "normal");
  BOOST_TEST((WeightInitConfig::from_json("relu") == WeightInitConfig::from_name("RELU")));
}

BOOST_AUTO_TEST_CASE(errors) {
  test::check_throws_with<InvalidArgument>([] { WeightInitConfig::from_name("glorot"); },
                                           {"unknown weight init 'glorot'", "XAVIER", "LECUN_UNIFORM"});
  test::check_throws_with<InvalidArgument>([] { WeightInitConfig::from_name("distribution:cauchy(0,1)"); },
                                           {"unknown distribution 'cauchy'", "truncated_normal"});
  test::check_throws_with<InvalidArgument>([] { WeightInitConfig::from_name("distribution:uniform(1,0)"); },
                                           {"uniform needs lo < hi"});
  test::check_throws_with<InvalidArgument>(
      [] {
        Generator g(1);
        initialize_weights(WeightInitConfig::from_name("RELU"), 0, 3, {0, 3}, g);
      },
      {"initialize_weights(RELU)", "fan_in >= 1", "[0,3]"});
}

BOOST_AUTO_TEST_SUITE_END()
