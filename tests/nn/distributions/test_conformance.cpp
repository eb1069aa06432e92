// The conformance checker: a user distribution written from existing ops (Laplace) passes; deliberately
// broken variants fail the check that targets their defect; the quadrature is exact on known integrals.
#include "distribution_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
// Laplace(mu, b) per column, raw [N, 2D] = [mu | log b]:  log p = -log 2 - log b - |x - mu| / b
class Laplace : public nn::ReconstructionDistribution {
 public:
  std::string name() const override { return "test_laplace"; }
  std::size_t input_size(std::size_t d) const override { return 2 * d; }
  Variable log_prob(const Variable& x, const Variable& raw) const override {
    check_shapes("log_prob", x.shape(), raw.shape());
    const std::size_t d = x.shape()[1];
    const Variable mu = matmul(raw, constant(selector(2 * d, d, 0, raw.dtype())));
    const Variable logb = matmul(raw, constant(selector(2 * d, d, d, raw.dtype())));
    return sum(-std::log(2.0) - logb - abs(x - mu) / exp(logb), 1);
  }
  Tensor mean(const Tensor& raw) const override { return half(raw, 0); }
  Tensor sample(const Tensor& raw, Generator& gen) const override {
    const Tensor mu = half(raw, 0), logb = half(raw, 1);
    const Tensor u = gen.uniform(mu.shape(), -0.5, 0.5, mu.dtype());
    Tensor out = mu.clone();
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double uu = u.at(i);
      out.set(i, mu.at(i) - std::exp(logb.at(i)) * (uu < 0 ? -1.0 : 1.0) * std::log(1 - 2 * std::fabs(uu)));
    }
    return out;
  }
  nlohmann::json config() const override { return {{"type", name()}}; }

 protected:
  // [2D, D] 0/1 matrix picking columns offset..offset+D
  static Tensor selector(std::size_t rows, std::size_t cols, std::size_t offset, DType dt) {
    Tensor s = Tensor::zeros(Shape{rows, cols}, dt);
    for (std::size_t j = 0; j < cols; ++j) s.set((offset + j) * cols + j, 1.0);
    return s;
  }
  static Tensor half(const Tensor& raw, std::size_t which) {
    const std::size_t d = raw.shape()[1] / 2;
    Tensor out = Tensor::empty(Shape{raw.shape()[0], d}, raw.dtype());
    for (std::size_t r = 0; r < raw.shape()[0]; ++r)
      for (std::size_t j = 0; j < d; ++j) out.set(r * d + j, raw.at(r * 2 * d + which * d + j));
    return out;
  }
};
const bool registered = [] {
  nn::register_distribution("test_laplace", [](const nlohmann::json&) { return std::make_shared<Laplace>(); });
  return true;
}();

class WrongNormaliser : public Laplace {
 public:
  Variable log_prob(const Variable& x, const Variable& raw) const override { return Laplace::log_prob(x, raw) + 0.1; }
};
class BiasedSampler : public Laplace {
 public:
  Tensor sample(const Tensor& raw, Generator& gen) const override {
    Tensor s = Laplace::sample(raw, gen);
    for (std::size_t i = 0; i < s.size(); ++i) s.set(i, s.at(i) + 0.2);
    return s;
  }
};
class AcceptsEverything : public Laplace {
 public:
  void validate(const Tensor&, std::size_t) const override {}
};
class Detached : public Laplace {
 public:
  Variable log_prob(const Variable& x, const Variable& raw) const override {
    return Laplace::log_prob(x, raw.detach());
  }
};
class Unregistered : public Laplace {
 public:
  std::string name() const override { return "test_not_registered"; }
  nlohmann::json config() const override { return {{"type", name()}}; }
};

bool has_line(const nn::ConformanceReport& r, const std::string& prefix) {
  for (const auto& l : r.lines)
    if (l.rfind(prefix, 0) == 0) return true;
  return false;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(conformance)

BOOST_AUTO_TEST_CASE(user_laplace_passes) {
  check_conforms(Laplace());
}

BOOST_AUTO_TEST_CASE(each_defect_is_caught_by_its_check) {
  const nn::ConformanceReport a = nn::check_conformance(WrongNormaliser());
  BOOST_TEST(!a.ok);
  BOOST_TEST(has_line(a, "FAIL normalised"), a.str());
  const nn::ConformanceReport b = nn::check_conformance(BiasedSampler());
  BOOST_TEST(has_line(b, "FAIL mean"), b.str());
  BOOST_TEST(!has_line(b, "FAIL normalised"), b.str());
  const nn::ConformanceReport c = nn::check_conformance(AcceptsEverything());
  BOOST_TEST(has_line(c, "FAIL validate rejects"), c.str());
  const nn::ConformanceReport d = nn::check_conformance(Detached());
  BOOST_TEST(has_line(d, "FAIL gradient"), d.str());
  const nn::ConformanceReport e = nn::check_conformance(Unregistered());
  BOOST_TEST(has_line(e, "FAIL config"), e.str());
  BOOST_TEST(has_line(e, "PASS normalised"), e.str());
}

BOOST_AUTO_TEST_CASE(quadrature_on_known_integrals) {
  auto gauss = [](const std::vector<double>& xs) {
    std::vector<double> y;
    for (double x : xs) y.push_back(std::exp(-0.5 * x * x));
    return y;
  };
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(std::fabs(nn::integrate(gauss, -inf, inf) - std::sqrt(2 * M_PI)) < 1e-10);
  BOOST_TEST(std::fabs(nn::integrate(gauss, 0, inf) - std::sqrt(M_PI / 2)) < 1e-10);
  BOOST_TEST(std::fabs(nn::integrate(gauss, -inf, 0) - std::sqrt(M_PI / 2)) < 1e-10);
  auto inv_sqrt = [](const std::vector<double>& xs) {  // endpoint singularity
    std::vector<double> y;
    for (double x : xs) y.push_back(1 / std::sqrt(x));
    return y;
  };
  BOOST_TEST(std::fabs(nn::integrate(inv_sqrt, 0, 1) - 2.0) < 1e-9);
}

BOOST_AUTO_TEST_SUITE_END()
