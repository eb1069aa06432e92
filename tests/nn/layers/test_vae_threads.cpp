// The same seed gives bit-identical VAE training with 1 and 2 threads: float32 Bernoulli VAE, minibatches
// large enough (64 x 784 > kGrain) that the fused VAE kernels, activations and GEMMs run in parallel blocks.
#include "nn/distributions/bernoulli.hpp"
#include "nn/optim/optimizers.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
// The losses of `steps` Adam steps (named "loss"), then every parameter by name.
std::vector<std::pair<std::string, std::vector<double>>> train_with(int threads, int steps) {
  set_num_threads(threads);
  auto o = small_vae(784, 8, std::make_shared<nn::BernoulliDistribution>(), {64}, {64});
  o.dtype = DType::float32;
  o.num_samples = 2;
  nn::VariationalAutoencoder vae(o);
  vae.seed(5);
  nn::Adam adam(vae.named_parameters());
  Generator data(11);
  std::vector<std::pair<std::string, std::vector<double>>> out{{"loss", {}}};
  for (int step = 0; step < steps; ++step) {
    const Variable x = constant(data.bernoulli(Shape{64, 784}, 0.3));
    adam.zero_grad();
    Variable loss = vae.pretrain_loss(x);
    loss.backward();
    if (step == 0)
      for (const auto& p : vae.named_parameters())
        out.emplace_back("first gradient of " + p.name, p.variable.grad().to_vector());
    adam.step();
    out[0].second.push_back(loss.item());
  }
  for (const auto& p : vae.named_parameters()) out.emplace_back(p.name, p.variable.value().to_vector());
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(vae_threads)

BOOST_AUTO_TEST_CASE(training_is_bit_identical_with_one_and_two_threads) {
  BOOST_TEST_REQUIRE(64u * 784u > parallel::kGrain);
  ThreadCount restore;
  for (int steps : {0, 1, 4}) {
    const auto one = train_with(1, steps), two = train_with(2, steps);
    BOOST_TEST_REQUIRE(one.size() == two.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
      std::size_t differing = 0;
      for (std::size_t k = 0; k < one[i].second.size(); ++k) differing += one[i].second[k] != two[i].second[k];
      BOOST_TEST(differing == 0u, "after " << steps << " steps, " << differing << " of " << one[i].second.size()
                                           << " values of " << one[i].first << " differ");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
