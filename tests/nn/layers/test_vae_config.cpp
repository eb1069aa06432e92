// VariationalAutoencoder configuration: DL4J defaults, parameter names/order/count, rejections with their
// messages, JSON round trip through the layer registry, pretrain-only parameters.
#include "autograd/kernels.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/loss_wrapper.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::VariationalAutoencoder;
using nn::VariationalAutoencoderOptions;

namespace {
std::vector<std::string> names_of(const nn::Module& m) {
  std::vector<std::string> out;
  for (const auto& p : m.named_parameters()) out.push_back(p.name);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(vae_config)

BOOST_AUTO_TEST_CASE(dl4j_defaults) {
  const VariationalAutoencoderOptions o;
  BOOST_TEST(o.encoder_layer_sizes == std::vector<std::size_t>{100});
  BOOST_TEST(o.decoder_layer_sizes == std::vector<std::size_t>{100});
  BOOST_TEST(o.activation.name() == "sigmoid");
  BOOST_TEST(o.pzx_activation.name() == "identity");
  BOOST_TEST(o.reconstruction_distribution->describe() == "gaussian(tanh)");
  BOOST_TEST(o.num_samples == 1u);
  BOOST_TEST(o.weight_init.name() == "XAVIER");
  BOOST_TEST(o.beta == 1.0);
  BOOST_TEST(!o.reg.any());
}

BOOST_AUTO_TEST_CASE(parameter_names_order_and_count_follow_dl4j) {
  // DL4J's example: nIn 10, nOut 5, encoder {12}, decoder {13}, Gaussian (pXZ width 2 * 10)
  VariationalAutoencoderOptions o = small_vae(10, 5, std::make_shared<nn::GaussianDistribution>(), {12}, {13});
  const VariationalAutoencoder vae(o);
  BOOST_TEST(vae.parameter_count() == (10u * 12 + 12) + (12u * 5 + 5) * 2 + (5u * 13 + 13) + (13u * 20 + 20));
  BOOST_TEST(names_of(vae) == (std::vector<std::string>{"e0W", "e0b", "pZXMeanW", "pZXMeanb", "pZXLogStd2W",
                                                        "pZXLogStd2b", "d0W", "d0b", "pXZW", "pXZb"}));
  BOOST_TEST(vae.parameter("pXZW").shape() == (Shape{13, 20}));
  BOOST_TEST(vae.parameter("pZXLogStd2b").shape() == (Shape{5}));
  // two layers each side, Bernoulli (pXZ width 10)
  o = small_vae(10, 3, std::make_shared<nn::BernoulliDistribution>(), {8, 7}, {6, 4});
  const VariationalAutoencoder two(o);
  BOOST_TEST(names_of(two) ==
             (std::vector<std::string>{"e0W", "e0b", "e1W", "e1b", "pZXMeanW", "pZXMeanb", "pZXLogStd2W", "pZXLogStd2b",
                                       "d0W", "d0b", "d1W", "d1b", "pXZW", "pXZb"}));
  BOOST_TEST(two.parameter_count() ==
             (10u * 8 + 8) + (8u * 7 + 7) + (7u * 3 + 3) * 2 + (3u * 6 + 6) + (6u * 4 + 4) + (4u * 10 + 10));
  BOOST_TEST(two.pretrain_only_parameters() ==
             (std::vector<std::string>{"pZXLogStd2W", "pZXLogStd2b", "d0W", "d0b", "d1W", "d1b", "pXZW", "pXZb"}));
}

BOOST_AUTO_TEST_CASE(biases_start_at_zero_and_weights_are_seeded) {
  const VariationalAutoencoderOptions o = small_vae(6, 2, std::make_shared<nn::GaussianDistribution>());
  const VariationalAutoencoder a(o), b(o);
  BOOST_TEST(kernels::sum_all(a.parameter("e0b").value()) == 0.0);
  BOOST_TEST(a.parameter("e0W").value().to_vector() == b.parameter("e0W").value().to_vector());
  VariationalAutoencoderOptions o2 = o;
  o2.seed = 43;
  BOOST_TEST(a.parameter("e0W").value().to_vector() != VariationalAutoencoder(o2).parameter("e0W").value().to_vector());
}

BOOST_AUTO_TEST_CASE(rejections_name_the_option) {
  auto reject = [](const std::function<void(VariationalAutoencoderOptions&)>& edit,
                   const std::vector<std::string>& fragments) {
    VariationalAutoencoderOptions o = small_vae(4, 2, std::make_shared<nn::GaussianDistribution>());
    edit(o);
    check_throws_with<InvalidArgument>([&] { VariationalAutoencoder v(o); }, fragments);
  };
  reject([](auto& o) { o.num_samples = 0; }, {"VariationalAutoencoder", "num_samples must be >= 1", "got 0"});
  reject([](auto& o) { o.encoder_layer_sizes.clear(); }, {"encoder_layer_sizes", "at least one layer"});
  reject([](auto& o) { o.decoder_layer_sizes.clear(); }, {"decoder_layer_sizes", "at least one layer"});
  reject([](auto& o) { o.n_in = 0; }, {"n_in and n_out must be >= 1", "n_in = 0"});
  reject([](auto& o) { o.n_out = 0; }, {"n_in and n_out must be >= 1", "n_out = 0"});
  reject([](auto& o) { o.encoder_layer_sizes = {3, 0}; }, {"encoder_layer_sizes[1] must be >= 1"});
  reject([](auto& o) { o.beta = -1; }, {"beta", ">= 0"});
  reject([](auto& o) { o.reconstruction_distribution = nullptr; }, {"reconstruction_distribution is null"});
  reject([](auto& o) { o.reg.l2 = -0.1; }, {"l2"});
  reject(
      [](auto& o) {
        o.loss_function(Activation::from_name("identity"), nn::Loss::MSE);
        o.objective = nn::VaeObjective::iwae;
      },
      {"iwae objective needs a probabilistic reconstruction distribution", "loss_function(identity, MSE)"});
}

BOOST_AUTO_TEST_CASE(json_round_trip_through_the_layer_registry) {
  VariationalAutoencoderOptions o = small_vae(5, 2, std::make_shared<nn::BernoulliDistribution>(), {6, 4}, {3});
  o.pzx_activation = Activation::from_name("tanh");
  o.num_samples = 3;
  o.reg.l2 = 1e-3;
  o.reg.l1_bias = 2e-4;
  o.beta = 0.5;
  o.kl_warmup_iterations = 100;
  o.objective = nn::VaeObjective::iwae;
  o.weight_init = nn::WeightInitConfig::from_name("RELU_UNIFORM");
  const VariationalAutoencoder vae(o);
  const nlohmann::json j = nlohmann::json::parse(vae.config().dump());
  BOOST_TEST(j["type"] == "VariationalAutoencoder");
  const auto back = nn::layer_from_config(j);
  BOOST_TEST(back->config() == vae.config());
  BOOST_TEST(back->parameter_count() == vae.parameter_count());
  const auto& v2 = dynamic_cast<const VariationalAutoencoder&>(*back);
  BOOST_TEST((v2.options().objective == nn::VaeObjective::iwae));
  BOOST_TEST(v2.distribution().describe() == "bernoulli(sigmoid)");
  // a loss-function VAE round-trips too
  VariationalAutoencoderOptions l = small_vae(4, 2, nullptr);
  l.loss_function(Activation::from_name("tanh"), nn::Loss::MSE);
  const VariationalAutoencoder lv(l);
  BOOST_TEST(nn::layer_from_config(lv.config())->config() == lv.config());
  BOOST_TEST(lv.has_loss_function());
}

BOOST_AUTO_TEST_CASE(bad_configs_are_rejected) {
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config({{"type", "VariationalAutoencoder"}, {"n_out", 2}});
      },
      {"missing \"n_in\""});
  check_throws_with<InvalidArgument>(
      [] {
        nn::layer_from_config({{"type", "VariationalAutoencoder"}, {"n_in", 3}, {"n_out", 2}, {"objective", "vi"}});
      },
      {"objective must be \"elbo\" or \"iwae\"", "\"vi\""});
}

BOOST_AUTO_TEST_SUITE_END()
