// The VAE with its encoder and decoder given as networks (a Sequential of conv, pooling, norm and dense
// layers): DL4J's head names kept, parameter names, shapes checked when built with the part named, the JSON
// round trip, pretrain-only parameters, a decoder ending in a transposed conv without the pXZ head, and a float64
// gradient check of the training objective (with a mixture prior and planar flows, and without the pXZ head).
#include "nn/distributions/bernoulli.hpp"
#include "nn/layers/batch_normalization.hpp"
#include "nn/layers/cnn_preprocessors.hpp"
#include "nn/layers/convolution.hpp"
#include "nn/layers/deconvolution.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/sequential.hpp"
#include "nn/layers/subsampling.hpp"
#include "nn/module_gradcheck.hpp"
#include "vae_test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::test;
using nn::VariationalAutoencoder;

namespace {
std::shared_ptr<nn::Dense> dense_layer(std::size_t in, std::size_t out, std::uint64_t seed) {
  nn::DenseOptions o;
  o.n_in = in;
  o.n_out = out;
  o.activation = Activation::from_name("tanh");
  o.seed = seed;
  return std::make_shared<nn::Dense>(o);
}
// [N, 36] -> {1,6,6} -> conv 3x3 (2 channels, {2,4,4}) -> avg pool 2x2 ({2,2,2}) -> flat 8 -> dense 5
nlohmann::json conv_encoder() {
  nn::Sequential s;
  s.add(std::make_shared<nn::FeedForwardToCnn>(nn::ImageShape{1, 6, 6}));
  nn::ConvolutionOptions c;
  c.input = {1, 6, 6};
  c.n_out = 2;
  c.window.kernel = {3, 3};
  c.activation = Activation::from_name("tanh");
  c.seed = 5;
  s.add(std::make_shared<nn::ConvolutionLayer>(c));
  nn::SubsamplingOptions p;
  p.input = {2, 4, 4};
  p.pooling_type = nn::PoolingType::AVG;
  p.window.kernel = {2, 2};
  p.window.stride = {2, 2};
  s.add(std::make_shared<nn::SubsamplingLayer>(p));
  s.add(std::make_shared<nn::CnnToFeedForward>(nn::ImageShape{2, 2, 2}));
  s.add(dense_layer(8, 5, 6));
  return s.config();
}
// z [N, 2] -> dense 6 -> batch norm -> dense 7
nlohmann::json dense_decoder(std::size_t j = 2) {
  nn::Sequential s;
  s.add(dense_layer(j, 6, 7));
  nn::BatchNormalizationOptions b;
  b.input = {6};
  s.add(std::make_shared<nn::BatchNormalization>(b));
  s.add(dense_layer(6, 7, 8));
  return s.config();
}
// z [N, 2] -> dense 8 -> {2,2,2} -> transposed conv 2x2 stride 2 + 1 more with kernel 3 ({1,6,6}) -> flat 36:
// the raw Bernoulli logits of a 6x6 image without a pXZ head
nlohmann::json deconv_decoder(std::size_t out_channels = 1) {
  nn::Sequential s;
  s.add(dense_layer(2, 8, 9));
  s.add(std::make_shared<nn::FeedForwardToCnn>(nn::ImageShape{2, 2, 2}));
  nn::ConvolutionOptions c;
  c.input = {2, 2, 2};
  c.n_out = out_channels;
  c.window.kernel = {4, 4};
  c.window.stride = {2, 2};
  c.window.padding = {0, 0};
  c.activation = Activation::from_name("identity");
  c.seed = 10;
  s.add(std::make_shared<nn::Deconvolution2D>(c));  // 2*(2-1) + 4 = 6
  s.add(std::make_shared<nn::CnnToFeedForward>(nn::ImageShape{out_channels, 6, 6}));
  return s.config();
}
nn::VariationalAutoencoderOptions networked() {
  nn::VariationalAutoencoderOptions o = small_vae(36, 2, std::make_shared<nn::BernoulliDistribution>());
  o.encoder = conv_encoder();
  o.decoder = dense_decoder();
  return o;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(vae_networks)

BOOST_AUTO_TEST_CASE(heads_keep_dl4j_names_around_the_networks) {
  VariationalAutoencoder vae(networked());
  std::vector<std::string> names;
  for (const auto& p : vae.named_parameters()) names.push_back(p.name);
  BOOST_TEST(names.front() == "pZXMeanW");
  BOOST_TEST(vae.parameter("pZXMeanW").shape() == (Shape{5, 2}));
  BOOST_TEST(vae.parameter("pXZW").shape() == (Shape{7, 36}));
  BOOST_TEST(vae.parameter("encoder.1.W").shape() == (Shape{2, 1, 3, 3}));
  BOOST_TEST(vae.parameter("decoder.2.W").shape() == (Shape{6, 7}));
  BOOST_TEST((std::find(names.begin(), names.end(), "e0W") == names.end()));
  const auto only = vae.pretrain_only_parameters();
  BOOST_TEST((std::find(only.begin(), only.end(), "decoder.0.W") != only.end()));
  BOOST_TEST((std::find(only.begin(), only.end(), "encoder.1.W") == only.end()));
  const Variable x = constant(vae_data("binary", 3, 36, 1));
  NoGradGuard guard;
  BOOST_TEST(vae.forward(x).shape() == (Shape{3, 2}));
  BOOST_TEST(vae.decode(vae.encode(x).mu()).shape() == (Shape{3, 36}));
}

BOOST_AUTO_TEST_CASE(shapes_are_checked_when_built_naming_the_part) {
  nn::VariationalAutoencoderOptions o = networked();
  o.n_in = 30;
  check_throws_with<ShapeError>([&] { VariationalAutoencoder v(o); }, {"the encoder (Sequential)", "36", "n_in = 30"});
  o = networked();
  o.decoder = dense_decoder(3);
  check_throws_with<ShapeError>([&] { VariationalAutoencoder v(o); },
                                {"the decoder (Sequential)", "takes 3", "n_out = 2"});
}

BOOST_AUTO_TEST_CASE(config_round_trip) {
  VariationalAutoencoder vae(networked());
  const nlohmann::json cfg = vae.config();
  BOOST_TEST(cfg["encoder"] == conv_encoder());
  const auto back = nn::layer_from_config(nlohmann::json::parse(cfg.dump()));
  BOOST_TEST(back->config() == cfg);
  BOOST_TEST(back->parameter_count() == vae.parameter_count());
}

BOOST_AUTO_TEST_CASE(gradients_of_the_objective_with_networks) {
  for (const std::string variant : {"default", "mog x planar", "deconv decoder without pXZ"}) {
    nn::VariationalAutoencoderOptions o = networked();
    o.num_samples = 2;
    o.reg.l2 = 0.01;
    if (variant == "mog x planar") {
      o.prior = {{"type", "mog"}, {"components", 2}};
      o.posterior = {{"type", "planar"}, {"flows", 1}};
    } else if (variant == "deconv decoder without pXZ") {
      o.decoder = deconv_decoder();
      o.pxz_head = false;
    }
    VariationalAutoencoder vae(o);
    const Variable x = constant(vae_data("binary", 3, 36, 2));
    GradcheckOptions g;
    g.max_elements_per_input = 20;
    const GradcheckResult r = nn::gradcheck_module(
        vae,
        [&] {
          vae.seed(3);
          return vae.pretrain_loss(x);
        },
        g);
    BOOST_TEST(r.ok, variant << ": " << r.message);
  }
}

BOOST_AUTO_TEST_CASE(a_decoder_without_the_pxz_head_gives_raw_itself) {
  nn::VariationalAutoencoderOptions o = networked();
  o.decoder = deconv_decoder();
  o.pxz_head = false;
  VariationalAutoencoder vae(o);
  for (const auto& p : vae.named_parameters()) BOOST_TEST(p.name.rfind("pXZ", 0) != 0, p.name);
  const auto only = vae.pretrain_only_parameters();
  BOOST_TEST((std::find(only.begin(), only.end(), "pXZW") == only.end()));
  BOOST_TEST((std::find(only.begin(), only.end(), "decoder.2.W") != only.end()));
  const Variable x = constant(vae_data("binary", 3, 36, 1));
  {
    NoGradGuard guard;
    const Variable z = vae.encode(x).mu();
    const Variable raw = vae.decode(z);
    BOOST_TEST(raw.shape() == (Shape{3, 36}));
    // raw is the decoder's own output
    const Variable direct = vae.decoder_network()->forward(z);
    BOOST_TEST(raw.value().to_vector() == flatten(direct).value().to_vector());
  }
  const nlohmann::json cfg = vae.config();
  BOOST_TEST(cfg["pxz_head"] == false);
  BOOST_TEST(VariationalAutoencoder(o).config().dump() == cfg.dump());
  const auto back = nn::layer_from_config(nlohmann::json::parse(cfg.dump()));
  BOOST_TEST(back->config() == cfg);
  BOOST_TEST(back->parameter_count() == vae.parameter_count());
  BOOST_TEST(networked().pxz_head);  // the default keeps DL4J's head
}

BOOST_AUTO_TEST_CASE(pxz_head_false_is_checked) {
  nn::VariationalAutoencoderOptions o = networked();
  o.pxz_head = false;  // a dense decoder of width 7 cannot be the 36 logits
  check_throws_with<ShapeError>([&] { VariationalAutoencoder v(o); },
                                {"the decoder (Sequential) gives 7", "pxz_head = false", "input size 36"});
  o = small_vae(36, 2, std::make_shared<nn::BernoulliDistribution>());
  o.pxz_head = false;
  check_throws_with<InvalidArgument>([&] { VariationalAutoencoder v(o); }, {"pxz_head = false needs a decoder"});
  nlohmann::json cfg = VariationalAutoencoder(networked()).config();
  cfg["pxz_head"] = "no";
  check_throws_with<InvalidArgument>([&] { nn::layer_from_config(cfg); }, {"\"pxz_head\" must be true or false"});
}

BOOST_AUTO_TEST_SUITE_END()
