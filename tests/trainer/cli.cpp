// The command line: defaults, parsed values, per-command help, unknown options and invalid values.
#include <boost/test/unit_test.hpp>

#include <iostream>
#include <sstream>
#include <vector>

#include "trainer/cli.hpp"
#include "trainer/exit_codes.hpp"

using namespace xgrad::trainer;

namespace {
/// Parses args (without the program name), capturing what CLI11 prints.
int parse(Cli& cli, std::vector<const char*> args, std::string* printed = nullptr) {
  args.insert(args.begin(), "xgrad-vae");
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  const int status = cli.parse(static_cast<int>(args.size()), args.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  if (printed) *printed = out.str() + err.str();
  return status;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_cli)

BOOST_AUTO_TEST_CASE(defaults_of_train) {
  Cli cli;
  BOOST_TEST(parse(cli, {"train"}) == -1);
  BOOST_TEST(cli.command() == "train");
  BOOST_TEST(cli.run.model.encoder_layers == std::vector<std::size_t>({512}));
  BOOST_TEST(cli.run.model.distribution == "bernoulli");
  BOOST_TEST(cli.run.data.data_dir == "/usr/share/datasets/fashion-mnist");
  BOOST_TEST(cli.run.train.out_dir == "out/vae");
  BOOST_TEST(cli.map_run.model.latent == 2u);  // latent-map's own defaults
}

BOOST_AUTO_TEST_CASE(values_are_parsed_into_settings) {
  Cli cli;
  BOOST_TEST(parse(cli, {"train", "--encoder-layers", "300,100", "--latent", "2", "--distribution",
                         "gaussian:200,bernoulli:584", "--binarization", "static", "--epochs", "3", "--limit", "500",
                         "--learning-rate", "0.002", "--resume"}) == -1);
  BOOST_TEST(cli.run.model.encoder_layers == std::vector<std::size_t>({300, 100}));
  BOOST_TEST(cli.run.model.latent == 2u);
  BOOST_TEST(cli.run.data.binarization == "static");
  BOOST_TEST(cli.run.train.epochs == 3u);
  BOOST_TEST(cli.run.data.limit == 500u);
  BOOST_TEST(cli.run.train.learning_rate == 0.002);
  BOOST_TEST(cli.run.train.resume);
  Cli ev;
  BOOST_TEST(parse(ev, {"evaluate", "--model", "m.xgrad", "--k", "100", "--ll-subset", "0"}) == -1);
  BOOST_TEST(ev.command() == "evaluate");
  BOOST_TEST(ev.use.model == "m.xgrad");
  BOOST_TEST(ev.evaluate.k == 100u);
}

BOOST_AUTO_TEST_CASE(help_lists_every_option_with_its_default) {
  Cli cli;
  std::string text;
  BOOST_TEST(parse(cli, {"train", "--help"}, &text) == kExitOk);
  for (const auto& b : cli.bound("train").options) {
    BOOST_TEST(text.find(b.option->get_name()) != std::string::npos, "help lacks " << b.option->get_name());
  }
  BOOST_TEST(text.find("[512]") != std::string::npos);      // default of --encoder-layers
  BOOST_TEST(text.find("bernoulli") != std::string::npos);  // default of --distribution
  BOOST_TEST(text.find("dataset-fashion-mnist") != std::string::npos);
  for (const char* cmd : {"evaluate", "sample", "reconstruct", "anomaly", "latent-map"}) {
    Cli c;
    std::string t;
    BOOST_TEST(parse(c, {cmd, "--help"}, &t) == kExitOk);
    BOOST_TEST(t.find("--model") != std::string::npos, cmd);
    BOOST_TEST(t.find("--seed") != std::string::npos, cmd);
  }
}

BOOST_AUTO_TEST_CASE(bad_command_lines_exit_2_with_a_message) {
  std::string text;
  Cli a;
  BOOST_TEST(parse(a, {"train", "--no-such-option"}, &text) == kExitUsage);
  BOOST_TEST(text.find("--no-such-option") != std::string::npos, text);
  Cli b;
  BOOST_TEST(parse(b, {"train", "--batch-size", "0"}, &text) == kExitUsage);
  BOOST_TEST(text.find("--batch-size") != std::string::npos, text);
  BOOST_TEST(text.find("allowed: [1, 60000]") != std::string::npos, text);
  Cli c;
  BOOST_TEST(parse(c, {"train", "--binarization", "sometimes"}, &text) == kExitUsage);
  BOOST_TEST(text.find("none, static, dynamic") != std::string::npos, text);
  Cli d;
  BOOST_TEST(parse(d, {"train", "--activation", "nosuch"}, &text) == kExitUsage);
  BOOST_TEST(text.find("leakyrelu") != std::string::npos, text);
  Cli e;
  BOOST_TEST(parse(e, {"train", "--distribution", "gaussian:100,bernoulli:100"}, &text) == kExitUsage);
  BOOST_TEST(text.find("add up to 200") != std::string::npos, text);
  Cli f;
  BOOST_TEST(parse(f, {}, &text) == kExitUsage);  // a subcommand is required
  Cli g;
  BOOST_TEST(parse(g, {"train", "--learning-rate", "-1"}, &text) == kExitUsage);
  BOOST_TEST(text.find("greater than 0") == std::string::npos);  // bounded range: shown as an interval
  BOOST_TEST(text.find("(0, 10]") != std::string::npos, text);
}

BOOST_AUTO_TEST_SUITE_END()
