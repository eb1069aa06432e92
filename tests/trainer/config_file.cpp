// --config JSON files: values fill unset options through their validators, the command line wins,
// unknown keys and bad values are named, and the effective config round-trips.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "test_helpers.hpp"
#include "trainer/config_file.hpp"
#include "trainer/exit_codes.hpp"

using namespace xgrad::trainer;
using xgrad::test::check_throws_with;

namespace {
int parse_args(Cli& cli, std::vector<const char*> args) {
  args.insert(args.begin(), "xgrad-vae");
  return cli.parse(static_cast<int>(args.size()), args.data());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_config_file)

BOOST_AUTO_TEST_CASE(json_fills_options_and_the_command_line_wins) {
  Cli cli;
  BOOST_REQUIRE(parse_args(cli, {"train", "--epochs", "7"}) == -1);
  apply_config(cli.bound("train"),
               {{"command", "train"},
                {"epochs", 2},
                {"batch_size", 50},
                {"encoder_layers", {128, 64}},
                {"distribution", "gaussian(tanh)"},
                {"resume", true},
                {"learning_rate", 0.01}},
               "test.json");
  BOOST_TEST(cli.run.train.epochs == 7u);  // given on the command line
  BOOST_TEST(cli.run.train.batch_size == 50u);
  BOOST_TEST(cli.run.model.encoder_layers == std::vector<std::size_t>({128, 64}));
  BOOST_TEST(cli.run.model.distribution == "gaussian(tanh)");
  BOOST_TEST(cli.run.train.resume);
  BOOST_TEST(cli.run.train.learning_rate == 0.01);
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_bad_values_are_named) {
  Cli cli;
  BOOST_REQUIRE(parse_args(cli, {"train"}) == -1);
  check_throws_with<UsageError>(
      [&] {
        apply_config(cli.bound("train"), {{"batchsize", 5}}, "c.json");
      },
      {"c.json", "unknown key 'batchsize'", "batch_size"});
  check_throws_with<UsageError>(
      [&] {
        apply_config(cli.bound("train"), {{"batch_size", 0}}, "c.json");
      },
      {"c.json", "key 'batch_size'", "allowed: [1, 60000]"});
  check_throws_with<UsageError>(
      [&] {
        apply_config(cli.bound("train"), {{"latent", {{"a", 1}}}}, "c.json");
      },
      {"key 'latent'"});
  check_throws_with<UsageError>([&] { apply_config(cli.bound("train"), nlohmann::json::array(), "c.json"); },
                                {"JSON object"});
}

BOOST_AUTO_TEST_CASE(effective_config_round_trips_through_a_file) {
  Cli a;
  BOOST_REQUIRE(parse_args(a, {"train", "--latent", "5", "--decoder-layers", "300,200", "--beta", "0.5", "--seed",
                               "123456789012"}) == -1);
  const nlohmann::json eff = effective_config("train", a.bound("train"));
  BOOST_TEST(eff["command"] == "train");
  BOOST_TEST(eff["latent"] == 5);
  BOOST_TEST(eff["decoder_layers"] == nlohmann::json({300, 200}));
  BOOST_TEST(eff["seed"] == 123456789012ULL);
  const std::string path = std::string(XGRAD_BINARY_DIR) + "/trainer_config_round_trip.json";
  std::ofstream(path) << eff.dump(2);
  Cli b;
  const std::string arg = "--config=" + path;
  BOOST_REQUIRE(parse_args(b, {"train", arg.c_str()}) == -1);
  nlohmann::json back = effective_config("train", b.bound("train"));
  BOOST_TEST(back == eff);
  BOOST_TEST(b.run.model.decoder_layers == std::vector<std::size_t>({300, 200}));
  BOOST_TEST(b.run.model.beta == 0.5);
}

BOOST_AUTO_TEST_CASE(broken_json_file_is_a_usage_error) {
  const std::string path = std::string(XGRAD_BINARY_DIR) + "/trainer_config_broken.json";
  std::ofstream(path) << "{\"epochs\": ";
  Cli cli;
  const std::string arg = "--config=" + path;
  BOOST_TEST(parse_args(cli, {"train", arg.c_str()}) == kExitUsage);
}

BOOST_AUTO_TEST_SUITE_END()
