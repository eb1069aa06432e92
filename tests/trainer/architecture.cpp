// train's --architecture: the conv networks it builds (layers, parameter count, planes per pixel), errors naming
// the option, and end-to-end runs on Fashion-MNIST and on user images whose model file evaluates and samples.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "run_binary.hpp"
#include "test_helpers.hpp"
#include "trainer/architecture.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "user_data_files.hpp"

using namespace xgrad;
using namespace xgrad::test;

namespace {
const nn::ImageShape kFashion{1, 28, 28};

trainer::ModelSettings conv_settings(const std::string& distribution = "bernoulli") {
  trainer::ModelSettings m;
  m.architecture = "conv";
  m.distribution = distribution;
  return m;
}

// 20 images of 8x8 pixels as an IDX3 file
std::string write_idx_8x8(const std::string& path) {
  std::ofstream f(path, std::ios::binary);
  const unsigned char head[] = {0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 8, 0, 0, 0, 8};
  f.write(reinterpret_cast<const char*>(head), sizeof head);
  for (int i = 0; i < 20 * 64; ++i) f.put(static_cast<char>((i * 37) % 256));
  return path;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_architecture)

BOOST_AUTO_TEST_CASE(conv_builds_the_standard_networks_for_28x28) {
  nn::VariationalAutoencoder vae(trainer::vae_options(conv_settings(), 784, kFashion, 1, 1));
  // Conv(1,32,4,2,1) 544 + Conv(32,64,4,2,1) 32832 + Dense(3136,256) 803072 + heads 2 x 8224 + Dense(32,256) 8448
  // + Dense(256,3136) 805952 + ConvT(64,32,4,2,1) 32800 + ConvT(32,1,4,2,1) 513
  BOOST_TEST(vae.parameter_count() == 1700609u);
  BOOST_TEST(!vae.options().pxz_head);
  BOOST_TEST(vae.parameter("encoder.1.W").shape() == (Shape{32, 1, 4, 4}));
  BOOST_TEST(vae.parameter("encoder.2.W").shape() == (Shape{64, 32, 4, 4}));
  BOOST_TEST(vae.parameter("encoder.4.W").shape() == (Shape{3136, 256}));
  BOOST_TEST(vae.parameter("decoder.3.W").shape() == (Shape{64, 32, 4, 4}));
  BOOST_TEST(vae.parameter("decoder.4.W").shape() == (Shape{32, 1, 4, 4}));
  BOOST_TEST(trainer::architecture_summary(vae) == "1x28x28-conv32-conv64-256-[32]-256-3136-deconv32-deconv1");
  {
    NoGradGuard guard;
    const Variable z = constant(Tensor::zeros(Shape{3, 32}));
    BOOST_TEST(vae.decode(z).shape() == (Shape{3, 784}));
  }
  // a Gaussian's mean and log-variance planes; given dense lists replace the 256
  trainer::ModelSettings m = conv_settings("gaussian");
  m.encoder_layers = {128, 64};
  m.decoder_layers = {64};
  nn::VariationalAutoencoder g(trainer::vae_options(m, 784, kFashion, 1, 1));
  BOOST_TEST(g.parameter("decoder.4.W").shape() == (Shape{32, 2, 4, 4}));
  BOOST_TEST(trainer::architecture_summary(g) == "1x28x28-conv32-conv64-128-64-[32]-64-3136-deconv32-deconv2");
  // dense keeps DL4J's stacks
  nn::VariationalAutoencoder d(trainer::vae_options(trainer::ModelSettings{}, 784, kFashion, 1, 1));
  BOOST_TEST(trainer::architecture_summary(d) == "784-512-[32]-512-784");
  BOOST_TEST(d.parameter("pXZW").shape() == (Shape{512, 784}));
}

BOOST_AUTO_TEST_CASE(conv_errors_name_the_option_and_the_shape) {
  using trainer::UsageError;
  check_throws_with<UsageError>([] { trainer::vae_options(conv_settings(), 30, nn::ImageShape{}, 1, 1); },
                                {"--architecture conv needs rows that are images", "30 columns"});
  check_throws_with<UsageError>(
      [] {
        trainer::vae_options(conv_settings(), 30, nn::ImageShape{1, 6, 5}, 1, 1);
      },
      {"--architecture conv", "{1,6,5}", "multiples of 4"});
  check_throws_with<UsageError>(
      [] { trainer::vae_options(conv_settings("gaussian:200,bernoulli:584"), 784, kFashion, 1, 1); },
      {"--architecture conv", "984 values for the 784 pixels"});
  trainer::ModelSettings m;
  m.architecture = "resnet";
  check_throws_with<UsageError>([&] { trainer::vae_options(m, 784, kFashion, 1, 1); },
                                {"--architecture 'resnet'", "dense, conv"});
  const std::string d = scratch_dir("arch_bad");
  RunResult r = run_trainer("train --limit 100 --epochs 1 --architecture resnet --out " + d + "/run", d);
  BOOST_TEST(r.status == trainer::kExitUsage);
  BOOST_TEST(r.err.find("--architecture") != std::string::npos, r.err);
  write_csv(d + "/t.csv", 20, 6, true);
  r = run_trainer("train --data " + d + "/t.csv --architecture conv " + kSmall + "--out " + d + "/csv", d);
  expect_failure(r, trainer::kExitUsage, {"--architecture conv needs rows that are images"}, d + "/csv");
  write_idx_images(d + "/img-idx3-ubyte");  // 4 x 5
  r = run_trainer("train --data " + d + "/img-idx3-ubyte --architecture conv " + kSmall + "--out " + d + "/idx", d);
  expect_failure(r, trainer::kExitUsage, {"{1,4,5}", "multiples of 4"}, d + "/idx");
}

BOOST_AUTO_TEST_CASE(conv_models_train_evaluate_and_sample) {
  const std::string d = scratch_dir("arch_conv");
  RunResult r = run_trainer(
      "train --architecture conv --limit 200 --test-limit 50 --epochs 1 --batch-size 50 --latent 4 "
      "--progress none --out " +
          d + "/run",
      d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  const std::string summary = "1x28x28-conv32-conv64-256-[4]-256-3136-deconv32-deconv1";
  BOOST_TEST(r.out.find(summary) != std::string::npos, r.out);
  BOOST_TEST(read_text(d + "/run/report.md").find(summary) != std::string::npos);
  const trainer::LoadedVae model = trainer::load_vae(d + "/run/model.xgrad");
  BOOST_TEST(!model.vae->options().pxz_head);
  BOOST_TEST(model.vae->parameter_count() == 1700609u - 2u * 8224u + 2u * 1028u - 8448u + 1280u);  // J = 4
  r = run_trainer("evaluate --model " + d + "/run/model.xgrad --test-limit 20 --k 10 --ll-subset 5 --progress none", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  BOOST_TEST(r.out.find("-log p(x)") != std::string::npos, r.out);
  r = run_trainer("sample --model " + d + "/run/model.xgrad --count 4 --cols 2 --out " + d + "/s.png", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  // user images of 8 x 8 pixels
  write_idx_8x8(d + "/img-idx3-ubyte");
  r = run_trainer("train --data " + d + "/img-idx3-ubyte --architecture conv " + kSmall + "--out " + d + "/idx", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("1x8x8-conv32-conv64-8-[2]-8-256-deconv32-deconv1") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
