// train's --prior, --flow and --latent-type: the registry configs they give, errors naming the option and the
// value, and small end-to-end runs whose model file keeps the prior and posterior for evaluate and sample.
#include <boost/test/unit_test.hpp>

#include "run_binary.hpp"
#include "test_helpers.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/latent_spec.hpp"
#include "trainer/model_file.hpp"

using namespace xgrad;
using namespace xgrad::test;
using xgrad::trainer::latent_configs;

BOOST_AUTO_TEST_SUITE(latent_options)

BOOST_AUTO_TEST_CASE(latent_configs_of_each_form) {
  auto c = latent_configs("standard", "none", "gaussian");
  BOOST_TEST(c.prior == (nlohmann::json{{"type", "standard_normal"}}));
  BOOST_TEST(c.posterior == (nlohmann::json{{"type", "diagonal_gaussian"}}));
  BOOST_TEST(c.width == 0u);
  c = latent_configs("mog:10", "planar:4", "gaussian");
  BOOST_TEST(c.prior == (nlohmann::json{{"type", "mog"}, {"components", 10}}));
  BOOST_TEST(c.posterior == (nlohmann::json{{"type", "planar"}, {"flows", 4}}));
  c = latent_configs("vamp:500", "iaf:2", "gaussian");
  BOOST_TEST(c.prior == (nlohmann::json{{"type", "vamp"}, {"components", 500}}));
  BOOST_TEST(c.posterior == (nlohmann::json{{"type", "iaf"}, {"flows", 2}, {"context", "heads"}}));
  c = latent_configs("standard", "none", "relaxed:10x4");
  BOOST_TEST(c.width == 40u);
  BOOST_TEST(c.prior == (nlohmann::json{{"type", "relaxed_categorical"}, {"groups", 10}, {"classes", 4}}));
  BOOST_TEST(c.posterior == (nlohmann::json{{"type", "relaxed_categorical"}, {"groups", 10}, {"classes", 4}}));
  BOOST_TEST(latent_configs("vamp:3", "none", "relaxed:2x3").prior ==
             (nlohmann::json{{"type", "vamp"}, {"components", 3}}));
}

BOOST_AUTO_TEST_CASE(bad_values_name_the_option_and_the_value) {
  using trainer::UsageError;
  check_throws_with<UsageError>([] { latent_configs("mog:0", "none", "gaussian"); }, {"--prior 'mog:0'", "K"});
  check_throws_with<UsageError>([] { latent_configs("gauss", "none", "gaussian"); },
                                {"--prior 'gauss'", "standard, mog:K or vamp:K"});
  check_throws_with<UsageError>([] { latent_configs("vamp:-3", "none", "gaussian"); }, {"--prior 'vamp:-3'"});
  check_throws_with<UsageError>([] { latent_configs("standard", "planar", "gaussian"); },
                                {"--flow 'planar'", "none, planar:N or iaf:N"});
  check_throws_with<UsageError>([] { latent_configs("standard", "iaf:1e3", "gaussian"); }, {"--flow 'iaf:1e3'", "N"});
  check_throws_with<UsageError>([] { latent_configs("standard", "none", "relaxed:10"); },
                                {"--latent-type 'relaxed:10'", "relaxed:GROUPSxCLASSES"});
  check_throws_with<UsageError>([] { latent_configs("standard", "none", "relaxed:3x1"); },
                                {"--latent-type 'relaxed:3x1'", "CLASSES must be >= 2"});
  check_throws_with<UsageError>([] { latent_configs("standard", "iaf:2", "relaxed:3x3"); },
                                {"--flow 'iaf:2'", "--latent-type 'relaxed:3x3'"});
  check_throws_with<UsageError>([] { latent_configs("mog:2", "none", "relaxed:3x3"); },
                                {"--prior 'mog:2'", "--latent-type 'relaxed:3x3'"});
  // the width a relaxed latent fixes against --latent
  trainer::ModelSettings m;
  m.latent_type = "relaxed:3x3";
  m.latent = 4;
  check_throws_with<UsageError>(
      [&] {
        trainer::vae_options(m, 784, nn::ImageShape{1, 28, 28}, 1, 1);
      },
      {"--latent 4", "--latent-type 'relaxed:3x3'", "9"});
  m.latent = 9;
  BOOST_TEST(trainer::vae_options(m, 784, nn::ImageShape{1, 28, 28}, 1, 1).n_out == 9u);
  // through the binary: exit status 2 (usage) and the message
  const std::string d = scratch_dir("latent_bad");
  const RunResult r = run_trainer("train --limit 100 --epochs 1 --prior mog:0 --out " + d + "/run", d);
  BOOST_TEST(r.status == trainer::kExitUsage);
  BOOST_TEST(r.err.find("--prior 'mog:0'") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(trained_models_keep_their_prior_and_posterior) {
  struct Case {
    std::string args, prior, posterior;
  };
  for (const Case& c :
       {Case{"--prior vamp:5 --flow iaf:2", "vamp(K=5)", "iaf x 2"},
        Case{"--prior mog:3 --flow planar:2", "mog(K=3)", "planar x 2"},
        Case{"--latent-type relaxed:2x3 --prior vamp:4", "vamp(K=4)", "relaxed_categorical(2x3, T=0.666666667)"},
        Case{"--latent-type relaxed:2x3", "relaxed_categorical(2x3, T=0.5)",
             "relaxed_categorical(2x3, T=0.666666667)"}}) {
    static int run = 0;
    const std::string d = scratch_dir("latent_run" + std::to_string(run++));
    RunResult r = run_trainer(
        "train --limit 200 --test-limit 100 --epochs 1 --encoder-layers 32 --decoder-layers 32 "
        "--batch-size 50 --progress none --out " +
            d + "/run " + c.args,
        d);
    BOOST_REQUIRE_MESSAGE(r.status == 0, c.args << ": " << r.err << r.out);
    const std::string names = "prior " + c.prior + ", q(z|x) " + c.posterior;
    BOOST_TEST(r.out.find(names) != std::string::npos, c.args << ": " << r.out);
    BOOST_TEST(read_text(d + "/run/report.md").find(names) != std::string::npos, c.args);
    const trainer::LoadedVae model = trainer::load_vae(d + "/run/model.xgrad");
    BOOST_TEST(model.vae->prior().describe() == c.prior);
    BOOST_TEST(model.vae->posterior().describe() == c.posterior);
    r = run_trainer("evaluate --model " + d +
                        "/run/model.xgrad --test-limit 50 --k 20 --ll-subset 10 --recon-samples 2 "
                        "--progress none",
                    d);
    BOOST_REQUIRE_MESSAGE(r.status == 0, c.args << ": " << r.err);
    BOOST_TEST(r.out.find("-log p(x)") != std::string::npos, r.out);
    r = run_trainer("sample --model " + d + "/run/model.xgrad --count 4 --cols 2 --out " + d + "/s.png", d);
    BOOST_REQUIRE_MESSAGE(r.status == 0, c.args << ": " << r.err);
    BOOST_TEST(r.out.find("z ~ p(z) = " + c.prior) != std::string::npos, r.out);
  }
}

BOOST_AUTO_TEST_SUITE_END()
