// The trainer end to end on a small subset: train writes every output, the CSV parses, the PNGs decode
// with the expected sizes, the model file loads and every model command runs on it.
#include <boost/test/unit_test.hpp>

#include <functional>

#include <unistd.h>

#include <filesystem>

#include "png_size.hpp"
#include "run_binary.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/metrics.hpp"
#include "trainer/model_file.hpp"

using namespace xgrad::test;
namespace fs = std::filesystem;

namespace {

/// Removes a directory when the test process ends.
struct RemoveAtExit {
  std::string path;
  ~RemoveAtExit() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// One small training run shared by the cases of this process (300 images, 1 epoch, 2-D latent so every
/// picture exists); per process, as CTest runs every case in its own process, possibly in parallel.
const std::string& trained_dir() {
  static const std::string dir = [] {
    const std::string d = scratch_dir("e2e_train_" + std::to_string(::getpid()));
    static RemoveAtExit cleanup{d};
    const RunResult r = run_trainer(
        "train --limit 300 --test-limit 200 --epochs 1 --latent 2 --encoder-layers 64 "
        "--decoder-layers 64 --batch-size 50 --progress lines --out " +
            d + "/run",
        d);
    BOOST_REQUIRE_MESSAGE(r.status == 0, "train failed (" << r.status << "): " << r.err << r.out);
    return d + "/run";
  }();
  return dir;
}

/// Requires that the PNG at `path` decodes to w x h pixels.
void check_png(const std::string& path, int w, int h) {
  const auto size = png_size(path);
  BOOST_TEST(size.first == w, path << " width");
  BOOST_TEST(size.second == h, path << " height");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_end_to_end)

BOOST_AUTO_TEST_CASE(train_writes_every_output) {
  const std::string d = trained_dir();
  for (const char* f : {"model.xgrad", "config.json", "metrics.csv", "report.md", "reconstructions.png", "samples.png",
                        "loss_curves.png", "latent_manifold.png", "latent_scatter.png"})
    BOOST_TEST(fs::exists(d + "/" + f), f << " missing");
  BOOST_TEST(!fs::exists(d + "/model.xgrad.tmp"));
  const std::string report = read_text(d + "/report.md");
  for (const char* s : {"![", "samples.png", "latent_scatter.png", "negative ELBO", "| latent | `2` |"})
    BOOST_TEST(report.find(s) != std::string::npos, "report.md lacks " << s);
}

BOOST_AUTO_TEST_CASE(metrics_csv_parses_with_sane_values) {
  const auto rows = xgrad::trainer::read_metrics_csv(trained_dir() + "/metrics.csv");
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0].epoch == 1u);
  // a binary 784-pixel image costs at most 784 ln 2 = 543 nats under p = 1/2; one epoch does better
  BOOST_TEST(rows[0].test_neg_elbo > 50.0);
  BOOST_TEST(rows[0].test_neg_elbo < 543.5);
  BOOST_TEST(std::abs(rows[0].test_neg_elbo - rows[0].test_recon - rows[0].test_kl) < 1e-3);
  BOOST_TEST(rows[0].train_kl >= 0.0);
  BOOST_TEST(rows[0].seconds > 0.0);
}

BOOST_AUTO_TEST_CASE(pngs_decode_with_expected_sizes) {
  const std::string d = trained_dir();
  // samples: 10x10 tiles of 56 px with 2 px padding
  check_png(d + "/samples.png", 2 + 10 * 58, 2 + 10 * 58);
  // manifold: 20x20 tiles of 28 px, no padding
  check_png(d + "/latent_manifold.png", 560, 560);
  check_png(d + "/loss_curves.png", 3 * 760, 480);
  check_png(d + "/latent_scatter.png", 900, 720);
  const auto rec = png_size(d + "/reconstructions.png");
  BOOST_TEST(rec.first > 8 * 2 * 56);  // 8 pairs per row
  BOOST_TEST(rec.second > 5 * 56);     // 5 rows of 40 images
}

BOOST_AUTO_TEST_CASE(model_file_loads_with_its_settings) {
  const auto m = xgrad::trainer::load_vae(trained_dir() + "/model.xgrad");
  BOOST_TEST(m.vae->n_in() == 784u);
  BOOST_TEST(m.vae->n_out() == 2u);
  BOOST_TEST(m.epochs_completed() == 1u);
  BOOST_TEST(m.extra["settings"]["limit"] == 300);
  BOOST_TEST((m.binarization() == xgrad::nn::data::Binarization::dynamic));
}

namespace {
// Saves the trained model with `change` applied to its metadata and checks that load_vae rejects it with an
// InputError naming the file and containing every string of `expected`.
void check_bad_metadata_is_named(const std::string& scratch, const std::function<void(nlohmann::json&)>& change,
                                 const std::vector<std::string>& expected) {
  auto m = xgrad::trainer::load_vae(trained_dir() + "/model.xgrad");
  const std::string path = scratch_dir(scratch) + "/bad.xgrad";
  nlohmann::json extra = m.extra;
  change(extra);
  xgrad::nn::save_model(path, *m.vae, m.vae->config(), nullptr, extra);
  try {
    xgrad::trainer::load_vae(path);
    BOOST_FAIL("load_vae accepted " + extra.dump());
  } catch (const xgrad::trainer::InputError& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("cannot read model file '" + path + "'") != std::string::npos, what);
    for (const auto& x : expected) BOOST_TEST(what.find(x) != std::string::npos, what);
  }
}
}  // namespace

BOOST_AUTO_TEST_CASE(model_file_with_unreadable_metadata_names_the_file) {
  // Found by fuzz/model_file: an unknown binarisation in the metadata escaped as an InvalidArgument without the path.
  check_bad_metadata_is_named(
      "e2e_bad_metadata", [](nlohmann::json& extra) { extra["settings"]["binarization"] = "dydtyPe"; }, {"dydtyPe"});
}

BOOST_AUTO_TEST_CASE(model_file_with_negative_epochs_completed_names_the_file) {
  // nlohmann's get<std::size_t>() read -1 as 2^64-1: --resume would have thought every epoch done.
  check_bad_metadata_is_named("e2e_bad_epochs", [](nlohmann::json& extra) { extra["epochs_completed"] = -1; },
                              {"epochs_completed", "-1"});
}

BOOST_AUTO_TEST_CASE(evaluate_runs_on_the_model) {
  const std::string d = scratch_dir("e2e_evaluate");
  const RunResult r = run_trainer("evaluate --model " + trained_dir() +
                                      "/model.xgrad --test-limit 100 --k 50 "
                                      "--ll-subset 20 --recon-samples 4 --progress none --out " +
                                      d + "/eval.json",
                                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  for (const char* s : {"negative ELBO", "-log p(x)", "bits/dim", "reconstruction log-probability"})
    BOOST_TEST(r.out.find(s) != std::string::npos, "evaluate output lacks " << s << ":\n" << r.out);
  const auto j = nlohmann::json::parse(read_text(d + "/eval.json"));
  // importance weighting tightens the bound: -log p(x) <= negative ELBO (up to sampling noise)
  BOOST_TEST(j["neg_log_px"].get<double>() < j["neg_elbo"].get<double>() + 2.0);
  BOOST_TEST(j["neg_log_px_bits_per_dim"].get<double>() == j["neg_log_px"].get<double>() / (784 * std::log(2.0)),
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(j["log_px_images"] == 20);
}

BOOST_AUTO_TEST_CASE(sample_reconstruct_anomaly_latent_map_write_their_pngs) {
  const std::string d = scratch_dir("e2e_commands");
  const std::string model = trained_dir() + "/model.xgrad";
  RunResult r = run_trainer("sample --model " + model + " --count 12 --cols 4 --out " + d + "/s.png", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  check_png(d + "/s.png", 2 + 4 * 58, 2 + 3 * 58);
  r = run_trainer("reconstruct --model " + model + " --test-limit 50 --count 6 --cols 3 --out " + d + "/r.png", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  BOOST_TEST(png_size(d + "/r.png").first > 3 * 2 * 56);
  r = run_trainer("anomaly --model " + model +
                      " --test-limit 200 --per-class 3 --recon-samples 2 --progress none "
                      "--out " +
                      d + "/a.png",
                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  const auto a = png_size(d + "/a.png");
  BOOST_TEST(a.first > 6 * 58);
  BOOST_TEST(a.second > 10 * 58);  // one row per class
  const std::string csv = read_text(d + "/a.csv");
  BOOST_TEST(std::count(csv.begin(), csv.end(), '\n') == 201);  // header + every test image
  r = run_trainer("latent-map --model " + model + " --test-limit 100 --grid 5 --out " + d + "/map", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  check_png(d + "/map/latent_manifold.png", 140, 140);
  BOOST_TEST(png_size(d + "/map/latent_scatter.png").first == 900);
}

BOOST_AUTO_TEST_CASE(config_json_and_resume_continue_the_run) {
  // config.json holds the effective settings; --config with --resume adds a second epoch to a copy
  const std::string d = scratch_dir("e2e_resume");
  fs::copy(trained_dir(), d + "/run");
  const auto j = nlohmann::json::parse(read_text(d + "/run/config.json"));
  BOOST_TEST(j["latent"] == 2);
  BOOST_TEST(j["encoder_layers"] == nlohmann::json({64}));
  const RunResult r = run_trainer(
      "train --config " + d + "/run/config.json --out " + d + "/run --resume --epochs 2 --progress none", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("resuming") != std::string::npos, r.out);
  const auto rows = xgrad::trainer::read_metrics_csv(d + "/run/metrics.csv");
  BOOST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[1].epoch == 2u);
  BOOST_TEST(xgrad::trainer::load_vae(d + "/run/model.xgrad").epochs_completed() == 2u);
  // a changed model setting cannot resume
  const RunResult bad = run_trainer(
      "train --config " + d + "/run/config.json --out " + d + "/run --resume --epochs 3 --latent 3 --progress none", d);
  BOOST_TEST(bad.status == 2);
  BOOST_TEST(bad.err.find("cannot resume: setting 'latent'") != std::string::npos, bad.err);
  const RunResult conv = run_trainer("train --config " + d + "/run/config.json --out " + d +
                                         "/run --resume --epochs 3 --architecture conv --progress none",
                                     d);
  BOOST_TEST(conv.status == 2);
  BOOST_TEST(conv.err.find("cannot resume: setting 'architecture' is \"conv\" now but \"dense\"") != std::string::npos,
             conv.err);
}

BOOST_AUTO_TEST_SUITE_END()
