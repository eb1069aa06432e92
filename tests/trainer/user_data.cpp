// `xgrad-vae train --data FILE` on small files the tests write: CSV (with and without a header) and
// .npy of any width, the held-out split or --test-data, the distribution spec checked against the
// data's width, tabular column lists, class codes and standardisation saved with the model, and bad input named by
// file, row, column and value with nothing written.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "nn/data/file_io.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/npy.hpp"
#include "run_binary.hpp"
#include "trainer/model_file.hpp"
#include "user_data_files.hpp"

using namespace xgrad::test;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(trainer_user_data)

BOOST_AUTO_TEST_CASE(csv_with_header_trains_any_width_with_a_held_out_fraction) {
  const std::string d = scratch_dir("ud_csv");
  const std::string csv = write_csv(d + "/t.csv", 50, 5, true);
  const RunResult r = run_trainer(
      "train --data " + csv + " --distribution gaussian --test-fraction 0.2 " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("5-8-[2]-8-5") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("40 training / 10 test") != std::string::npos, r.out);
  BOOST_TEST(fs::exists(d + "/run/model.xgrad"));
  BOOST_TEST(fs::exists(d + "/run/loss_curves.png"));
  BOOST_TEST(!fs::exists(d + "/run/reconstructions.png"));  // no image shape
  std::ifstream rep(d + "/run/report.md");
  const std::string report((std::istreambuf_iterator<char>(rep)), {});
  BOOST_TEST(report.find("trained on " + csv + " (5 columns)") != std::string::npos, report);
  BOOST_TEST(report.find("(40 training rows, 10 test rows)") != std::string::npos, report);  // tabular: "rows"
  BOOST_TEST(report.find("negative ELBO (nats/row)") != std::string::npos, report);
  BOOST_TEST(report.find("image") == std::string::npos, report);
  std::ifstream cfg(d + "/run/config.json");
  const std::string config((std::istreambuf_iterator<char>(cfg)), {});
  BOOST_TEST(config.find("\"split_seed\": 1") != std::string::npos, config);
}

BOOST_AUTO_TEST_CASE(csv_without_header_npy_and_test_data) {
  const std::string d = scratch_dir("ud_npy");
  const std::string train = write_csv(d + "/train.csv", 30, 3, false);
  const std::string test = write_csv(d + "/test.csv", 12, 3, false);
  RunResult r = run_trainer(
      "train --data " + train + " --test-data " + test + " --distribution bernoulli " + kSmall + "--out " + d + "/csv",
      d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("30 training / 12 test") != std::string::npos, r.out);

  // a [20, 2, 3] array is flattened to D = 6
  std::vector<double> v(120);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.5 + 0.01 * double(i % 40);
  xgrad::nn::data::write_npy(d + "/x.npy", xgrad::Tensor::from({20, 2, 3}, v));
  r = run_trainer(
      "train --data " + d + "/x.npy --distribution gaussian:4,bernoulli:2 " + kSmall + "--out " + d + "/npy", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("6-8-[2]-8-6") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("16 training / 4 test") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(bad_user_data_is_named_and_nothing_is_written) {
  const std::string d = scratch_dir("ud_bad");
  const std::string out = d + "/run";
  const auto train = [&](const std::string& args) {
    return run_trainer("train " + kSmall + args + " --out " + out, d);
  };
  { std::ofstream(d + "/nan.csv") << "a,b\n1,2\n3,inf\n"; }
  expect_failure(train("--data " + d + "/nan.csv"), 3, {"nan.csv", "data row 2", "column 2 ('b')", "inf"}, out);
  { std::ofstream(d + "/text.csv") << "1,2\n3,x\n"; }
  expect_failure(train("--data " + d + "/text.csv"), 3, {"text.csv", "line 2", "column 2", "x"}, out);
  { std::ofstream(d + "/ragged.csv") << "1,2\n3,4,5\n"; }
  expect_failure(train("--data " + d + "/ragged.csv"), 3, {"ragged.csv", "line 2"}, out);
  { std::ofstream(d + "/empty.csv") << "\n\n"; }
  expect_failure(train("--data " + d + "/empty.csv"), 3, {"empty.csv", "empty"}, out);
  expect_failure(train("--data " + d + "/missing.csv"), 3, {"missing.csv"}, out);
  const std::string csv = write_csv(d + "/t.csv", 20, 4, false);
  const std::string other = write_csv(d + "/o.csv", 5, 3, false);
  expect_failure(train("--data " + csv + " --test-data " + other), 3, {"o.csv", "3 columns", "has 4"}, out);
  expect_failure(train("--data " + csv + " --distribution gaussian:3"), 2, {"column counts add up to 3", "4"}, out);
  { std::ofstream(d + "/neg.csv") << "1,2\n3,4\n1,2\n3,4\n1,-2\n"; }  // every row is checked, numbered as in the file
  expect_failure(train("--data " + d + "/neg.csv --distribution exponential"), 3,
                 {"neg.csv: data row 5, column 2: value -2 is outside its support [0, inf)", "exponential"}, out);
}

/// A mixed table: age and income (reals), smoker (0/1), color (codes 0..2), visits (counts >= 0).
std::string write_mixed_csv(const std::string& path, std::size_t n, const std::string& header) {
  std::ofstream f(path);
  f << header << "\n";
  for (std::size_t i = 0; i < n; ++i)
    f << 30 + double(i % 17) << ',' << 1000 + 37.0 * double(i % 11) << ',' << (i % 3 == 0) << ',' << i % 3 << ','
      << double(i % 5) << "\n";
  return path;
}

BOOST_AUTO_TEST_CASE(tabular_columns_by_name_codes_and_standardisation) {
  const std::string d = scratch_dir("ud_tab");
  const std::string csv = write_mixed_csv(d + "/t.csv", 40, "age,income,smoker,color,visits");
  const std::string spec = " --distribution 'bernoulli:[smoker],categorical:[color],exponential:[visits],gaussian' ";
  RunResult r = run_trainer("train --data " + csv + " --test-data " + csv + spec + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("7-8-[2]-8-7") != std::string::npos, r.out);  // 1 + 3 classes + 1 + 2 model columns
  const std::string report = read_text(d + "/run/report.md");
  BOOST_TEST(report.find("its 5 columns became the model's 7 (2 standardised, 2 as they are, 'color' one-hot of 3), "
                         "distribution bernoulli:1,categorical:3,exponential:1,gaussian:2") != std::string::npos,
             report);
  // the training rows' mean and std are saved with the model
  const xgrad::nn::data::ColumnPlan plan = xgrad::trainer::load_vae(d + "/run/model.xgrad").columns();
  BOOST_REQUIRE(plan.blocks().size() == 4u);
  const auto& scale = plan.blocks()[3].scale;
  double age = 0;
  for (std::size_t i = 0; i < 40; ++i) age += 30 + double(i % 17);
  BOOST_TEST(scale.mean.at(0) == age / 40, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(scale.std.at(1) > 100.0);  // income's spread, in its units

  // evaluate, anomaly and reconstruct apply the plan; the columns are found by name in another order
  const std::string shuffled = d + "/s.csv";
  {
    std::ifstream in(csv);
    std::ofstream f(shuffled);
    std::string line;
    std::getline(in, line);
    f << "visits,color,smoker,income,age\n";
    while (std::getline(in, line)) {
      std::vector<std::string> c;
      std::stringstream ss(line);
      for (std::string v; std::getline(ss, v, ',');) c.push_back(v);
      f << c[4] << ',' << c[3] << ',' << c[2] << ',' << c[1] << ',' << c[0] << "\n";
    }
  }
  const std::string model = " --model " + d + "/run/model.xgrad ";
  r = run_trainer("evaluate" + model + "--data " + csv + " --k 5 --progress none --out " + d + "/a.json", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  r = run_trainer("evaluate" + model + "--data " + shuffled + " --k 5 --progress none --out " + d + "/b.json", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(read_text(d + "/a.json") == read_text(d + "/b.json"));
  // log p(x) in the file's units: the standardisation's log-Jacobian added back
  const nlohmann::json ev = nlohmann::json::parse(read_text(d + "/a.json"));
  BOOST_TEST(ev["neg_log_px_file_units"].get<double>() ==
                 ev["neg_log_px"].get<double>() + std::log(scale.std.at(0)) + std::log(scale.std.at(1)),
             boost::test_tools::tolerance(1e-9));
  r = run_trainer(
      "anomaly" + model + "--data " + shuffled + " --k 5 --recon-samples 2 --progress none --out " + d + "/scores.csv",
      d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  r = run_trainer("reconstruct" + model + "--data " + csv + " --count 3", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  std::ifstream rec(d + "/run/reconstructions.csv");
  std::string line;
  std::getline(rec, line);
  BOOST_TEST(line ==
             "row,age,age_reconstructed,income,income_reconstructed,smoker,smoker_reconstructed,color,"
             "color_reconstructed,visits,visits_reconstructed");
  std::getline(rec, line);  // row 0 in the file's units: age 30, income 1000, color code 0 reconstructed as a code
  BOOST_TEST(line.rfind("0,30,", 0) == 0, line);
  std::vector<std::string> cells;
  std::stringstream ss(line);
  for (std::string v; std::getline(ss, v, ',');) cells.push_back(v);
  BOOST_REQUIRE(cells.size() == 11u);
  BOOST_TEST(std::stod(cells[2]) > 20.0);  // age reconstructed in years, not standardised
  const double code = std::stod(cells[8]);
  BOOST_TEST((code == 0 || code == 1 || code == 2));
  r = run_trainer("sample" + model + "--count 4", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  std::ifstream smp(d + "/run/samples.csv");
  std::getline(smp, line);
  BOOST_TEST(line == "age,income,smoker,color,visits");

  // --standardize no: no plan at all for a spec by counts
  r = run_trainer("train --data " + csv + " --distribution gaussian:2,bernoulli:1,exponential --standardize no " +
                      kSmall + "--out " + d + "/plain",
                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(xgrad::trainer::load_vae(d + "/plain/model.xgrad").columns().is_identity());

  // bad input: named by file, row, column (name and index) and value; nothing written
  const std::string no = d + "/no";
  const auto train = [&](const std::string& data, const std::string& args) {
    return run_trainer("train --data " + data + args + kSmall + "--out " + no, d);
  };
  { std::ofstream(d + "/code.csv") << "age,income,smoker,color,visits\n30,1,0,1,2\n31,2,1,1.5,2\n"; }
  expect_failure(train(d + "/code.csv", spec), 3,
                 {"code.csv: data row 2, column 4 ('color')", "value 1.5", "not an integer code"}, no);
  { std::ofstream(d + "/neg.csv") << "age,income,smoker,color,visits\n30,1,0,1,2\n31,2,1,0,-3\n32,2,1,0,1\n"; }
  expect_failure(
      train(d + "/neg.csv", spec), 3,
      {"neg.csv: data row 2, column 5 ('visits')", "value -3", "outside its support [0, inf)", "exponential"}, no);
  { std::ofstream(d + "/smoker.csv") << "age,income,smoker,color,visits\n30,1,0,1,2\n31,2,2,0,3\n32,2,1,0,1\n"; }
  expect_failure(train(d + "/smoker.csv", spec), 3,
                 {"smoker.csv: data row 2, column 3 ('smoker')", "value 2", "outside its support {0, 1}", "bernoulli"},
                 no);
  expect_failure(train(csv, " --distribution 'gaussian:[age,weight],bernoulli' "), 3,
                 {"t.csv", "column 'weight'", "no such column", "age, income, smoker, color, visits"}, no);
  expect_failure(train(csv, " --distribution 'gaussian:[age],bernoulli:[smoker]' "), 2,
                 {"column 2 ('income') is in no part"}, no);
  // a test file with a code the model was not fitted on, and a scored file without one of the model's columns
  { std::ofstream(d + "/code7.csv") << "age,income,smoker,color,visits\n30,1,0,1,2\n31,2,1,7,2\n"; }
  expect_failure(train(csv, " --test-data " + d + "/code7.csv" + spec), 3,
                 {"code7.csv: data row 2, column 4 ('color')", "value 7", "class code 0..2"}, no);
  { std::ofstream(d + "/missing.csv") << "age,income,smoker,colour,visits\n30,1,0,1,2\n"; }
  expect_failure(run_trainer("evaluate" + model + "--data " + d + "/missing.csv --out " + no + "/e.json", d), 3,
                 {"missing.csv", "no column 'color'"}, no);
}

/// n rows of 3 features and a 0/1 column "label" (every 4th row 1) in the middle.
std::string write_labelled_csv(const std::string& path, std::size_t n) {
  std::ofstream f(path);
  f << "a,b,label,c\n";
  for (std::size_t i = 0; i < n; ++i)
    f << 0.01 * double(i % 50) << ',' << 0.5 << ',' << (i % 4 == 0 ? 1 : 0) << ',' << 0.02 * double(i % 30) << "\n";
  return path;
}

BOOST_AUTO_TEST_CASE(label_column_is_not_a_feature_and_labels_anomaly) {
  const std::string d = scratch_dir("ud_label");
  const std::string csv = write_labelled_csv(d + "/t.csv", 40);
  RunResult r = run_trainer(
      "train --data " + csv + " --label-column label --distribution gaussian " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("3-8-[2]-8-3") != std::string::npos, r.out);
  const std::string model = " --model " + d + "/run/model.xgrad ";
  r = run_trainer("anomaly" + model + "--data " + csv +
                      " --label-column 3 --k 5 --recon-samples 2 --progress none --out " + d + "/scores.csv",
                  d);  // by 1-based index
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("AUROC (label 1 = anomaly)") != std::string::npos, r.out);
  std::ifstream in(d + "/scores.csv");
  std::string line;
  std::getline(in, line);
  BOOST_TEST(line == "index,recon_logprob,logpx,label");
  std::getline(in, line);
  BOOST_TEST(line.substr(line.size() - 2) == ",1");  // row 0 is labelled 1

  expect_failure(run_trainer("train --data " + csv + " --label-column diagnosis " + kSmall + "--out " + d + "/no", d),
                 3, {"t.csv", "--label-column 'diagnosis'", "no such column", "a, b, label, c"}, d + "/no");
  expect_failure(run_trainer("train --data " + csv + " --label-column 9 " + kSmall + "--out " + d + "/no", d), 3,
                 {"t.csv", "--label-column 9", "columns 1..4"}, d + "/no");
  expect_failure(run_trainer("anomaly" + model + "--data " + csv + " --label-column a --out " + d + "/no/s.csv", d), 3,
                 {"t.csv", "data row 2", "label column 1 ('a')", "0.01", "not a non-negative integer"}, d + "/no");
}

BOOST_AUTO_TEST_CASE(evaluate_reconstruct_and_sample_a_model_of_user_data) {
  const std::string d = scratch_dir("ud_use");
  const std::string csv = write_labelled_csv(d + "/t.csv", 40);
  RunResult r = run_trainer(
      "train --data " + csv + " --label-column label --distribution gaussian " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  const std::string model = " --model " + d + "/run/model.xgrad ";
  r = run_trainer(
      "evaluate" + model + "--data " + csv + " --label-column label --k 5 --progress none --out " + d + "/eval.json",
      d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("40 rows of " + csv) != std::string::npos, r.out);
  BOOST_TEST(r.out.find("nats per row") != std::string::npos, r.out);
  BOOST_TEST(fs::exists(d + "/eval.json"));

  r = run_trainer("reconstruct" + model + "--data " + csv + " --label-column label --count 5", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  std::ifstream rec(d + "/run/reconstructions.csv");
  std::string line;
  std::getline(rec, line);
  BOOST_TEST(line == "row,a,a_reconstructed,b,b_reconstructed,c,c_reconstructed");
  std::size_t rows = 0;
  while (std::getline(rec, line)) ++rows;
  BOOST_TEST(rows == 5u);

  r = run_trainer("sample" + model + "--count 7", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  std::ifstream smp(d + "/run/samples.csv");
  std::getline(smp, line);
  BOOST_TEST(line == "a,b,c");  // the training file's names (the model standardised its columns)
  rows = 0;
  while (std::getline(smp, line)) ++rows;
  BOOST_TEST(rows == 7u);

  // without --label-column the file has a column the model does not know: named, nothing written
  expect_failure(run_trainer("evaluate" + model + "--data " + csv + " --out " + d + "/no/e.json", d), 3,
                 {"t.csv", "column 3 ('label') is not one the model was trained on"}, d + "/no");
  // a model of a file without header names: the width decides
  { std::ofstream(d + "/noheader.csv") << "1,2\n3,4\n5,6\n1,2\n3,5\n"; }
  r = run_trainer("train --data " + d + "/noheader.csv --distribution gaussian " + kSmall + "--out " + d + "/nh", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  expect_failure(
      run_trainer("evaluate --model " + d + "/nh/model.xgrad --data " + csv + " --out " + d + "/no/e.json", d), 3,
      {"t.csv", "4 columns", "trained on 2"}, d + "/no");
}

BOOST_AUTO_TEST_CASE(reconstruct_idx_user_data_as_pictures) {
  const std::string d = scratch_dir("ud_idx");
  write_idx_images(d + "/img-idx3-ubyte");
  RunResult r = run_trainer(
      "train --data " + d + "/img-idx3-ubyte --distribution bernoulli " + kSmall + "--out " + d + "/run", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  r = run_trainer("reconstruct --model " + d + "/run/model.xgrad --data " + d + "/img-idx3-ubyte --count 4", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("as 4x5 images") != std::string::npos, r.out);
  BOOST_TEST(fs::exists(d + "/run/reconstructions.png"));
}

BOOST_AUTO_TEST_CASE(uint8_npy_and_idx_of_every_type) {
  const std::string d = scratch_dir("ud_types");
  // a 4-D uint8 .npy [20, 4, 5, 1] (as NumPy writes '|u1'): flattened to 20 columns, pixels / 255
  std::string h = "{'descr': '|u1', 'fortran_order': False, 'shape': (20, 4, 5, 1), }";
  h.append((64 - (10 + h.size() + 1) % 64) % 64, ' ');
  h += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + char(h.size()) + '\0' + h;
  for (int i = 0; i < 400; ++i) file += static_cast<char>((i * 37) % 256);
  const xgrad::nn::data::Bytes b(file.begin(), file.end());
  xgrad::nn::data::write_file(d + "/u.npy", b);
  RunResult r = run_trainer("train --data " + d + "/u.npy --distribution bernoulli " + kSmall + "--out " + d + "/u", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("20-8-[2]-8-20") != std::string::npos, r.out);
  // 255 is out of a Bernoulli's [0,1] unless scaled: training on it would have failed
  using xgrad::nn::data::IdxType;
  std::vector<double> v(20 * 6);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.1 * double(i % 13) - 0.4;
  for (IdxType t : {IdxType::float32, IdxType::float64}) {
    xgrad::nn::data::write_idx(d + "/g-idx2", t, {20, 6}, v, true);
    r = run_trainer("train --data " + d + "/g-idx2 --distribution gaussian " + kSmall + "--out " + d + "/g", d);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
    BOOST_TEST(r.out.find("6-8-[2]-8-6") != std::string::npos, r.out);
  }
  std::vector<double> codes(20 * 3);
  for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = double(i % 5) - 2;
  for (IdxType t : {IdxType::sbyte, IdxType::int16, IdxType::int32}) {
    xgrad::nn::data::write_idx(d + "/c-idx3", t, {20, 1, 3}, codes);
    r = run_trainer("train --data " + d + "/c-idx3 --distribution gaussian " + kSmall + "--out " + d + "/c", d);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
    BOOST_TEST(r.out.find("3-8-[2]-8-3") != std::string::npos, r.out);
  }
  // a NaN in a 3-D IDX file: file, row, flat column and its element, value; nothing written
  std::vector<double> img(10 * 2 * 3, 0.5);
  img[4 * 6 + 5] = NAN;  // row 5, element [1, 2]
  xgrad::nn::data::write_idx(d + "/bad-idx3", IdxType::float64, {10, 2, 3}, img);
  expect_failure(run_trainer("train --data " + d + "/bad-idx3 " + kSmall + "--out " + d + "/no", d), 3,
                 {"bad-idx3", "data row 5", "column 6", "element [1, 2] of a 2x3 row", "nan", "not finite"}, d + "/no");
}

BOOST_AUTO_TEST_CASE(csv_delimiter_and_header_options) {
  const std::string d = scratch_dir("ud_delim");
  {
    std::ofstream tab(d + "/t.tsv"), space(d + "/s.txt");
    tab << "age\tincome\tx\n";
    for (int i = 0; i < 20; ++i) {
      tab << 20 + i << '\t' << 0.5 * i << '\t' << i % 3 << "\n";
      space << "  " << 20 + i << "   " << 0.5 * i << ' ' << i % 3 << "\n";
    }
  }
  RunResult r = run_trainer("train --data " + d + "/t.tsv --distribution gaussian " + kSmall + "--out " + d + "/t", d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("3-8-[2]-8-3") != std::string::npos, r.out);
  r = run_trainer("train --data " + d + "/s.txt --delimiter space --header no --distribution gaussian " + kSmall +
                      "--out " + d + "/s",
                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("16 training / 4 test") != std::string::npos, r.out);
  // --header yes: the first numeric line is names, so 19 rows remain
  r = run_trainer("train --data " + d + "/s.txt --header yes --test-fraction 0.5 --distribution gaussian " + kSmall +
                      "--out " + d + "/h",
                  d);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err << r.out);
  BOOST_TEST(r.out.find("9 training / 10 test") != std::string::npos, r.out);
  // a given delimiter that the file does not use: the whole line is one unparsable field
  expect_failure(run_trainer("train --data " + d + "/t.tsv --delimiter semicolon " + kSmall + "--out " + d + "/no", d),
                 3, {"t.tsv", "line 2, column 1 ('age\tincome\tx')", "is not a number"}, d + "/no");
  { std::ofstream(d + "/bad.csv") << "age;income\n30;1e3\n31;n/a\n"; }
  expect_failure(run_trainer("train --data " + d + "/bad.csv " + kSmall + "--out " + d + "/no", d), 3,
                 {"bad.csv", "line 3, column 2 ('income')", "'n/a' is not a number"}, d + "/no");
  expect_failure(run_trainer("train --data " + d + "/bad.csv --delimiter pipe " + kSmall + "--out " + d + "/no", d), 2,
                 {"--delimiter", "pipe"}, d + "/no");
}

BOOST_AUTO_TEST_SUITE_END()
