// Bad input to xgrad-vae: each case prints a clear message and exits with its status
// (2 usage, 3 missing input, 4 unwritable output).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "run_binary.hpp"

using namespace xgrad::test;

namespace {
void expect(const RunResult& r, int status, const std::vector<std::string>& fragments) {
  BOOST_TEST(r.status == status, "status " << r.status << ", stderr: " << r.err);
  for (const auto& f : fragments)
    BOOST_TEST(r.err.find(f) != std::string::npos, "stderr lacks '" << f << "': " << r.err);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_bad_input)

BOOST_AUTO_TEST_CASE(unknown_option) {
  const std::string d = scratch_dir("bad_unknown");
  expect(run_trainer("train --epoch 3", d), 2, {"--epoch"});
  expect(run_trainer("fly", d), 2, {"unknown command 'fly'", "train"});
}

BOOST_AUTO_TEST_CASE(invalid_values_state_the_allowed_range) {
  const std::string d = scratch_dir("bad_value");
  expect(run_trainer("train --latent 0", d), 2, {"--latent", "value 0 is out of range (allowed: [1, 4096])"});
  expect(run_trainer("train --batch-size many", d), 2, {"--batch-size", "many"});
  expect(run_trainer("evaluate --k 0", d), 2, {"--k", "allowed: [1, 1000000]"});
  expect(run_trainer("train --binarization maybe", d), 2, {"'maybe' is not one of: none, static, dynamic"});
  expect(run_trainer("train --distribution gaussian:10", d), 2, {"column counts add up to 10", "784"});
  expect(run_trainer("train --iwae-k 5 --num-samples 3 --limit 10 --test-limit 10 --out " + d + "/o", d), 2,
         {"--iwae-k 5 and --num-samples 3 conflict"});
}

BOOST_AUTO_TEST_CASE(latent_map_needs_a_2d_latent_space) {
  const std::string d = scratch_dir("bad_latent_map");
  expect(run_trainer("latent-map --latent 3 --out " + d + "/o", d), 2, {"--latent must be 2", "got 3"});
}

BOOST_AUTO_TEST_CASE(missing_dataset_names_the_debian_package) {
  const std::string d = scratch_dir("bad_dataset");
  expect(run_trainer("train --data-dir " + d + "/nothing-here --out " + d + "/o", d), 3,
         {"dataset-fashion-mnist", "nothing-here"});
}

BOOST_AUTO_TEST_CASE(failed_dataset_load_creates_no_output_directory) {
  const std::string d = scratch_dir("bad_dataset_no_out");
  expect(run_trainer("train --data-dir " + d + "/nothing-here --out " + d + "/o", d), 3, {"nothing-here"});
  BOOST_TEST(!std::filesystem::exists(d + "/o"), "train created --out although its data did not load");
  expect(run_trainer("evaluate --model " + d + "/missing.xgrad --out " + d + "/e/eval.json", d), 3, {"missing.xgrad"});
  BOOST_TEST(!std::filesystem::exists(d + "/e"),
             "evaluate created the directory of --out although its model did not load");
}

BOOST_AUTO_TEST_CASE(unreadable_model_file) {
  const std::string d = scratch_dir("bad_model");
  expect(run_trainer("evaluate --model " + d + "/missing.xgrad", d), 3,
         {"cannot read model file '" + d + "/missing.xgrad'", "no such file"});
  std::ofstream(d + "/garbage.xgrad") << "this is not a model";
  expect(run_trainer("sample --model " + d + "/garbage.xgrad", d), 3, {"cannot read model file", "garbage.xgrad"});
}

BOOST_AUTO_TEST_CASE(output_directory_not_writable) {
  const std::string d = scratch_dir("bad_out");
  std::ofstream(d + "/afile") << "x";  // a regular file where a directory is needed (fails even as root)
  expect(run_trainer("train --limit 10 --test-limit 10 --out " + d + "/afile/sub", d), 4,
         {"output directory '" + d + "/afile/sub' is not writable"});
}

BOOST_AUTO_TEST_CASE(bad_config_file) {
  const std::string d = scratch_dir("bad_config");
  std::ofstream(d + "/c.json") << R"({"epochs": 0})";
  expect(run_trainer("train --config " + d + "/c.json", d), 2, {"c.json", "key 'epochs'", "allowed: [1, 100000]"});
  expect(run_trainer("train --config " + d + "/absent.json", d), 2, {"absent.json"});
}

BOOST_AUTO_TEST_SUITE_END()
