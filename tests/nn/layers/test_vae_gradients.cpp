// Float64 gradient checks of the VAE training objective (negative ELBO + regularisation) with common
// random numbers (the layer's rng is reseeded before every evaluation), over every reconstruction
// distribution, numSamples 1 and 3, minibatch 1, 3 and 5, l1/l2 on and off, one and two encoder/decoder
// layers; the IWAE objective (also from given noise); beta with KL warm-up; the VAE under a supervised output layer.
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/categorical.hpp"
#include "nn/distributions/composite.hpp"
#include "nn/distributions/continuous_bernoulli.hpp"
#include "nn/distributions/exponential.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/loss_wrapper.hpp"
#include "nn/layers/output_layer.hpp"
#include "nn/layers/sequential.hpp"
#include "nn/module_gradcheck.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
struct Combo {
  std::size_t samples, batch;
  bool reg;
  std::size_t layers;
  const char* activation;
};
// every value of every factor appears for every distribution
const Combo kCombos[] = {
    {1, 1, false, 1, "tanh"}, {3, 3, true, 2, "sigmoid"}, {1, 5, true, 1, "sigmoid"}, {3, 5, false, 2, "tanh"}};

void check_objective(const nn::DistributionPtr& dist, const std::string& data, std::size_t d = 4) {
  for (const Combo& c : kCombos) {
    std::vector<std::size_t> sizes = c.layers == 1 ? std::vector<std::size_t>{5} : std::vector<std::size_t>{5, 4};
    nn::VariationalAutoencoderOptions o = small_vae(d, 2, dist, sizes, sizes);
    o.num_samples = c.samples;
    o.activation = Activation::from_name(c.activation);
    if (c.reg) o.reg = nn::Regularization{0.01, 0.02, 0.003, 0.004};
    if (c.layers == 2) o.pzx_activation = Activation::from_name("tanh");
    nn::VariationalAutoencoder vae(o);
    const Variable x = constant(vae_data(data, c.batch, d, 7 + c.batch));
    const GradcheckResult r = nn::gradcheck_module(vae, [&] {
      vae.seed(1234);
      return vae.pretrain_loss(x);
    });
    BOOST_TEST(r.ok, dist->describe() << " L=" << c.samples << " N=" << c.batch << " reg=" << c.reg
                                      << " layers=" << c.layers << ": " << r.message);
    BOOST_TEST(r.checked == vae.parameter_count());
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(vae_gradients)

BOOST_AUTO_TEST_CASE(gaussian_identity) {
  check_objective(std::make_shared<nn::GaussianDistribution>(), "real");
}
BOOST_AUTO_TEST_CASE(gaussian_tanh) {
  check_objective(std::make_shared<nn::GaussianDistribution>(Activation::from_name("tanh")), "real");
}
BOOST_AUTO_TEST_CASE(bernoulli) {
  check_objective(std::make_shared<nn::BernoulliDistribution>(), "binary");
}
BOOST_AUTO_TEST_CASE(exponential_identity) {
  check_objective(std::make_shared<nn::ExponentialDistribution>(), "positive");
}
BOOST_AUTO_TEST_CASE(exponential_tanh) {
  check_objective(std::make_shared<nn::ExponentialDistribution>(Activation::from_name("tanh")), "positive");
}
BOOST_AUTO_TEST_CASE(loss_mse_tanh) {
  check_objective(std::make_shared<nn::LossFunctionWrapper>(Activation::from_name("tanh"), nn::Loss::MSE), "real");
}
BOOST_AUTO_TEST_CASE(loss_mae_identity) {
  check_objective(
      std::make_shared<nn::LossFunctionWrapper>(Activation::from_name("identity"), nn::Loss::MEAN_ABSOLUTE_ERROR),
      "real");
}
BOOST_AUTO_TEST_CASE(continuous_bernoulli) {
  check_objective(std::make_shared<nn::ContinuousBernoulliDistribution>(), "unit");
}
BOOST_AUTO_TEST_CASE(categorical_group) {
  check_objective(std::make_shared<nn::CategoricalDistribution>(), "onehot");
}

BOOST_AUTO_TEST_CASE(composite_gaussian_bernoulli_gaussian) {
  auto c = std::make_shared<nn::CompositeDistribution>();
  c->add(2, std::make_shared<nn::GaussianDistribution>())
      .add(2, std::make_shared<nn::BernoulliDistribution>())
      .add(1, std::make_shared<nn::GaussianDistribution>(Activation::from_name("tanh")));
  check_objective(c, "gbg", 5);
}

BOOST_AUTO_TEST_CASE(iwae_objective) {
  nn::VariationalAutoencoderOptions o = small_vae(4, 2, std::make_shared<nn::BernoulliDistribution>());
  o.objective = nn::VaeObjective::iwae;
  o.num_samples = 4;
  o.reg.l2 = 0.01;
  nn::VariationalAutoencoder vae(o);
  const Variable x = constant(vae_data("binary", 3, 4, 3));
  GradcheckOptions opts;
  opts.max_elements_per_input = 12;
  const GradcheckResult r = nn::gradcheck_module(
      vae,
      [&] {
        vae.seed(99);
        return vae.pretrain_loss(x);
      },
      opts);
  BOOST_TEST(r.ok, r.message);
}

// The IWAE bound from caller-given noise (data-parallel training): float64 central differences, the noise fixed.
BOOST_AUTO_TEST_CASE(iwae_bound_given_noise) {
  nn::VariationalAutoencoderOptions o = small_vae(4, 2, std::make_shared<nn::BernoulliDistribution>());
  nn::VariationalAutoencoder vae(o);
  const Variable x = constant(vae_data("binary", 3, 4, 3));
  const Tensor noise = Generator(8).normal(Shape{4 * 3, 2}, 0.0, 1.0, DType::float64);
  GradcheckOptions opts;
  opts.max_elements_per_input = 12;
  const GradcheckResult r = nn::gradcheck_module(
      vae, [&] { return -mean(vae.iwae_bound_given_noise(x, noise, 4, 0.8)); }, opts);
  BOOST_TEST(r.ok, r.message);
}

BOOST_AUTO_TEST_CASE(beta_with_kl_warmup) {
  nn::VariationalAutoencoderOptions o = small_vae(4, 2, std::make_shared<nn::GaussianDistribution>());
  o.beta = 2.0;
  o.kl_warmup_iterations = 4;
  nn::VariationalAutoencoder vae(o);
  vae.eval();  // evaluations must not advance the warm-up
  vae.set_iteration(1);
  BOOST_TEST(vae.kl_weight() == 0.5);
  const Variable x = constant(vae_data("real", 3, 4, 5));
  const GradcheckResult r = nn::gradcheck_module(vae, [&] {
    vae.seed(5);
    return vae.pretrain_loss(x);
  });
  BOOST_TEST(r.ok, r.message);
  BOOST_TEST(vae.iteration() == 1u);
}

BOOST_AUTO_TEST_CASE(vae_under_a_supervised_output_layer) {
  auto vae = std::make_shared<nn::VariationalAutoencoder>(
      small_vae(4, 3, std::make_shared<nn::GaussianDistribution>(), {5, 4}, {5}));
  nn::OutputLayerOptions oo(3, 2, nn::Loss::MCXENT, Activation::from_name("softmax"));
  oo.dtype = DType::float64;
  oo.reg.l2 = 0.01;
  auto out = std::make_shared<nn::OutputLayer>(oo);
  nn::Sequential net({vae, out});
  const Variable x = constant(vae_data("real", 5, 4, 11));
  const Variable y = constant(vae_data("onehot", 5, 2, 12));
  const GradcheckResult r = nn::gradcheck_module(net, [&] { return out->loss(vae->forward(x), y); });
  BOOST_TEST(r.ok, r.message);
  // supervised gradients reach the encoder and the mean head only
  TapeScope scope;
  net.zero_grad();
  out->loss(vae->forward(x), y).backward();
  for (const std::string& name : vae->pretrain_only_parameters())
    BOOST_TEST(!vae->parameter(name).has_grad(), name << " received a supervised gradient");
  BOOST_TEST(vae->parameter("e1W").has_grad());
  BOOST_TEST(vae->parameter("pZXMeanb").has_grad());
}

BOOST_AUTO_TEST_SUITE_END()
