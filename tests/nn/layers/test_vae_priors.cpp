// The VAE with pluggable priors and posteriors: parameter names, the JSON round trip (through the layer
// registry) and save/load of learnable prior and flow parameters, the ELBO terms (analytic vs Monte-Carlo
// KL, log q, log p, log|det J|), float64 gradient checks of the training objective (ELBO and IWAE) for every
// prior x posterior pairing with common random numbers, log p(x) by quadrature over a 1-D latent for a
// mixture prior and a flow posterior, sampling from the prior, and the errors naming the part.
#include <map>

#include "autograd/kernels.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/flow_posterior.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/mixture_prior.hpp"
#include "nn/distributions/relaxed_categorical.hpp"
#include "nn/distributions/vamp_prior.hpp"
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

// A small config of every registered prior / posterior type (a type registered without one here fails the
// pairing test, so a new type cannot skip it).
const std::map<std::string, std::vector<nlohmann::json>> kPriorExamples = {
    {"standard_normal", {{{"type", "standard_normal"}}}},
    {"mog", {{{"type", "mog"}, {"components", 3}}}},
    {"vamp", {{{"type", "vamp"}, {"components", 3}, {"init_scale", 1.0}}}},
    {"relaxed_categorical", {{{"type", "relaxed_categorical"}, {"temperature", 0.6}}}},
};
const std::map<std::string, std::vector<nlohmann::json>> kPosteriorExamples = {
    {"diagonal_gaussian", {{{"type", "diagonal_gaussian"}}}},
    {"planar", {{{"type", "planar"}, {"flows", 2}}}},
    {"iaf",
     {{{"type", "iaf"}, {"flows", 2}, {"hidden", 4}, {"init_scale", 0.5}},
      {{"type", "iaf"}, {"flows", 2}, {"hidden", 4}, {"init_scale", 0.5}, {"context", "heads"}}}},
    {"relaxed_categorical", {{{"type", "relaxed_categorical"}, {"temperature", 0.8}}}},
};
std::vector<nlohmann::json> examples_of(const std::vector<std::string>& registered,
                                        const std::map<std::string, std::vector<nlohmann::json>>& examples,
                                        const char* family) {
  std::vector<nlohmann::json> out;
  for (const std::string& name : registered) {
    const auto it = examples.find(name);
    if (it == examples.end())
      BOOST_ERROR("registered " << family << " '" << name << "' has no example config in test_vae_priors.cpp");
    else
      out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

nn::VariationalAutoencoderOptions composed(const nlohmann::json& prior, const nlohmann::json& posterior,
                                           std::size_t d = 4, std::size_t j = 2) {
  nn::VariationalAutoencoderOptions o = small_vae(d, j, std::make_shared<nn::BernoulliDistribution>());
  o.prior = prior;
  o.posterior = posterior;
  return o;
}
Tensor f64row(const Tensor& t, std::size_t r) {  // row r of a 2-D tensor as [1, C]
  const std::size_t c = t.shape()[1];
  Tensor out = Tensor::empty(Shape{1, c}, DType::float64);
  for (std::size_t j = 0; j < c; ++j) out.set(j, t.at(r * c + j));
  return out;
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
        VariationalAutoencoder v(composed({{"type", "vampire"}, {"components", 2}}, kPosteriors[0]));
      },
      {"unknown prior 'vampire'", "registered:", "mog", "vamp"});
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
  // every registered prior x every registered posterior; pairs on different supports must refuse to build
  const auto priors = examples_of(nn::registered_priors(), kPriorExamples, "prior");
  const auto posteriors = examples_of(nn::registered_posteriors(), kPosteriorExamples, "posterior");
  BOOST_TEST(priors.size() >= 4u);
  BOOST_TEST(posteriors.size() >= 4u);
  std::size_t checked = 0;
  for (const auto& prior : priors)
    for (const auto& posterior : posteriors)
      for (const bool iwae : {false, true}) {
        nn::VariationalAutoencoderOptions o = composed(prior, posterior);
        o.num_samples = 3;
        o.objective = iwae ? nn::VaeObjective::iwae : nn::VaeObjective::elbo;
        o.reg.l2 = 0.01;
        Generator probe(1);
        const nn::LatentContext c{2, DType::float64, &probe};
        const nn::PosteriorPtr post = nn::posterior_from_config(posterior, c);
        const bool vamp = prior["type"] == "vamp";
        if (!vamp && nn::prior_from_config(prior, c)->support() != post->support()) {
          check_throws_with<InvalidArgument>([&] { VariationalAutoencoder v(o); },
                                             {"lives on", prior["type"].get<std::string>()});
          continue;
        }
        ++checked;
        VariationalAutoencoder vae(o);
        const Variable x = constant(vae_data("binary", 3, 4, 9));
        const GradcheckResult r = nn::gradcheck_module(vae, [&] {
          vae.seed(77);
          return vae.pretrain_loss(x);
        });
        BOOST_TEST(r.ok, prior.dump() << " x " << posterior.dump() << (iwae ? " iwae: " : " elbo: ") << r.message);
        BOOST_TEST(r.checked == vae.parameter_count());
      }
  // R^J: 3 priors x 3 posteriors; simplices: relaxed and vamp x relaxed
  BOOST_TEST(checked >= 2 * 11u);
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

BOOST_AUTO_TEST_CASE(vamp_prior_mixes_the_posterior_at_its_pseudo_inputs_and_is_saved_with_the_model) {
  for (const auto& posterior : kPosteriors) {
    VariationalAutoencoder vae(composed({{"type", "vamp"}, {"components", 3}, {"init_scale", 0.5}}, posterior));
    const auto names = names_of(vae);
    BOOST_TEST(names.back() == "prior.pseudo_inputs");
    BOOST_TEST(vae.parameter("prior.pseudo_inputs").value().shape() == (Shape{3, 4}));  // [K, n_in]
    // log p(z) = logsumexp_k log N(z; mu(u_k), sigma^2(u_k)) - log K (the base Gaussian for a flow posterior)
    NoGradGuard guard;
    const Variable u = vae.parameter("prior.pseudo_inputs");
    const nn::DiagonalGaussian q = vae.encode(u);
    const Tensor z = vae_data("real", 5, 2, 3);
    const Tensor lp = vae.prior().log_prob(constant(z)).value();
    for (std::size_t i = 0; i < 5; ++i) {
      double s = 0;
      for (std::size_t k = 0; k < 3; ++k) {
        const nn::DiagonalGaussian qk(constant(f64row(q.mu().value(), k)), constant(f64row(q.logvar().value(), k)));
        s += std::exp(qk.log_prob(constant(f64row(z, i))).value().at(0)) / 3;
      }
      BOOST_TEST(std::fabs(lp.at(i) - std::log(s)) < 1e-12);
    }
    // ELBO terms: Monte-Carlo KL against the prior
    vae.seed(2);
    const nn::ElboTerms t = vae.elbo(constant(vae_data("binary", 3, 4, 2)), 2);
    BOOST_TEST(!t.analytic_kl);
    check_close(t.log_p.value(), vae.prior().log_prob(t.z).value().to_vector(), 1e-14);
    // config round trip and save/load of the pseudo-inputs
    const nlohmann::json cfg = vae.config();
    BOOST_TEST(cfg["prior"] == (nlohmann::json{{"type", "vamp"}, {"components", 3}, {"init_scale", 0.5}}));
    vae.parameter("prior.pseudo_inputs").mutable_value() =
        Tensor::from(Shape{3, 4}, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2}, DType::float64);
    TempDir dir;
    nn::save_model(dir.file("v.xgrad"), vae, cfg);
    const nn::LoadedModel loaded = nn::load_model(dir.file("v.xgrad"));
    const auto back = std::dynamic_pointer_cast<VariationalAutoencoder>(nn::layer_from_config(loaded.config));
    BOOST_REQUIRE(back != nullptr);
    BOOST_TEST(back->config() == cfg);
    back->to(DType::float64);
    nn::load_parameters_into(*back, loaded);
    for (const auto& p : vae.named_parameters())
      BOOST_TEST(back->parameter(p.name).value().to_vector() == p.variable.value().to_vector(), p.name);
    const Tensor zz = vae_data("real", 4, 2, 8);
    BOOST_TEST(back->prior().log_prob(constant(zz)).value().to_vector() ==
               vae.prior().log_prob(constant(zz)).value().to_vector());
    // sampling: the mixture's mean
    vae.seed(4);
    const Tensor draws = vae.sample_prior(20000);
    const Tensor m = vae.prior().mean(DType::float64);
    for (std::size_t j = 0; j < 2; ++j) {
      double s = 0, s2 = 0;
      for (std::size_t i = 0; i < 20000; ++i) s += draws.at(2 * i + j);
      for (std::size_t i = 0; i < 20000; ++i) s2 += std::pow(draws.at(2 * i + j) - s / 20000, 2);
      BOOST_TEST(std::fabs(s / 20000 - m.at(j)) < 5 * std::sqrt(s2 / 19999 / 20000));
    }
  }
}

BOOST_AUTO_TEST_CASE(relaxed_categorical_latent_in_the_vae) {
  // 2 groups of 3 classes: n_out = 6
  const nlohmann::json post{{"type", "relaxed_categorical"}, {"groups", 2}, {"classes", 3}, {"temperature", 0.7}};
  const nlohmann::json prior{{"type", "relaxed_categorical"}, {"groups", 2}, {"classes", 3}, {"temperature", 0.5}};
  VariationalAutoencoder vae(composed(prior, post, 4, 6));
  BOOST_TEST(vae.posterior().describe() == "relaxed_categorical(2x3, T=0.7)");
  const Variable x = constant(vae_data("binary", 3, 4, 2));
  NoGradGuard guard;
  vae.seed(3);
  const nn::ElboTerms t = vae.elbo(x, 2);
  BOOST_TEST(!t.analytic_kl);
  BOOST_TEST(t.eps.shape() == (Shape{6, 6}));
  // z on the simplices; log q is the Concrete density of the posterior at z, log p the prior's
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t g = 0; g < 2; ++g) {
      double s = 0;
      for (std::size_t c = 0; c < 3; ++c) s += t.z.value().at(r * 6 + g * 3 + c);
      BOOST_TEST(std::fabs(s - 1.0) < 1e-12);
    }
  check_close(t.log_q.value(), t.posterior->log_prob(t.z).value().to_vector(), 1e-10);
  check_close(t.log_p.value(), vae.prior().log_prob(t.z).value().to_vector(), 1e-14);
  for (std::size_t n = 0; n < 3; ++n)
    BOOST_TEST(std::fabs(t.kl.value().at(n) - 0.5 * (t.log_q.value().at(n) - t.log_p.value().at(n) +
                                                     t.log_q.value().at(n + 3) - t.log_p.value().at(n + 3))) < 1e-12);
  // the logits are the mean head: the same z from the same Gumbel noise
  const nn::DiagonalGaussian heads = vae.encode(x);
  const nn::RelaxedCategorical q(heads.mu(), 2, 3, 0.7);
  check_close(t.z.value(), q.rsample(t.eps).value().to_vector(), 1e-14);
  // log p(x) and sampling from the prior work; config round trip
  vae.seed(4);
  const Tensor ll = vae.log_likelihood(x.value(), 200);
  BOOST_TEST(std::isfinite(ll.at(0)));
  const Tensor zs = vae.sample_prior(5);
  BOOST_TEST(zs.shape() == (Shape{5, 6}));
  BOOST_TEST(std::fabs(zs.at(0) + zs.at(1) + zs.at(2) - 1.0) < 1e-12);
  const nlohmann::json cfg = vae.config();
  BOOST_TEST(cfg["posterior"] == post);
  BOOST_TEST(cfg["prior"] == prior);
  const auto rebuilt = std::dynamic_pointer_cast<VariationalAutoencoder>(nn::layer_from_config(cfg));
  BOOST_TEST(rebuilt->config() == cfg);
  // a relaxed posterior with a prior on R^J (and the reverse) is refused, naming both
  check_throws_with<InvalidArgument>(
      [&] { VariationalAutoencoder v(composed(kPriors[0], post, 4, 6)); },
      {"relaxed_categorical(2x3, T=0.7)", "2 simplices of 3 classes", "standard_normal", "R^6"});
  check_throws_with<InvalidArgument>([&] { VariationalAutoencoder v(composed(prior, kPosteriors[1], 4, 6)); },
                                     {"planar x 2", "R^6", "relaxed_categorical(2x3, T=0.5)"});
  check_throws_with<InvalidArgument>([&] { VariationalAutoencoder v(composed(prior, post, 4, 5)); },
                                     {"latent width 5"});
}

BOOST_AUTO_TEST_SUITE_END()
