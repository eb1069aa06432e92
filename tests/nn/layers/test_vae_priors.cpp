// The VAE with pluggable priors and posteriors: parameter names, the JSON round trip (through the layer
// registry) and save/load of learnable prior and flow parameters, the ELBO terms (analytic vs Monte-Carlo
// KL, log q, log p, log|det J|), float64 gradient checks of the training objective (ELBO and IWAE) for every
// prior x posterior pairing with common random numbers, log p(x) by quadrature over a 1-D latent for a
// mixture prior and a flow posterior, sampling from the prior, and the errors naming the part.
#include "autograd/kernels.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/flow_posterior.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/mixture_prior.hpp"
#include "nn/module_gradcheck.hpp"
#include "nn/train/serialization.hpp"
#include "temp_dir.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::VariationalAutoencoder;

namespace {
const nlohmann::json kPriors[] = {{{"type", "standard_normal"}}, {{"type", "mog"}, {"components", 3}}};
const nlohmann::json kPosteriors[] = {{{"type", "diagonal_gaussian"}}, {{"type", "planar"}, {"flows", 2}}};

nn::VariationalAutoencoderOptions composed(const nlohmann::json& prior, const nlohmann::json& posterior,
                                           std::size_t d = 4, std::size_t j = 2) {
  nn::VariationalAutoencoderOptions o = small_vae(d, j, std::make_shared<nn::BernoulliDistribution>());
  o.prior = prior;
  o.posterior = posterior;
  return o;
}
std::vector<std::string> names_of(const nn::Module& m) {
  std::vector<std::string> out;
  for (const auto& p : m.named_parameters()) out.push_back(p.name);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(vae_priors)

BOOST_AUTO_TEST_CASE(parameters_of_the_prior_and_the_flows_follow_dl4j_ones) {
  VariationalAutoencoder vae(composed(kPriors[1], kPosteriors[1]));
  BOOST_TEST(names_of(vae) ==
             (std::vector<std::string>{"e0W", "e0b", "pZXMeanW", "pZXMeanb", "pZXLogStd2W", "pZXLogStd2b", "d0W", "d0b",
                                       "pXZW", "pXZb", "posterior.0.u", "posterior.0.w", "posterior.0.b",
                                       "posterior.1.u", "posterior.1.w", "posterior.1.b", "prior.means",
                                       "prior.log_variances", "prior.logits"}));
  BOOST_TEST(vae.prior().describe() == "mog(K=3)");
  BOOST_TEST(vae.posterior().describe() == "planar x 2");
  // the DL4J parameters start as without the prior and the flows (drawn first from the same rng)
  VariationalAutoencoder plain(small_vae(4, 2, std::make_shared<nn::BernoulliDistribution>()));
  for (const auto& p : plain.named_parameters())
    BOOST_TEST(p.variable.value().to_vector() == vae.parameter(p.name).value().to_vector(), p.name);
  BOOST_TEST(plain.children().empty());
}

BOOST_AUTO_TEST_CASE(config_round_trip_and_save_load_of_learnable_parameters) {
  VariationalAutoencoder vae(composed({{"type", "mog"}, {"components", 2}, {"init_scale", 0.5}}, kPosteriors[1]));
  const nlohmann::json cfg = vae.config();
  BOOST_TEST(cfg["prior"] == (nlohmann::json{{"type", "mog"}, {"components", 2}, {"init_scale", 0.5}}));
  BOOST_TEST(cfg["posterior"] == (nlohmann::json{{"type", "planar"}, {"flows", 2}, {"init_scale", 0.1}}));
  const auto rebuilt = std::dynamic_pointer_cast<VariationalAutoencoder>(nn::layer_from_config(cfg));
  BOOST_REQUIRE(rebuilt != nullptr);
  BOOST_TEST(rebuilt->config() == cfg);
  BOOST_TEST(names_of(*rebuilt) == names_of(vae));
  // a config without prior/posterior (saved before they existed) gets the defaults
  nlohmann::json old = VariationalAutoencoder(small_vae(4, 2, std::make_shared<nn::BernoulliDistribution>())).config();
  old.erase("prior");
  old.erase("posterior");
  const auto dl4j = std::dynamic_pointer_cast<VariationalAutoencoder>(nn::layer_from_config(old));
  BOOST_TEST(dl4j->prior().name() == "standard_normal");
  BOOST_TEST(dl4j->posterior().name() == "diagonal_gaussian");
  // learnable values survive save/load
  vae.parameter("prior.means").mutable_value() = Tensor::from(Shape{2, 2}, {0.1, 0.2, 0.3, 0.4}, DType::float64);
  vae.parameter("posterior.1.u").mutable_value() = Tensor::from(Shape{2}, {-0.7, 0.9}, DType::float64);
  TempDir dir;
  nn::save_model(dir.file("m.xgrad"), vae, vae.config());
  const nn::LoadedModel loaded = nn::load_model(dir.file("m.xgrad"));
  const auto back = std::dynamic_pointer_cast<VariationalAutoencoder>(nn::layer_from_config(loaded.config));
  back->to(DType::float64);  // dtype is not part of a layer config
  nn::load_parameters_into(*back, loaded);
  for (const auto& p : vae.named_parameters())
    BOOST_TEST(back->parameter(p.name).value().to_vector() == p.variable.value().to_vector(), p.name);
  check_throws_with<InvalidArgument>(
      [] {
        VariationalAutoencoder v(composed({{"type", "vamp"}, {"components", 2}}, kPosteriors[0]));
      },
      {"unknown prior 'vamp'", "registered:", "mog"});
}

BOOST_AUTO_TEST_CASE(elbo_terms_with_a_mixture_prior_and_flows_use_the_monte_carlo_kl) {
  VariationalAutoencoder vae(composed(kPriors[1], kPosteriors[1]));
  const Variable x = constant(vae_data("binary", 3, 4, 2));
  NoGradGuard guard;
  vae.seed(5);
  const nn::ElboTerms t = vae.elbo(x, 2);
  BOOST_TEST(!t.analytic_kl);
  BOOST_TEST(t.log_q.shape() == (Shape{6}));
  BOOST_TEST(t.log_det.defined());
  // kl_n = (1/L) sum_l log q - log p; log q = log N(z_0) - sum log|det|
  const nn::DiagonalGaussian base = t.q;
  const Tensor z0 = base.rsample(t.eps).value();
  const Tensor lq0 = base.log_prob(constant(z0)).value();
  for (std::size_t n = 0; n < 3; ++n) {
    double kl = 0;
    for (std::size_t l = 0; l < 2; ++l) {
      const std::size_t i = l * 3 + n;
      BOOST_TEST(std::fabs(t.log_q.value().at(i) - (lq0.at(i) - t.log_det.value().at(i))) < 1e-12);
      kl += 0.5 * (t.log_q.value().at(i) - t.log_p.value().at(i));
    }
    BOOST_TEST(std::fabs(t.kl.value().at(n) - kl) < 1e-12);
    BOOST_TEST(std::fabs(t.negative_elbo.value().at(n) - (t.kl.value().at(n) - t.reconstruction.value().at(n))) <
               1e-12);
  }
  // log p is the prior's at z
  check_close(t.log_p.value(), vae.prior().log_prob(t.z).value().to_vector(), 1e-14);
  // the default pairing: analytic KL, log q and log p still shown
  VariationalAutoencoder plain(composed(kPriors[0], kPosteriors[0]));
  const nn::ElboTerms u = plain.elbo(x, 1);
  BOOST_TEST(u.analytic_kl);
  BOOST_TEST(!u.log_det.defined());
  check_close(u.log_q.value(), u.q.log_prob(u.z).value().to_vector(), 0.0);
}

BOOST_AUTO_TEST_CASE(gradients_of_the_objective_for_every_prior_and_posterior) {
  for (const auto& prior : kPriors)
    for (const auto& posterior : kPosteriors)
      for (const bool iwae : {false, true}) {
        nn::VariationalAutoencoderOptions o = composed(prior, posterior);
        o.num_samples = 3;
        o.objective = iwae ? nn::VaeObjective::iwae : nn::VaeObjective::elbo;
        o.reg.l2 = 0.01;
        VariationalAutoencoder vae(o);
        const Variable x = constant(vae_data("binary", 3, 4, 9));
        const GradcheckResult r = nn::gradcheck_module(vae, [&] {
          vae.seed(77);
          return vae.pretrain_loss(x);
        });
        BOOST_TEST(r.ok, prior.dump() << " x " << posterior.dump() << (iwae ? " iwae: " : " elbo: ") << r.message);
        BOOST_TEST(r.checked == vae.parameter_count());
      }
}

BOOST_AUTO_TEST_CASE(log_likelihood_matches_quadrature_for_a_mixture_prior_and_a_flow_posterior) {
  // log p(x) = log integral p(x|z) p(z) dz over a 1-D latent (trapezoid rule) against the importance-sampled
  // estimate, whose proposal is the flow posterior and whose prior is a 3-component mixture.
  nn::VariationalAutoencoderOptions o = composed({{"type", "mog"}, {"components", 3}, {"init_scale", 1.5}},
                                                 {{"type", "planar"}, {"flows", 2}, {"init_scale", 0.8}}, 6, 1);
  o.encoder_layer_sizes = {8};
  o.decoder_layer_sizes = {8};
  o.seed = 3;
  VariationalAutoencoder vae(o);
  // a proposal wider than the prior's components (log sigma^2 ~ 1): with sigma_q^2 < 1/2 the importance weights
  // p(z)/q(z) have infinite variance and the estimate converges too slowly for a test
  vae.parameter("pZXLogStd2b").mutable_value() = Tensor::full(Shape{1}, 1.0, DType::float64);
  const Tensor x = vae_data("binary", 4, 6, 13);
  vae.seed(14);
  const Tensor estimate = vae.log_likelihood(x, 5000);
  const std::size_t m = 4801;
  std::vector<double> grid(m);
  for (std::size_t i = 0; i < m; ++i) grid[i] = -14.0 + 28.0 * static_cast<double>(i) / static_cast<double>(m - 1);
  const double h = grid[1] - grid[0];
  NoGradGuard guard;
  const Variable zg = constant(Tensor::from(Shape{m, 1}, grid, DType::float64));
  const Variable raw = vae.decode(zg);
  const Tensor lp = vae.prior().log_prob(zg).value();
  for (std::size_t n = 0; n < 4; ++n) {
    Tensor row = Tensor::empty(Shape{1, 6}, DType::float64);
    for (std::size_t j = 0; j < 6; ++j) row.set(j, x.at(n * 6 + j));
    const Tensor ll = vae.distribution().log_prob(constant(nn::tile_rows(row, m)), raw).value();
    double mx = -INFINITY;
    std::vector<double> terms(m);
    for (std::size_t i = 0; i < m; ++i) {
      terms[i] = ll.at(i) + lp.at(i) + std::log(h);
      mx = std::max(mx, terms[i]);
    }
    double s = 0;
    for (std::size_t i = 0; i < m; ++i) s += std::exp(terms[i] - mx) * (i == 0 || i == m - 1 ? 0.5 : 1.0);
    const double truth = mx + std::log(s);
    BOOST_TEST(std::fabs(estimate.at(n) - truth) < 0.05, "example " << n << ": " << estimate.at(n) << " vs " << truth);
  }
  // the ELBO and IWAE bounds stay below log p(x) on average
  vae.seed(15);
  const Tensor iwae = vae.iwae_bound(constant(x), 50).value();
  double gap = 0;
  for (std::size_t n = 0; n < 4; ++n) gap += estimate.at(n) - iwae.at(n);
  BOOST_TEST(gap > -0.05 * 4);
}

BOOST_AUTO_TEST_CASE(sample_prior_draws_from_the_mixture) {
  VariationalAutoencoder vae(composed({{"type", "mog"}, {"components", 2}, {"init_scale", 3.0}}, kPosteriors[0]));
  vae.seed(1);
  const Tensor z = vae.sample_prior(20000);
  BOOST_TEST(z.shape() == (Shape{20000, 2}));
  const Tensor m = vae.prior().mean(DType::float64);
  for (std::size_t j = 0; j < 2; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < 20000; ++i) s += z.at(2 * i + j);
    BOOST_TEST(std::fabs(s / 20000 - m.at(j)) < 0.15);  // the mixture's sd is < 4 here: 5 SE < 0.15
  }
  BOOST_TEST(vae.generate_at_mean_given_z(z).shape() == (Shape{20000, 4}));
}

BOOST_AUTO_TEST_SUITE_END()
