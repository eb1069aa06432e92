// Priors and posteriors (prior.hpp, posterior.hpp): the standard-normal and mixture-of-Gaussians priors
// against closed forms, their registries and errors, the conformance checker for priors (a wrong prior
// fails it), entropy, and the KL at given samples (analytic = the fused op, Monte-Carlo otherwise).
#include "distribution_helpers.hpp"
#include "nn/distributions/kl.hpp"
#include "nn/distributions/mixture_prior.hpp"
#include "nn/distributions/posterior.hpp"
#include "nn/distributions/prior_conformance.hpp"
#include "nn/distributions/standard_normal_prior.hpp"
#include "nn/distributions/vamp_prior.hpp"
#include "nn/ops/vae_ops.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
constexpr double kLog2Pi = 1.8378770664093454836;
double normal_logpdf(double z, double mu, double lv) {
  return -0.5 * (kLog2Pi + lv + (z - mu) * (z - mu) * std::exp(-lv));
}
nn::LatentContext context(std::size_t j, Generator& gen) {
  return {j, DType::float64, &gen};
}

// A prior whose density is off by a factor e^0.1: the checker must catch it.
class Unnormalised : public nn::StandardNormalPrior {
 public:
  using StandardNormalPrior::StandardNormalPrior;
  std::string name() const override { return "test_unnormalised"; }
  nlohmann::json config() const override { return {{"type", name()}}; }
  Variable log_prob(const Variable& z) override { return StandardNormalPrior::log_prob(z) + 0.1; }
  std::shared_ptr<const nn::LatentDistribution> distribution(std::size_t rows, DType dtype) override {
    return Prior::distribution(rows, dtype);
  }
};
// An encoder for VampPrior tests: q(z|x) = N(x A, diag e^(x B - 0.3)) with fixed A, B [3, J] (no parameters).
class AffineEncoder : public nn::LatentEncoder {
 public:
  explicit AffineEncoder(std::size_t j) : a_(random_tensor({3, j}, 11, -1.5, 1.5)), b_(random_tensor({3, j}, 12)) {}
  std::size_t input_width() const override { return 3; }
  nn::LatentSupport support() const override { return {}; }
  std::shared_ptr<const nn::LatentDistribution> encode_density(const Variable& x) override {
    return std::make_shared<nn::DiagonalGaussian>(matmul(x, constant(a_)), matmul(x, constant(b_)) * 0.5 - 0.3);
  }
  const Tensor& a() const { return a_; }
  const Tensor& b() const { return b_; }

 private:
  Tensor a_, b_;
};
}  // namespace

BOOST_AUTO_TEST_SUITE(priors)

BOOST_AUTO_TEST_CASE(vamp_prior_is_the_mixture_of_the_encoded_pseudo_inputs) {
  Generator gen(6);
  AffineEncoder enc(2);
  nn::LatentContext c = context(2, gen);
  c.encoder = &enc;
  const nn::PriorPtr p = nn::prior_from_config({{"type", "vamp"}, {"components", 4}, {"init_scale", 1.0}}, c);
  BOOST_TEST(p->describe() == "vamp(K=4)");
  BOOST_TEST(p->config() == (nlohmann::json{{"type", "vamp"}, {"components", 4}, {"init_scale", 1.0}}));
  BOOST_TEST(p->named_parameters().size() == 1u);
  BOOST_TEST(p->named_parameters()[0].name == "pseudo_inputs");
  const Tensor u = p->parameter("pseudo_inputs").value();
  BOOST_TEST(u.shape() == (Shape{4, 3}));
  const Tensor z = f64({3, 2}, {0.3, -0.7, 1.9, 0.4, -1.0, 0.0});
  NoGradGuard guard;
  const Tensor lp = p->log_prob(constant(z)).value();
  // by hand: log (1/K) sum_k N(z; u_k A, e^(u_k B / 2 - 0.3))
  for (std::size_t r = 0; r < 3; ++r) {
    double s = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      double l = 0;
      for (std::size_t j = 0; j < 2; ++j) {
        double mu = 0, lv = 0;
        for (std::size_t d = 0; d < 3; ++d) {
          mu += u.at(k * 3 + d) * enc.a().at(d * 2 + j);
          lv += u.at(k * 3 + d) * enc.b().at(d * 2 + j);
        }
        l += normal_logpdf(z.at(2 * r + j), mu, 0.5 * lv - 0.3);
      }
      s += std::exp(l) / 4;
    }
    BOOST_TEST(std::fabs(lp.at(r) - std::log(s)) < 1e-12, "row " << r);
  }
  // no analytic KL with a Gaussian posterior: the Monte-Carlo estimate
  const nn::DiagonalGaussian q(constant(f64({1, 2}, {0.1, 0.2})), constant(f64({1, 2}, {0.0, -0.5})));
  BOOST_TEST(!nn::has_analytic_kl(q, *p->distribution(1, DType::float64)));
  // it needs the encoder
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "vamp"}, {"components", 2}}, context(2, gen));
      },
      {"VampPrior", "LatentContext::encoder", "VariationalAutoencoder"});
  c.encoder = &enc;
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "vamp"}}, c);
      },
      {"vamp", "missing \"components\""});
}

BOOST_AUTO_TEST_CASE(vamp_prior_conforms) {
  nn::PriorConformanceOptions o;
  o.encoder = [](std::size_t j) { return std::make_shared<AffineEncoder>(j); };
  for (const nlohmann::json& cfg : {nlohmann::json{{"type", "vamp"}, {"components", 3}, {"init_scale", 1.0}},
                                    nlohmann::json{{"type", "vamp"}, {"components", 1}}}) {
    const nn::ConformanceReport r = nn::check_prior_conformance(cfg, o);
    BOOST_TEST(r.ok, cfg.dump() << ":\n" << r.str());
    BOOST_TEST(r.lines.size() >= 6u, r.str());
  }
}

BOOST_AUTO_TEST_CASE(standard_normal_prior_is_the_standard_normal) {
  Generator gen(1);
  const nn::PriorPtr p = nn::prior_from_config("standard_normal", context(2, gen));
  BOOST_TEST(p->name() == "standard_normal");
  BOOST_TEST(p->parameter_count() == 0u);
  const Tensor z = f64({3, 2}, {0.0, 0.0, 1.0, -2.0, 0.5, 0.25});
  NoGradGuard guard;
  const Tensor lp = p->log_prob(constant(z)).value();
  for (std::size_t r = 0; r < 3; ++r)
    BOOST_TEST(std::fabs(lp.at(r) - normal_logpdf(z.at(2 * r), 0, 0) - normal_logpdf(z.at(2 * r + 1), 0, 0)) < 1e-12);
  const auto d = p->distribution(4, DType::float64);
  BOOST_TEST(d->type_name() == "StandardNormal");
  BOOST_TEST(d->rows() == 4u);
  BOOST_TEST(d->has_entropy());
  BOOST_TEST(std::fabs(d->entropy().value().at(0) - (kLog2Pi + 1.0)) < 1e-12);  // 2 * 0.5 (log 2pi + 1)
  BOOST_TEST(p->mean(DType::float64).to_vector() == (std::vector<double>{0.0, 0.0}));
}

BOOST_AUTO_TEST_CASE(mixture_log_prob_is_the_logsumexp_of_the_components) {
  Generator gen(2);
  nn::MixtureOfGaussiansPrior p(2, 3, gen, DType::float64);
  BOOST_TEST(p.parameter_count() == 3u * 2 + 3 * 2 + 3);
  // set the parameters to known values
  const std::vector<double> mu{0.5, -1.0, 2.0, 0.0, -1.5, 1.0}, lv{0.0, 0.3, -0.5, 0.2, 0.1, -0.2},
      logits{0.2, -0.4, 1.0};
  p.parameter("means").mutable_value() = f64({3, 2}, mu);
  p.parameter("log_variances").mutable_value() = f64({3, 2}, lv);
  p.parameter("logits").mutable_value() = f64({3}, logits);
  const Tensor z = f64({2, 2}, {0.3, -0.7, 1.9, 0.4});
  NoGradGuard guard;
  const Tensor lp = p.log_prob(constant(z)).value();
  double norm = 0;
  for (double l : logits) norm += std::exp(l);
  for (std::size_t r = 0; r < 2; ++r) {
    double s = 0;
    for (std::size_t k = 0; k < 3; ++k)
      s += std::exp(logits[k]) / norm *
           std::exp(normal_logpdf(z.at(2 * r), mu[2 * k], lv[2 * k]) +
                    normal_logpdf(z.at(2 * r + 1), mu[2 * k + 1], lv[2 * k + 1]));
    BOOST_TEST(std::fabs(lp.at(r) - std::log(s)) < 1e-12);
  }
  // mean = sum_k pi_k m_k
  const Tensor m = p.mean(DType::float64);
  for (std::size_t j = 0; j < 2; ++j) {
    double want = 0;
    for (std::size_t k = 0; k < 3; ++k) want += std::exp(logits[k]) / norm * mu[2 * k + j];
    BOOST_TEST(std::fabs(m.at(j) - want) < 1e-12);
  }
  BOOST_TEST(p.distribution(5, DType::float64)->mean().value().shape() == (Shape{5, 2}));
  BOOST_TEST(!p.distribution(5, DType::float64)->has_rsample());
}

BOOST_AUTO_TEST_CASE(mixture_log_prob_gradients_in_z_and_every_parameter) {
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) { return nn::DiagonalGaussianMixture(2, v[1], v[2], v[3]).log_prob(v[0]); },
      (std::vector<Tensor>{random_tensor({4, 3}, 1, -2, 2), random_tensor({4, 3}, 2), random_tensor({4, 3}, 3),
                           random_tensor({4}, 4)}));
}

BOOST_AUTO_TEST_CASE(builtin_priors_conform_and_a_wrong_one_fails) {
  for (const nlohmann::json& cfg :
       {nlohmann::json("standard_normal"), nlohmann::json{{"type", "mog"}, {"components", 3}},
        nlohmann::json{{"type", "mog"}, {"components", 2}, {"init_scale", 2.0}}}) {
    const nn::ConformanceReport r = nn::check_prior_conformance(cfg);
    BOOST_TEST(r.ok, cfg.dump() << ":\n" << r.str());
    BOOST_TEST(r.lines.size() >= 6u, r.str());
  }
  nn::register_prior("test_unnormalised", [](const nlohmann::json&, const nn::LatentContext& c) -> nn::PriorPtr {
    return std::make_shared<Unnormalised>(c.latent_dim);
  });
  const nn::ConformanceReport bad = nn::check_prior_conformance("test_unnormalised");
  BOOST_TEST(!bad.ok);
  BOOST_TEST(bad.str().find("FAIL normalised") != std::string::npos, bad.str());
  BOOST_TEST(bad.str().find("1.105") != std::string::npos, bad.str());  // e^0.1
}

BOOST_AUTO_TEST_CASE(registry_round_trip_and_errors) {
  Generator gen(3);
  const nn::PriorPtr p =
      nn::prior_from_config({{"type", "mog"}, {"components", 4}, {"init_scale", 0.5}}, context(3, gen));
  BOOST_TEST(p->config() == (nlohmann::json{{"type", "mog"}, {"components", 4}, {"init_scale", 0.5}}));
  BOOST_TEST(p->describe() == "mog(K=4)");
  const auto names = nn::registered_priors();
  BOOST_TEST((std::find(names.begin(), names.end(), "mog") != names.end()));
  check_throws_with<InvalidArgument>(
      [&] { nn::prior_from_config("nope", context(2, gen)); },
      {"prior_from_config", "unknown prior 'nope'", "mog", "standard_normal", "register_prior"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "mog"}}, context(2, gen));
      },
      {"mog", "missing \"components\""});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "mog"}, {"components", -1}}, context(2, gen));
      },
      {"components", "non-negative integer", "-1"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "mog"}, {"components", 0}}, context(2, gen));
      },
      {"MixtureOfGaussiansPrior", "components must be >= 1"});
  check_throws_with<InvalidArgument>([&] { nn::prior_from_config(nlohmann::json(3), context(2, gen)); },
                                     {"prior_from_config", "string \"type\"", "3"});
  check_throws_with<InvalidArgument>([&] { nn::prior_from_config("standard_normal", context(0, gen)); },
                                     {"latent width", "is 0"});
  check_throws_with<ShapeError>([&] { p->log_prob(constant(f64({1, 2}, {0, 0}))); }, {"mog(K=4)", "[1,2]", "[M, 3]"});
  check_throws_with<InvalidArgument>([&] { nn::posterior_from_config("flowz", context(2, gen)); },
                                     {"unknown posterior 'flowz'", "diagonal_gaussian", "register_posterior"});
}

BOOST_AUTO_TEST_CASE(diagonal_gaussian_posterior_entropy_and_noise) {
  Generator gen(4);
  const nn::PosteriorPtr post = nn::posterior_from_config("diagonal_gaussian", context(2, gen));
  const Tensor mu = f64({2, 2}, {0.5, -1.0, 0.0, 2.0}), lv = f64({2, 2}, {0.3, -0.5, 1.0, 0.0});
  const auto q = post->distribution(constant(mu), constant(lv));
  BOOST_TEST(q->type_name() == "DiagonalGaussian");
  NoGradGuard guard;
  // H = sum_j 0.5 (log 2pi + 1 + lv_j) against -E log q by Monte Carlo
  const Tensor h = q->entropy().value();
  const Tensor noise = q->draw_noise(gen, 100000);
  BOOST_TEST(noise.shape() == (Shape{200000, 2}));
  const Tensor lq = q->log_prob(q->rsample(noise)).value();
  for (std::size_t n = 0; n < 2; ++n) {
    BOOST_TEST(std::fabs(h.at(n) - 0.5 * (2 * (kLog2Pi + 1) + lv.at(2 * n) + lv.at(2 * n + 1))) < 1e-12);
    double s = 0;
    for (std::size_t l = 0; l < 100000; ++l) s -= lq.at(2 * l + n);
    BOOST_TEST(std::fabs(s / 100000 - h.at(n)) < 0.02);  // sd of log q is 1 here: 5 SE = 0.016
  }
  // the same noise gives the same z (common random numbers)
  BOOST_TEST(q->rsample(noise).value().to_vector() == q->rsample(noise).value().to_vector());
}

BOOST_AUTO_TEST_CASE(kl_at_samples_is_the_fused_op_or_the_monte_carlo_estimate) {
  Generator gen(5);
  const Tensor mu = f64({2, 2}, {0.5, -1.0, 0.0, 2.0}), lv = f64({2, 2}, {0.3, -0.5, 1.0, 0.0});
  const nn::DiagonalGaussian q(constant(mu), constant(lv));
  const Tensor eps = q.draw_noise(gen, 3);
  const nn::LatentSample s = q.rsample_with_log_prob(eps);
  NoGradGuard guard;
  const nn::SampledKl a = nn::kl_at_samples(q, nn::StandardNormal(2, 2, DType::float64), s, 3);
  BOOST_TEST(a.analytic);
  BOOST_TEST(a.kl.value().to_vector() == nn::gaussian_kl_standard(q.mu(), q.logvar()).value().to_vector());
  BOOST_TEST(a.log_p.shape() == (Shape{6}));
  nn::MixtureOfGaussiansPrior mog(2, 2, gen, DType::float64);
  const auto p = mog.distribution(2, DType::float64);
  const nn::SampledKl b = nn::kl_at_samples(q, *p, s, 3);
  BOOST_TEST(!b.analytic);
  const Tensor lq = q.log_prob(s.z).value(), lp = p->log_prob(s.z).value();
  for (std::size_t n = 0; n < 2; ++n) {
    double want = 0;
    for (std::size_t l = 0; l < 3; ++l) want += (lq.at(l * 2 + n) - lp.at(l * 2 + n)) / 3;
    BOOST_TEST(std::fabs(b.kl.value().at(n) - want) < 1e-12);
  }
}

BOOST_AUTO_TEST_SUITE_END()
