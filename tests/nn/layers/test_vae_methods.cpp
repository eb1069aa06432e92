// VariationalAutoencoder behaviour: deterministic forward, the ELBO terms step by step, DL4J's
// reconstruction/generation methods and their errors, data validation, KL warm-up, and the estimators:
// ELBO <= IWAE(k) increasing in k, and log p(x) by quadrature over a 1-D latent against log_likelihood(x, 5000).
#include "autograd/kernels.hpp"
#include "autograd/ops/activations.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/loss_wrapper.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::VariationalAutoencoder;

namespace {
std::shared_ptr<VariationalAutoencoder> bernoulli_vae(std::size_t d, std::size_t j, std::uint64_t seed = 42) {
  auto o = small_vae(d, j, std::make_shared<nn::BernoulliDistribution>(), {6}, {6});
  o.seed = seed;
  return std::make_shared<VariationalAutoencoder>(o);
}
double mean_of(const Tensor& t) {
  return kernels::sum_all(t) / static_cast<double>(t.size());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(vae_methods)

BOOST_AUTO_TEST_CASE(forward_is_the_deterministic_posterior_mean) {
  auto vae = bernoulli_vae(5, 3);
  const Variable x = constant(vae_data("binary", 4, 5, 1));
  NoGradGuard guard;
  const Tensor a = vae->forward(x).value(), b = vae->forward(x).value();
  BOOST_TEST(a.shape() == (Shape{4, 3}));
  BOOST_TEST(a.to_vector() == b.to_vector());
  BOOST_TEST(a.to_vector() == vae->encode(x).mu().value().to_vector());
}

BOOST_AUTO_TEST_CASE(elbo_terms_fit_together) {
  auto vae = bernoulli_vae(5, 3);
  const Variable x = constant(vae_data("binary", 4, 5, 2));
  NoGradGuard guard;
  vae->seed(3);
  const nn::ElboTerms t = vae->elbo(x, 2, 0.7);
  BOOST_TEST(t.samples == 2u);
  BOOST_TEST(t.z.shape() == (Shape{8, 3}));
  BOOST_TEST(t.raw.shape() == (Shape{8, 5}));
  // z = mu + sigma * eps
  const Tensor mu = t.q.mu().value(), lv = t.q.logvar().value();
  for (std::size_t r = 0; r < 8; ++r)
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t n = r % 4;
      BOOST_TEST_REQUIRE(std::fabs(t.z.value().at(r * 3 + k) - (mu.at(n * 3 + k) + std::exp(0.5 * lv.at(n * 3 + k)) *
                                                                                       t.eps.at(r * 3 + k))) < 1e-12);
    }
  // reconstruction = mean over the 2 samples of log p(x|z), KL closed form, -ELBO = beta KL - reconstruction
  const Tensor ll = vae->distribution().log_prob(constant(nn::tile_rows(x.value(), 2)), t.raw).value();
  for (std::size_t n = 0; n < 4; ++n) {
    BOOST_TEST(std::fabs(t.reconstruction.value().at(n) - 0.5 * (ll.at(n) + ll.at(4 + n))) < 1e-12);
    double kl = 0;
    for (std::size_t k = 0; k < 3; ++k)
      kl += 0.5 * (std::pow(mu.at(n * 3 + k), 2) + std::exp(lv.at(n * 3 + k)) - 1 - lv.at(n * 3 + k));
    BOOST_TEST(std::fabs(t.kl.value().at(n) - kl) < 1e-12);
    BOOST_TEST(std::fabs(t.negative_elbo.value().at(n) - (0.7 * kl - t.reconstruction.value().at(n))) < 1e-12);
  }
  // a caller-supplied eps gives the same terms
  const nn::ElboTerms u = vae->elbo_given_eps(x, t.eps, 0.7);
  BOOST_TEST(u.negative_elbo.value().to_vector() == t.negative_elbo.value().to_vector());
  BOOST_TEST(VariationalAutoencoder::reparameterise(t.q.mu(), t.q.logvar(), t.eps).value().to_vector() ==
             t.z.value().to_vector());
}

BOOST_AUTO_TEST_CASE(pretrain_loss_is_the_mean_negative_elbo_plus_regularisation) {
  auto o = small_vae(5, 3, std::make_shared<nn::GaussianDistribution>(), {6}, {6});
  o.num_samples = 3;
  o.reg.l2 = 0.05;
  VariationalAutoencoder vae(o);
  const Variable x = constant(vae_data("real", 4, 5, 3));
  NoGradGuard guard;
  vae.seed(8);
  const double loss = vae.pretrain_loss(x).item();
  vae.seed(8);
  const double elbo = mean_of(vae.elbo(x).negative_elbo.value());
  BOOST_TEST(std::fabs(loss - (elbo + vae.regularization().item())) < 1e-12);
  BOOST_TEST(vae.regularization().item() > 0);
}

BOOST_AUTO_TEST_CASE(reconstruction_log_probability_follows_dl4j) {
  auto vae = bernoulli_vae(5, 3);
  const Tensor x = vae_data("binary", 4, 5, 4);
  vae->seed(21);
  const Tensor rlp = vae->reconstruction_log_probability(x, 3);
  BOOST_TEST(rlp.shape() == (Shape{4}));
  // the same draws by hand: mean over 3 samples of log p(x | z_l), z_l ~ q(z|x)
  NoGradGuard guard;
  vae->seed(21);
  const nn::DiagonalGaussian q = vae->encode(constant(x));
  const Variable z = q.rsample(vae->rng(), 3);
  const Tensor ll = vae->distribution().log_prob(constant(nn::tile_rows(x, 3)), vae->decode(z)).value();
  for (std::size_t n = 0; n < 4; ++n)
    BOOST_TEST(std::fabs(rlp.at(n) - (ll.at(n) + ll.at(4 + n) + ll.at(8 + n)) / 3) < 1e-12);
  vae->seed(21);
  const Tensor p = vae->reconstruction_probability(x, 3);
  for (std::size_t n = 0; n < 4; ++n) BOOST_TEST(std::fabs(p.at(n) - std::exp(rlp.at(n))) < 1e-15);
  check_throws_with<InvalidArgument>([&] { vae->reconstruction_log_probability(x, 0); }, {"num_samples must be >= 1"});
}

BOOST_AUTO_TEST_CASE(generation_given_z) {
  auto vae = bernoulli_vae(5, 3);
  const Tensor z = vae_data("real", 6, 3, 5);
  const Tensor m = vae->generate_at_mean_given_z(z);
  BOOST_TEST(m.shape() == (Shape{6, 5}));
  NoGradGuard guard;
  check_close(m, sigmoid(vae->decode(constant(z))).value().to_vector(), 1e-12);
  const Tensor s = vae->generate_random_given_z(z);
  for (std::size_t i = 0; i < s.size(); ++i) BOOST_TEST_REQUIRE((s.at(i) == 0.0 || s.at(i) == 1.0));
  check_throws_with<ShapeError>([&] { vae->generate_at_mean_given_z(vae_data("real", 6, 2, 5)); },
                                {"generate_at_mean_given_z", "[6,2]", "[M, 3]"});
  check_throws_with<ShapeError>([&] { vae->generate_random_given_z(vae_data("real", 2, 4, 5)); },
                                {"generate_random_given_z", "[2,4]"});
}

BOOST_AUTO_TEST_CASE(reconstruction_error_only_for_loss_function_vaes) {
  auto o = small_vae(4, 2, nullptr);
  o.loss_function(Activation::from_name("tanh"), nn::Loss::MSE);
  VariationalAutoencoder vae(o);
  const Tensor x = vae_data("real", 3, 4, 6);
  const Tensor err = vae.reconstruction_error(x);
  NoGradGuard guard;
  const Variable xv = constant(x);
  const Tensor want =
      nn::loss_per_example(nn::Loss::MSE, xv, vae.decode(vae.forward(xv)), Activation::from_name("tanh")).value();
  check_close(err, want.to_vector(), 1e-12);
  check_throws_with<InvalidArgument>([&] { vae.reconstruction_log_probability(x, 1); },
                                     {"loss function", "reconstruction_error"});
  check_throws_with<InvalidArgument>([&] { vae.log_likelihood(x, 10); }, {"log_likelihood", "no likelihood"});
  auto prob = bernoulli_vae(4, 2);
  check_throws_with<InvalidArgument>(
      [&] { prob->reconstruction_error(vae_data("binary", 2, 4, 1)); },
      {"reconstruction_error", "only for VAEs configured with a loss function", "bernoulli(sigmoid)"});
  BOOST_TEST(!prob->has_loss_function());
}

BOOST_AUTO_TEST_CASE(training_data_is_validated_and_shapes_checked) {
  auto vae = bernoulli_vae(4, 2);
  Tensor x = vae_data("binary", 3, 4, 7);
  x.set(2 * 4 + 1, 1.5);
  check_throws_with<DataError>([&] { vae->pretrain_loss(constant(x)); },
                               {"bernoulli(sigmoid)", "1.5", "row 2", "column 1"});
  check_throws_with<ShapeError>([&] { vae->pretrain_loss(constant(vae_data("binary", 3, 5, 7))); },
                                {"VariationalAutoencoder(n_in=4, n_out=2)", "[3,5]", "[N, 4]"});
  check_throws_with<InvalidArgument>([&] { vae->forward(constant(vae_data("binary", 3, 4, 7).to(DType::float32))); },
                                     {"float32", "float64"});
}

BOOST_AUTO_TEST_CASE(kl_warmup_is_linear_in_training_iterations) {
  auto o = small_vae(4, 2, std::make_shared<nn::GaussianDistribution>());
  o.beta = 2.0;
  o.kl_warmup_iterations = 4;
  VariationalAutoencoder vae(o);
  const Variable x = constant(vae_data("real", 2, 4, 8));
  std::vector<double> weights;
  for (int i = 0; i < 6; ++i) {
    weights.push_back(vae.kl_weight());
    vae.pretrain_loss(x);
  }
  BOOST_TEST(weights == (std::vector<double>{0.0, 0.5, 1.0, 1.5, 2.0, 2.0}));
  vae.eval();
  vae.pretrain_loss(x);
  BOOST_TEST(vae.iteration() == 6u);
}

// The bound of a shard from its rows of the batch's noise (data-parallel IWAE training) is the batch's bound's
// rows: iwae_bound_given_noise with the noise iwae_bound draws is bit-identical to iwae_bound, row for row.
BOOST_AUTO_TEST_CASE(iwae_bound_given_noise_is_iwae_bound_and_shards_agree) {
  auto vae = bernoulli_vae(8, 2, 7);
  const Tensor x = vae_data("binary", 6, 8, 9);
  const std::size_t k = 3;
  NoGradGuard guard;
  vae->seed(10);
  const Tensor drawn = vae->iwae_bound(constant(x), k, 0.7).value();
  vae->seed(10);
  const Tensor noise = vae->rng().normal(Shape{k * 6, 2}, 0.0, 1.0, DType::float64);
  const Tensor given = vae->iwae_bound_given_noise(constant(x), noise, k, 0.7).value();
  BOOST_TEST(given.to_vector() == drawn.to_vector(), boost::test_tools::per_element());
  // rows [2, 5) of the batch from rows [2, 5) of every sample block of the noise
  Tensor xs = Tensor::empty(Shape{3, 8}, DType::float64), ns = Tensor::empty(Shape{k * 3, 2}, DType::float64);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 8; ++c) xs.set(r * 8 + c, x.at((r + 2) * 8 + c));
  for (std::size_t l = 0; l < k; ++l)
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t c = 0; c < 2; ++c) ns.set((l * 3 + r) * 2 + c, noise.at((l * 6 + r + 2) * 2 + c));
  const Tensor shard = vae->iwae_bound_given_noise(constant(xs), ns, k, 0.7).value();
  for (std::size_t r = 0; r < 3; ++r) BOOST_TEST(std::fabs(shard.at(r) - drawn.at(r + 2)) < 1e-12);
  check_throws_with<InvalidArgument>([&] { vae->iwae_bound_given_noise(constant(x), ns, k); },
                                     {"iwae_bound_given_noise", "[9,2]", "3*6"});
  check_throws_with<InvalidArgument>([&] { vae->iwae_bound_given_noise(constant(x), noise, 0); }, {"k must be >= 1"});
}

BOOST_AUTO_TEST_CASE(elbo_below_iwae_bounds_increasing_in_k) {
  auto vae = bernoulli_vae(8, 2, 7);
  const Variable x = constant(vae_data("binary", 40, 8, 9));
  NoGradGuard guard;
  vae->seed(10);
  // averages over 40 examples x 25 repetitions: the k-sample bound's expectation grows with k
  std::vector<double> bound;
  double se1 = 0;  // standard error of the k = 1 average
  for (std::size_t k : {1, 5, 50}) {
    double acc = 0, acc2 = 0;
    for (int rep = 0; rep < 25; ++rep) {
      const Tensor b = vae->iwae_bound(x, k).value();
      for (std::size_t i = 0; i < b.size(); ++i) {
        acc += b.at(i);
        acc2 += b.at(i) * b.at(i);
      }
    }
    const double m = acc / 1000;
    if (k == 1) se1 = std::sqrt((acc2 / 1000 - m * m) / 1000);
    bound.push_back(m);
  }
  double elbo = 0;
  for (int rep = 0; rep < 25; ++rep) elbo -= mean_of(vae->elbo(x, 1).negative_elbo.value());
  elbo /= 25;
  // IWAE(1) is the ELBO in expectation (its KL is a one-sample estimate, the ELBO's is analytic)
  BOOST_TEST(std::fabs(elbo - bound[0]) < 4 * se1, "ELBO " << elbo << " IWAE(1) " << bound[0] << " se " << se1);
  BOOST_TEST(bound[0] < bound[1]);
  BOOST_TEST(bound[1] < bound[2]);
  BOOST_TEST(bound[2] <= mean_of(vae->log_likelihood(x.value(), 2000)) + 0.01);
}

BOOST_AUTO_TEST_CASE(log_likelihood_matches_quadrature_over_a_one_dimensional_latent) {
  auto o = small_vae(6, 1, std::make_shared<nn::BernoulliDistribution>(), {8}, {8});
  o.seed = 3;
  VariationalAutoencoder vae(o);
  const Tensor x = vae_data("binary", 5, 6, 13);
  vae.seed(14);
  const Tensor estimate = vae.log_likelihood(x, 5000);
  BOOST_TEST((estimate.dtype() == DType::float64));
  // log p(x) = log integral p(x|z) N(z; 0, 1) dz, trapezoid rule on [-12, 12]
  const std::size_t m = 4801;
  std::vector<double> grid(m);
  for (std::size_t i = 0; i < m; ++i) grid[i] = -12.0 + 24.0 * static_cast<double>(i) / static_cast<double>(m - 1);
  const double h = grid[1] - grid[0];
  NoGradGuard guard;
  const Variable raw = vae.decode(constant(Tensor::from(Shape{m, 1}, grid, DType::float64)));
  for (std::size_t n = 0; n < 5; ++n) {
    Tensor row = Tensor::empty(Shape{1, 6}, DType::float64);
    for (std::size_t j = 0; j < 6; ++j) row.set(j, x.at(n * 6 + j));
    const Tensor ll = vae.distribution().log_prob(constant(nn::tile_rows(row, m)), raw).value();
    double mx = -INFINITY;
    std::vector<double> terms(m);
    for (std::size_t i = 0; i < m; ++i) {
      terms[i] = ll.at(i) - 0.5 * grid[i] * grid[i] - 0.5 * std::log(2 * M_PI) + std::log(h);
      mx = std::max(mx, terms[i]);
    }
    double s = 0;
    for (std::size_t i = 0; i < m; ++i) s += std::exp(terms[i] - mx) * (i == 0 || i == m - 1 ? 0.5 : 1.0);
    const double truth = mx + std::log(s);
    BOOST_TEST(std::fabs(estimate.at(n) - truth) < 0.05, "example " << n << ": " << estimate.at(n) << " vs " << truth);
  }
}

BOOST_AUTO_TEST_SUITE_END()
