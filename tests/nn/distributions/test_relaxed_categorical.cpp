// The relaxed categorical (Concrete / Gumbel-softmax) latent: its log density against the formula of
// Maddison et al. 2017 evaluated by hand, the sampler (groups on the simplex, the Gumbel-max property of the
// argmax), float64 gradient checks of the density and of the reparameterised sample, the prior through the
// conformance checker (integrals over the simplex), the registries and their errors.
#include "distribution_helpers.hpp"
#include "nn/distributions/kl.hpp"
#include "nn/distributions/prior_conformance.hpp"
#include "nn/distributions/relaxed_categorical.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
// log Concrete density of one group by hand (Maddison et al. 2017, eq. 5 in log form)
double concrete_logpdf(const std::vector<double>& z, const std::vector<double>& a, double t) {
  const std::size_t c = z.size();
  double fact = 0, s = 0, inner = 0;
  for (std::size_t k = 1; k < c; ++k) fact += std::log(static_cast<double>(k));
  for (std::size_t k = 0; k < c; ++k) {
    s += a[k] - (t + 1) * std::log(z[k]);
    inner += std::exp(a[k] - t * std::log(z[k]));
  }
  return fact + static_cast<double>(c - 1) * std::log(t) + s - static_cast<double>(c) * std::log(inner);
}
// a relaxed categorical prior that forgets the normaliser log (C-1)! + (C-1) log lambda: the checker must catch it
class UnnormalisedConcrete : public nn::RelaxedCategoricalPrior {
 public:
  UnnormalisedConcrete(std::size_t g, std::size_t c, double t) : RelaxedCategoricalPrior(g, c, t), t_(t), c_(c) {}
  std::string name() const override { return "test_unnormalised_concrete"; }
  nlohmann::json config() const override { return {{"type", name()}}; }
  Variable log_prob(const Variable& z) override {
    return RelaxedCategoricalPrior::log_prob(z) -
           (std::lgamma(static_cast<double>(c_)) + static_cast<double>(c_ - 1) * std::log(t_));
  }

 private:
  double t_;
  std::size_t c_;
};
nn::LatentContext concrete_context(std::size_t j, Generator& gen) {
  return {j, DType::float64, &gen};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(relaxed_categorical)

BOOST_AUTO_TEST_CASE(log_prob_is_the_concrete_density_and_samples_lie_on_the_simplex) {
  // N = 2 examples, G = 2 groups of C = 3 classes
  const std::vector<double> logits{0.5, -1.0, 2.0, 0.0, 0.3, -0.2, 1.0, 1.0, -1.5, -0.5, 0.2, 0.8};
  const nn::RelaxedCategorical q(constant(f64({2, 6}, logits)), 2, 3, 0.6);
  BOOST_TEST(q.rows() == 2u);
  BOOST_TEST(q.dim() == 6u);
  Generator gen(1);
  const Tensor noise = q.draw_noise(gen, 2);  // L = 2: [4, 6]
  BOOST_TEST(noise.shape() == (Shape{4, 6}));
  NoGradGuard guard;
  const nn::LatentSample s = q.rsample_with_log_prob(noise);
  const Tensor z = s.z.value();
  const Tensor lp = q.log_prob(s.z).value();
  for (std::size_t r = 0; r < 4; ++r) {
    double want = 0;
    for (std::size_t g = 0; g < 2; ++g) {
      std::vector<double> zg, ag;
      double total = 0;
      for (std::size_t c = 0; c < 3; ++c) {
        zg.push_back(z.at(r * 6 + g * 3 + c));
        ag.push_back(logits[(r % 2) * 6 + g * 3 + c]);  // row l*N + n belongs to example n
        total += zg.back();
        // z = softmax((a + g) / T)
      }
      BOOST_TEST(std::fabs(total - 1.0) < 1e-12);
      double norm = 0;
      for (std::size_t c = 0; c < 3; ++c) norm += std::exp((ag[c] + noise.at(r * 6 + g * 3 + c)) / 0.6);
      for (std::size_t c = 0; c < 3; ++c)
        BOOST_TEST(std::fabs(zg[c] - std::exp((ag[c] + noise.at(r * 6 + g * 3 + c)) / 0.6) / norm) < 1e-12);
      want += concrete_logpdf(zg, ag, 0.6);
    }
    BOOST_TEST(std::fabs(lp.at(r) - want) < 1e-10, "row " << r << ": " << lp.at(r) << " vs " << want);
    BOOST_TEST(std::fabs(s.log_q.value().at(r) - want) < 1e-10);  // from log_softmax, the same value
  }
  BOOST_TEST(!s.log_det.defined());
  check_throws_with<InvalidArgument>(
      [&] {
        q.log_prob(constant(f64({2, 6}, {0, 0.5, 0.5, 0.2, 0.3, 0.5, 0.2, 0.2, 0.6, 0.1, 0.1, 0.8})));
      },
      {"RelaxedCategorical.log_prob", "z[0, 0] = 0", "temperature"});
  check_throws_with<InvalidArgument>([&] { q.mean(); }, {"no closed form"});
  check_throws_with<ShapeError>(
      [&] {
        nn::RelaxedCategorical(constant(f64({2, 5}, std::vector<double>(10, 0.0))), 2, 3, 1.0);
      },
      {"logits [2,5]", "[N, 6]"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::RelaxedCategorical(constant(f64({1, 2}, {0, 0})), 1, 2, 0.0);
      },
      {"temperature must be finite and > 0", "0"});
}

BOOST_AUTO_TEST_CASE(argmax_of_the_sample_is_categorical_with_the_softmax_of_the_logits) {
  // Gumbel-max: argmax_c (a_c + g_c) ~ Categorical(softmax(a)), and the argmax of z = softmax((a + g)/T) is the same
  const std::vector<double> a{1.0, -0.5, 0.2, 0.0};
  const nn::RelaxedCategorical q(constant(f64({1, 4}, a)), 1, 4, 0.3);
  Generator gen(2);
  const std::size_t n = 40000;
  NoGradGuard guard;
  const Tensor z = q.rsample(q.draw_noise(gen, n)).value();
  std::vector<double> count(4, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < 4; ++c)
      if (z.at(i * 4 + c) > z.at(i * 4 + best)) best = c;
    count[best] += 1;
  }
  double norm = 0;
  for (double v : a) norm += std::exp(v);
  for (std::size_t c = 0; c < 4; ++c) {
    const double p = std::exp(a[c]) / norm, se = std::sqrt(p * (1 - p) / static_cast<double>(n));
    BOOST_TEST(std::fabs(count[c] / static_cast<double>(n) - p) < 5 * se, "class " << c);
  }
}

BOOST_AUTO_TEST_CASE(gradients_of_the_density_and_of_the_sample) {
  // log_prob in z (interior points) and the logits; the reparameterised sample and its log q in the logits
  Generator gen(3);
  const Tensor noise =
      nn::RelaxedCategorical(constant(f64({2, 6}, std::vector<double>(12, 0.0))), 2, 3, 0.8).draw_noise(gen, 2);
  const Tensor z0 = gen.uniform(Shape{4, 6}, 0.2, 0.8, DType::float64);
  XGRAD_CHECK_GRADIENT(
      [](const std::vector<Variable>& v) { return nn::RelaxedCategorical(v[1], 2, 3, 0.8).log_prob(v[0]); },
      (std::vector<Tensor>{z0, random_tensor({2, 6}, 4, -2, 2)}));
  XGRAD_CHECK_GRADIENT(
      [&](const std::vector<Variable>& v) {
        const nn::LatentSample s = nn::RelaxedCategorical(v[0], 2, 3, 0.8).rsample_with_log_prob(noise);
        return concat({s.z, reshape(s.log_q, Shape{4, 1})}, 1);
      },
      (std::vector<Tensor>{random_tensor({2, 6}, 5, -2, 2)}));
}

BOOST_AUTO_TEST_CASE(prior_conforms_on_the_simplex_and_a_wrong_one_fails) {
  for (const double t : {0.7, 2.0}) {
    const nlohmann::json cfg{{"type", "relaxed_categorical"}, {"temperature", t}};
    const nn::ConformanceReport r = nn::check_prior_conformance(cfg);
    BOOST_TEST_MESSAGE(r.str());
    BOOST_TEST(r.ok, cfg.dump() << ":\n" << r.str());
    BOOST_TEST(r.lines.size() >= 6u, r.str());
    BOOST_TEST(r.str().find("integral over the simplex") != std::string::npos, r.str());
  }
  // the density without its (C-1)! lambda^(C-1) normaliser integrates to 1 for C = 2 only when lambda = 1
  nn::register_prior("test_unnormalised_concrete",
                     [](const nlohmann::json&, const nn::LatentContext& c) -> nn::PriorPtr {
                       return std::make_shared<UnnormalisedConcrete>(1, c.latent_dim, 0.7);
                     });
  const nn::ConformanceReport bad = nn::check_prior_conformance("test_unnormalised_concrete");
  BOOST_TEST(!bad.ok);
  BOOST_TEST(bad.str().find("FAIL normalised") != std::string::npos, bad.str());
  // fixed classes cannot be built at J = 2 and 3: the checker says why
  const nn::ConformanceReport fixed = nn::check_prior_conformance({{"type", "relaxed_categorical"}, {"classes", 2}});
  BOOST_TEST(!fixed.ok);
  BOOST_TEST(fixed.str().find("FAIL config") != std::string::npos, fixed.str());
}

BOOST_AUTO_TEST_CASE(registries_round_trip_and_errors) {
  Generator gen(4);
  const nn::PosteriorPtr post =
      nn::posterior_from_config({{"type", "relaxed_categorical"}, {"groups", 2}, {"classes", 5}, {"temperature", 0.5}},
                                concrete_context(10, gen));
  BOOST_TEST(post->config() ==
             (nlohmann::json{{"type", "relaxed_categorical"}, {"groups", 2}, {"classes", 5}, {"temperature", 0.5}}));
  BOOST_TEST(post->describe() == "relaxed_categorical(2x5, T=0.5)");
  BOOST_TEST((post->support() == nn::LatentSupport{2, 5}));
  BOOST_TEST(post->support().str(10) == "2 simplices of 5 classes");
  BOOST_TEST(post->parameter_count() == 0u);
  // the logits are the mean head; the log-variance head is unused
  const auto q = post->distribution(constant(random_tensor({3, 10}, 6)), constant(random_tensor({3, 10}, 7)));
  BOOST_TEST(q->type_name() == "RelaxedCategorical");
  // defaults: posterior T = 2/3, prior T = 1/2; only classes: groups = J / C
  BOOST_TEST(
      nn::posterior_from_config({{"type", "relaxed_categorical"}, {"classes", 5}}, concrete_context(10, gen))
          ->config() ==
      (nlohmann::json{{"type", "relaxed_categorical"}, {"groups", 2}, {"classes", 5}, {"temperature", 2.0 / 3.0}}));
  const nn::PriorPtr prior =
      nn::prior_from_config({{"type", "relaxed_categorical"}, {"groups", 2}}, concrete_context(10, gen));
  BOOST_TEST(prior->config() ==
             (nlohmann::json{{"type", "relaxed_categorical"}, {"groups", 2}, {"classes", 5}, {"temperature", 0.5}}));
  BOOST_TEST(prior->mean(DType::float64).to_vector() == std::vector<double>(10, 0.2));
  // no analytic KL: Monte-Carlo at the samples
  BOOST_TEST(!nn::has_analytic_kl(*q, *prior->distribution(3, DType::float64)));
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "relaxed_categorical"}, {"groups", 3}, {"classes", 5}},
                                  concrete_context(10, gen));
      },
      {"relaxed_categorical", "3 groups x 5 classes", "latent width 10"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "relaxed_categorical"}, {"classes", 3}}, concrete_context(10, gen));
      },
      {"prior_from_config: relaxed_categorical", "latent width 10"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::prior_from_config({{"type", "relaxed_categorical"}, {"classes", 1}}, concrete_context(10, gen));
      },
      {"\"classes\" must be >= 2"});
  check_throws_with<InvalidArgument>(
      [&] {
        nn::posterior_from_config({{"type", "relaxed_categorical"}, {"temperature", -1.0}}, concrete_context(4, gen));
      },
      {"RelaxedCategoricalPosterior", "temperature", "-1"});
}

BOOST_AUTO_TEST_SUITE_END()
