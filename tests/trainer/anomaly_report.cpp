// `xgrad-vae anomaly --data FILE` end to end on small files the test writes: the scores CSV (one row per data
// row), anomaly.md (data, model, row count, score definitions, AUROC / average precision recomputed here from the
// scores CSV, the most and least typical rows), the ROC curve PNG with labels, the PNG of typical images for IDX
// rows, "rows" vs "images" in the words, --progress none, and bad labels named with nothing written.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "png_size.hpp"

#include "autograd/errors.hpp"
#include "trainer/anomaly_report.hpp"
#include "trainer/ranking.hpp"
#include "user_data_files.hpp"

using namespace xgrad::test;
namespace fs = std::filesystem;

namespace {

struct Scores {
  std::vector<double> recon, logpx;
  std::vector<int> labels;
  std::string header;
};

/// Reads anomaly_scores.csv, checking every line has the header's number of fields and index = its row.
Scores read_scores(const std::string& path) {
  Scores s;
  std::ifstream in(path);
  std::getline(in, s.header);
  const std::size_t fields = static_cast<std::size_t>(std::count(s.header.begin(), s.header.end(), ',')) + 1;
  std::string line;
  for (std::size_t row = 0; std::getline(in, line); ++row) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    BOOST_REQUIRE_MESSAGE(cells.size() == fields, path << " row " << row << ": " << line);
    BOOST_TEST(std::stoul(cells[0]) == row);
    s.recon.push_back(std::stod(cells[1]));
    s.logpx.push_back(std::stod(cells[2]));
    if (fields == 4) s.labels.push_back(std::stoi(cells[3]));
  }
  return s;
}

std::string fixed4(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::vector<double> negated(std::vector<double> v) {
  for (double& a : v) a = -a;
  return v;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_anomaly_report)

BOOST_AUTO_TEST_CASE(typical_picture_scales_values_outside_0_1) {
  using namespace xgrad::trainer;
  auto count = [](const Image& img, Color c) {
    std::size_t n = 0;
    for (std::size_t y = 0; y < img.height(); ++y)
      for (std::size_t x = 0; x < img.width(); ++x) n += img.at(x, y).r == c.r && img.at(x, y).g == c.g;
    return n;
  };
  // two 1x2 "images" with values in [2, 4]: shown by min and max, 2 black, 3 mid-grey, 4 white (not all clamped to 1)
  const xgrad::Tensor x = xgrad::Tensor::from({2, 2}, std::vector<double>{2, 3, 4, 3}, xgrad::DType::float64);
  const Image img = typical_picture(x, typical_rows({1, 2}, 1), 1, 2);
  BOOST_TEST(count(img, kBlack) > 0u);
  BOOST_TEST(count(img, grey(0.5)) > 0u);
  // values in [0, 1] are shown as they are: 0.5 stays mid-grey, no black
  const xgrad::Tensor y = xgrad::Tensor::from({2, 2}, std::vector<double>{0.5, 0.5, 1, 1}, xgrad::DType::float64);
  BOOST_TEST(count(typical_picture(y, typical_rows({1, 2}, 1), 1, 2), kBlack) == 0u);
  AnomalyReportInputs in;
  in.recon = {1, 2};
  in.logpx = {1};
  BOOST_CHECK_THROW(anomaly_report_markdown(in), xgrad::InvalidArgument);
}

BOOST_AUTO_TEST_CASE(labelled_csv_gets_scores_report_and_roc_curve) {
  const std::string d = scratch_dir("an_csv");
  const std::string csv = write_csv(d + "/t.csv", 40, 4, true);
  RunResult r = run_trainer("train --data " + csv + " --distribution gaussian " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  {
    std::ofstream l(d + "/labels.txt");
    for (int i = 0; i < 40; ++i) l << (i % 4 == 0 ? 1 : 0) << "\n";
  }
  const std::string out = d + "/an";
  r = run_trainer("anomaly --model " + d + "/run/model.xgrad --data " + csv + " --labels " + d +
                      "/labels.txt --k 5 --recon-samples 2 --top 3 --progress none --out " + out,
                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(!contains(r.out, "ETA"), r.out);  // --progress none: no progress lines, only the results
  BOOST_TEST(contains(r.out, "AUROC (label 1 = anomaly)"), r.out);
  BOOST_TEST(contains(r.out, "wrote " + out + "/anomaly.md with " + out + "/anomaly_roc.png"), r.out);

  const Scores s = read_scores(out + "/anomaly_scores.csv");
  BOOST_TEST(s.header == "index,recon_logprob,logpx,label");
  BOOST_REQUIRE(s.recon.size() == 40u);
  BOOST_TEST(s.labels[0] == 1);
  BOOST_TEST(s.labels[1] == 0);

  const std::string md = read_text(out + "/anomaly.md");
  for (const std::string& part :
       {std::string("# xgrad-vae anomaly report"),
        "Scored 40 rows of `" + csv + "` with the model `" + d + "/run/model.xgrad`",
        std::string("DL4J's `reconstructionLogProbability`, n = 2 samples"),
        std::string("importance-weighted with k = 5"), std::string("10 anomalies (label 1) and 30 normal rows"),
        std::string("`anomaly_scores.csv`"), std::string("![ROC curves](anomaly_roc.png)"),
        std::string("| chance | 0.5000 | 0.2500 |")})
    BOOST_TEST(contains(md, part), "report lacks '" << part << "':\n" << md);
  BOOST_TEST(!contains(md, "image"), md);  // tabular data: "rows"
  using xgrad::trainer::auroc;
  using xgrad::trainer::average_precision;
  const std::vector<double> a_recon = negated(s.recon), a_logpx = negated(s.logpx);
  // the figures in the report are those of the scores file (printed there with 6 decimals)
  const std::string recon_row = "| -reconstruction log-probability | " + fixed4(auroc(a_recon, s.labels)) + " | " +
                                fixed4(average_precision(a_recon, s.labels)) + " |";
  const std::string logpx_row =
      "| -log p(x) | " + fixed4(auroc(a_logpx, s.labels)) + " | " + fixed4(average_precision(a_logpx, s.labels)) + " |";
  BOOST_TEST(contains(md, recon_row), recon_row << "\n" << md);
  BOOST_TEST(contains(md, logpx_row), logpx_row << "\n" << md);
  // the top 3 by reconstruction log-probability (the default --score), most typical first
  const xgrad::trainer::TypicalRows t = xgrad::trainer::typical_rows(s.recon, 3);
  for (std::size_t k = 0; k < 3; ++k) {
    BOOST_TEST(contains(md, "| " + std::to_string(k + 1) + " | " + std::to_string(t.most[k]) + " | "), md);
    BOOST_TEST(contains(md, "| " + std::to_string(k + 1) + " | " + std::to_string(t.least[k]) + " | "), md);
  }
  BOOST_TEST(!contains(md, "| 4 | "), md);

  BOOST_TEST((png_size(out + "/anomaly_roc.png") == std::pair<int, int>(640, 600)));
  BOOST_TEST(!fs::exists(out + "/anomaly_typical.png"));  // rows without an image shape
}

BOOST_AUTO_TEST_CASE(idx_images_get_a_picture_of_the_typical_images) {
  const std::string d = scratch_dir("an_idx");
  const std::string idx = write_idx_images(d + "/img-idx3-ubyte");
  RunResult r = run_trainer("train --data " + idx + " --distribution bernoulli " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(contains(r.out, "16 training / 4 test images"), r.out);
  BOOST_TEST(contains(read_text(d + "/run/report.md"), "16 training images, 4 test images"));
  r = run_trainer("anomaly --model " + d + "/run/model.xgrad --data " + idx +
                      " --k 5 --recon-samples 2 --top 4 --score logpx --progress none --out " + d + "/x/s.csv",
                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  const Scores s = read_scores(d + "/x/s.csv");
  BOOST_TEST(s.header == "index,recon_logprob,logpx");
  BOOST_TEST(s.recon.size() == 20u);
  const std::string md = read_text(d + "/x/anomaly.md");
  BOOST_TEST(contains(md, "Scored 20 images of"), md);
  BOOST_TEST(contains(md, "By log p(x) (`--score`), the 4 highest and the 4 lowest"), md);
  BOOST_TEST(contains(md, "![The most typical (top row) and least typical (bottom row) images](anomaly_typical.png)"),
             md);
  BOOST_TEST(!contains(md, "## Detection"), md);
  const auto [w, h] = png_size(d + "/x/anomaly_typical.png");
  BOOST_TEST(w > 4 * 5 * 2);  // 4 tiles of 5 pixels at scale >= 2 and a label
  BOOST_TEST(h > 2 * 4 * 2);  // two rows of 4-pixel tiles
  BOOST_TEST(!fs::exists(d + "/x/anomaly_roc.png"));
}

BOOST_AUTO_TEST_CASE(bad_labels_are_named_and_nothing_is_written) {
  const std::string d = scratch_dir("an_bad");
  const std::string csv = write_csv(d + "/t.csv", 40, 4, true);
  const RunResult r =
      run_trainer("train --data " + csv + " --distribution gaussian " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  const std::string out = d + "/no";
  const auto anomaly = [&](const std::string& args) {
    return run_trainer("anomaly --model " + d + "/run/model.xgrad --k 5 --recon-samples 2 --out " + out + " " + args,
                       d);
  };
  const auto labels_file = [&](const std::string& name, const std::string& text) {
    std::ofstream(d + "/" + name) << text;
    return " --data " + csv + " --labels " + d + "/" + name;
  };
  std::string zeros, ones_and_x, gap;
  for (int i = 0; i < 40; ++i) zeros += "0\n";
  expect_failure(anomaly(labels_file("zeros.txt", zeros)), 3, {"zeros.txt", "all 40 labels are 0", "both 1"}, out);
  expect_failure(anomaly(labels_file("x.txt", "1\n0\nx\n")), 3, {"x.txt", "line 3", "'x' is not 0 or 1"}, out);
  expect_failure(anomaly(labels_file("two.txt", "0\n0.5\n")), 3, {"two.txt", "line 2", "'0.5' is not 0 or 1"}, out);
  expect_failure(anomaly(labels_file("short.txt", "0\n1\n")), 3, {"short.txt", "2 labels", "40 rows"}, out);
  expect_failure(anomaly(labels_file("gap.txt", "0\n\n1\n")), 3, {"gap.txt", "line 2 is blank"}, out);
  {
    std::ofstream f(d + "/ones.csv");
    f << "col0,col1,col2,col3,y\n";  // the model's column names
    for (int i = 0; i < 10; ++i) f << "0.1,0.2,0.3,0.4,1\n";
  }
  expect_failure(anomaly("--data " + d + "/ones.csv --label-column y"), 3,
                 {"ones.csv", "label column 'y'", "all 10 labels are 1"}, out);
  {
    std::ofstream f(d + "/three.csv");
    f << "col0,col1,col2,col3,y\n0.1,0.2,0.3,0.4,1\n0.1,0.2,0.3,0.4,3\n";
  }
  expect_failure(anomaly("--data " + d + "/three.csv --label-column y"), 3,
                 {"three.csv", "data row 2", "label column 'y'", "value 3 is not 0 or 1"}, out);
  expect_failure(anomaly(labels_file("ok.txt", "1\n") + " --label-column 1"), 2, {"not both"}, out);
  const std::string other = write_csv(d + "/o.csv", 5, 3, false);
  expect_failure(anomaly("--data " + other), 3, {"o.csv", "3 columns", "trained on 4"}, out);
  expect_failure(run_trainer("anomaly --model " + d + "/run/model.xgrad --labels " + d + "/ok.txt --out " + out, d), 2,
                 {"--labels needs --data"}, out);
}

BOOST_AUTO_TEST_SUITE_END()
