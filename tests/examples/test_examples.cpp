// Runs each example program (built in ${XGRAD_BINARY_DIR}/examples) in its --short mode and checks its
// exit code, the lines it prints, the numbers in them (the relations the example demonstrates) and the
// files it writes (PNG sizes read from the IHDR chunk).
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr
  fs::path dir;        // --out directory
};

// Runs build/examples/<name> with `options`, plus `--out <dir>` unless with_out is false.
Run run_example(const std::string& name, const std::string& options = "--short", bool with_out = true) {
  Run r;
  r.dir = fs::path(XGRAD_BINARY_DIR) / "tests" / "examples_out" / name;
  fs::remove_all(r.dir);
  fs::create_directories(r.dir);
  const fs::path exe = fs::path(XGRAD_BINARY_DIR) / "examples" / name;
  BOOST_REQUIRE_MESSAGE(fs::exists(exe), "example binary " << exe << " is not built");
  const fs::path log = r.dir / "output.txt";
  const std::string out = with_out ? " --out '" + r.dir.string() + "'" : "";
  const std::string cmd = exe.string() + " " + options + out + " > '" + log.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  BOOST_TEST_MESSAGE(name << " output:\n" << r.output);
  return r;
}

void require_success(const Run& r) {
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "exit code " << r.exit_code << ", output:\n" << r.output);
}

void require_contains(const Run& r, const std::string& text) {
  BOOST_TEST(r.output.find(text) != std::string::npos, "output lacks '" << text << "'");
}

// The numbers on the first line that matches `line_regex` (a regex for the start of the line).
std::vector<double> numbers_on_line(const Run& r, const std::string& line_regex) {
  std::istringstream in(r.output);
  const std::regex start(line_regex);
  const std::regex number(R"([-+]?\d+\.\d+(?:[eE][-+]?\d+)?|[-+]?\d+)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, start) || m.position(0) != 0) continue;
    const std::string rest = m.suffix();
    std::vector<double> out;
    for (auto it = std::sregex_iterator(rest.begin(), rest.end(), number); it != std::sregex_iterator(); ++it)
      out.push_back(std::stod(it->str()));
    return out;
  }
  BOOST_FAIL("no output line matches '" << line_regex << "'");
  return {};
}

// {width, height} of a PNG file, from its IHDR chunk; {0, 0} when it is not a PNG.
std::pair<unsigned, unsigned> png_size(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char h[24] = {};
  in.read(reinterpret_cast<char*>(h), 24);
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (!in || !std::equal(sig, sig + 8, h) || std::string(reinterpret_cast<char*>(h + 12), 4) != "IHDR") return {0, 0};
  auto be32 = [&](int o) {
    return (unsigned(h[o]) << 24) | (unsigned(h[o + 1]) << 16) | (unsigned(h[o + 2]) << 8) | h[o + 3];
  };
  return {be32(16), be32(20)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(examples)

BOOST_AUTO_TEST_CASE(vae_step_by_step_prints_every_term_and_a_tightening_bound) {
  const Run r = run_example("vae_step_by_step");
  require_success(r);
  for (const char* s : {"== 1. encode", "mu  [4,10]", "log sigma^2  [4,10]", "eps  [4,10]", "z  [4,10]", "KL analytic",
                        "KL MC (L=10000)", "log p(x) estimate", "bits/dim"})
    require_contains(r, s);
  // Per example: ELBO = log p(x|z) - KL analytic; the Monte-Carlo KL (10000 samples) is close to the analytic.
  for (int n = 0; n < 4; ++n) {
    const auto v = numbers_on_line(r, "  x" + std::to_string(n) + " ");
    BOOST_REQUIRE_EQUAL(v.size(), 5u);
    BOOST_TEST(std::fabs(v[4] - (v[0] - v[1])) < 2e-3, "ELBO " << v[4] << " != " << v[0] << " - " << v[1]);
    BOOST_TEST(std::fabs(v[3] - v[1]) < 0.05 * std::max(1.0, v[1]), "KL MC " << v[3] << " vs analytic " << v[1]);
  }
  // The IWAE bound (5th number: the mean over the 4 examples) rises with k towards the log p(x) estimate.
  std::vector<double> bound;
  for (const char* k : {"  1 ", "  10 ", "  100 ", "  1000 ", "  5000 "}) bound.push_back(numbers_on_line(r, k).at(4));
  for (std::size_t i = 0; i + 2 < bound.size(); ++i)
    BOOST_TEST(bound[i] < bound[i + 1], "IWAE not increasing: " << bound[i] << " then " << bound[i + 1]);
  BOOST_TEST(bound[3] < bound[4] + 0.5, "IWAE_1000 " << bound[3] << " above log p(x) " << bound[4]);
  BOOST_TEST(bound[4] < 0.0);
}

BOOST_AUTO_TEST_CASE(denoising_autoencoder_writes_clean_corrupted_denoised_png) {
  const Run r = run_example("denoising_autoencoder");
  require_success(r);
  const double corrupted = numbers_on_line(r, "  corrupted input:").at(0);
  const double denoised = numbers_on_line(r, R"(  denoised \(reconstruct\(corrupted\)\):)").at(0);
  BOOST_TEST(denoised < corrupted, "denoised error " << denoised << " not below corrupted " << corrupted);
  // 3 rows of 10 tiles of 28x28 pixels at scale 2 with 2-pixel gaps.
  const auto size = png_size(r.dir / "denoising.png");
  BOOST_TEST(size.first == 10u * 58 + 2);
  BOOST_TEST(size.second == 3u * 58 + 2);
}

BOOST_AUTO_TEST_CASE(sparse_autoencoder_writes_filters_and_mean_activations) {
  const Run r = run_example("sparse_autoencoder");
  require_success(r);
  require_contains(r, "target rho = 0.050");
  const auto stats = numbers_on_line(r, "  average");  // average, median, min, max, target
  BOOST_REQUIRE_EQUAL(stats.size(), 5u);
  BOOST_TEST(stats[4] == 0.05);
  BOOST_TEST(stats[2] >= 0.0);
  BOOST_TEST(stats[3] <= 1.0);
  BOOST_TEST(stats[0] < 0.25, "mean activation " << stats[0] << " far above the target after training");
  const auto size = png_size(r.dir / "sparse_filters.png");  // 100 filters in 10 rows of 10
  BOOST_TEST(size.first == 10u * 58 + 2);
  BOOST_TEST(size.second == 10u * 58 + 2);
}

BOOST_AUTO_TEST_CASE(custom_distribution_conforms_and_trains) {
  const Run r = run_example("custom_distribution");
  require_success(r);
  require_contains(r, "=> CONFORMS");
  BOOST_TEST(r.output.find("FAIL") == std::string::npos);
  require_contains(r, "p(x|z) = laplace");
  require_contains(r, "rebuilt from JSON: VariationalAutoencoder, distribution laplace");
  const double before = numbers_on_line(r, "  test negative ELBO before training:").at(0);
  const double after = numbers_on_line(r, "  test negative ELBO after training:").at(0);
  BOOST_TEST(after < before, "training did not lower the negative ELBO: " << before << " -> " << after);
}

BOOST_AUTO_TEST_CASE(custom_prior_conforms_and_trains) {
  const Run r = run_example("custom_prior");
  require_success(r);
  require_contains(r, "=> CONFORMS");
  BOOST_TEST(r.output.find("FAIL") == std::string::npos);
  for (const char* check : {"PASS normalised", "PASS moments", "PASS gradient"}) require_contains(r, check);
  require_contains(r, "p(z) = laplace");
  require_contains(r, "KL term: Monte-Carlo");
  require_contains(r, "rebuilt from JSON: VariationalAutoencoder, prior laplace, same log p(z): yes");
  const double before = numbers_on_line(r, "  test negative ELBO before training:").at(0);
  const double after = numbers_on_line(r, "  test negative ELBO after training:").at(0);
  BOOST_TEST(after < before, "training did not lower the negative ELBO: " << before << " -> " << after);
}

BOOST_AUTO_TEST_CASE(vae_pretrain_classifier_prints_both_accuracies) {
  const Run r = run_example("vae_pretrain_classifier");
  require_success(r);
  const auto pretrained = numbers_on_line(r, "  VAE-pretrained encoder");           // fine-tuned, probe
  const auto scratch = numbers_on_line(r, R"(  random encoder \(from scratch\))");  // fine-tuned, probe
  BOOST_REQUIRE_EQUAL(pretrained.size(), 2u);
  BOOST_REQUIRE_EQUAL(scratch.size(), 2u);
  // Every classifier learns something even in the short run (chance is 10%), none exceeds 100%.
  for (double a : {pretrained[0], pretrained[1], scratch[0], scratch[1]}) {
    BOOST_TEST(a > 20.0);
    BOOST_TEST(a <= 100.0);
  }
  BOOST_TEST(fs::exists(r.dir / "pretrained_classifier.xgrad"));
}

BOOST_AUTO_TEST_CASE(composite_tabular_prints_per_part_log_likelihoods) {
  const Run r = run_example("composite_tabular");
  require_success(r);
  // Each line holds the value before and after training (part lines start with their column count).
  const auto gaussian = numbers_on_line(r, R"(  log p\(x_part\|z\), gaussian )");
  const auto bernoulli = numbers_on_line(r, R"(  log p\(x_part\|z\), bernoulli )");
  const auto categorical = numbers_on_line(r, R"(  log p\(x_part\|z\), categorical )");
  const auto sum = numbers_on_line(r, "  sum of the parts");
  const auto composite = numbers_on_line(r, "  CompositeDistribution::log_prob");
  const auto elbo = numbers_on_line(r, "  ELBO = reconstruction - KL");
  const auto log_px = numbers_on_line(r, R"(  log p\(x\), VariationalAutoencoder::log_likelihood)");
  const double truth = numbers_on_line(r, "  log p\\(x\\) of the generating model").back();
  for (std::size_t i = 0; i < 2; ++i) {
    // the parts add up to the composite's log-likelihood (values printed to 3 decimals)
    BOOST_TEST(std::fabs(gaussian.at(i + 1) + bernoulli.at(i + 1) + categorical.at(i + 1) - sum.at(i)) < 3e-3);
    BOOST_TEST(std::fabs(sum.at(i) - composite.at(i)) < 2e-3);
    BOOST_TEST(elbo.at(i) < log_px.at(i) + 0.1, "ELBO " << elbo.at(i) << " above log p(x) " << log_px.at(i));
  }
  BOOST_TEST(elbo[1] > elbo[0] + 1.0, "training did not raise the ELBO: " << elbo[0] << " -> " << elbo[1]);
  // No model beats the generating distribution on average over held-out rows (Gibbs' inequality).
  BOOST_TEST(log_px[1] < truth + 0.1, "log p(x) " << log_px[1] << " above the generating model's " << truth);
  // A categorical sample is a one-hot row: the last three numbers of a sampled row are 0/1 with one 1.
  const auto sample = numbers_on_line(r, "  sample");
  BOOST_REQUIRE_EQUAL(sample.size(), 10u);
  BOOST_TEST(sample[7] + sample[8] + sample[9] == 1.0);
}

// The examples of other parts of the project, in their own short modes.
BOOST_AUTO_TEST_CASE(autograd_basics_checks_hold) {
  const Run r = run_example("autograd_basics", "--short", false);
  require_success(r);
  require_contains(r, "gradcheck passed");
  require_contains(r, "all checks passed");
}

BOOST_AUTO_TEST_CASE(custom_op_is_registered_and_gradient_checked) {
  const Run r = run_example("custom_op", "--short", false);
  require_success(r);
  require_contains(r, "gradcheck passed");
  require_contains(r, "registered as 'example.swish_beta': yes");
  require_contains(r, "custom op OK");
}

BOOST_AUTO_TEST_CASE(mlp_classifier_learns_on_a_subset) {
  const Run r = run_example("mlp_classifier", "--limit 1000 --epochs 1", false);
  require_success(r);
  const double accuracy = numbers_on_line(r, "test accuracy").at(0);
  BOOST_TEST(accuracy > 50.0, "test accuracy " << accuracy << "% after one epoch on 1000 images");
  BOOST_TEST(accuracy <= 100.0);
}

BOOST_AUTO_TEST_CASE(cnn_classifier_learns_in_the_short_run) {
  const Run r = run_example("cnn_classifier");
  require_success(r);
  require_contains(r, "{32,28,28}");  // summary's output shapes
  require_contains(r, "{64,7,7}");
  const double accuracy = numbers_on_line(r, "test accuracy").at(0);
  BOOST_TEST(accuracy > 50.0, "test accuracy " << accuracy << "% after one epoch on 2000 images");
  BOOST_TEST(accuracy <= 100.0);
  BOOST_TEST(fs::exists(r.dir / "cnn_classifier.xgrad"));
}

BOOST_AUTO_TEST_CASE(vae_quality_lowers_the_test_negative_elbo) {
  const Run r = run_example("vae_quality", "--limit 300 --epochs 1", false);
  require_success(r);
  const double before = numbers_on_line(r, "# epoch 0 test_neg_elbo=").at(0);
  const double after = numbers_on_line(r, R"(xgrad_quality .* test_neg_elbo=)").at(0);
  BOOST_TEST(after < before, "test negative ELBO " << before << " -> " << after);
}

BOOST_AUTO_TEST_CASE(examples_reject_an_unknown_option) {
  const Run r = run_example("vae_step_by_step", "--no-such-option");
  BOOST_TEST(r.exit_code == 2);
  require_contains(r, "unknown option '--no-such-option'");
}

BOOST_AUTO_TEST_SUITE_END()
