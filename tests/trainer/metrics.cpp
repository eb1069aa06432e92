// metrics.csv: the header, a write/read round trip, and rejected files.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "autograd/errors.hpp"
#include "test_helpers.hpp"
#include "trainer/metrics.hpp"

using namespace xgrad::trainer;

BOOST_AUTO_TEST_SUITE(trainer_metrics)

BOOST_AUTO_TEST_CASE(write_then_read_gives_the_rows_back) {
  const std::string path = std::string(XGRAD_BINARY_DIR) + "/trainer_metrics.csv";
  std::vector<EpochMetrics> rows(2);
  rows[0] = {1, 280.5, 281.25, 260.125, 21.125, 270.0, 250.5, 19.5, 0.5, 12.25};
  rows[1] = {2, 255.0, NAN, NAN, NAN, 251.0, 231.0, 20.0, 1.0, 11.0};
  write_metrics_csv(path, rows);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  BOOST_TEST(header ==
             "epoch,train_loss,train_neg_elbo,train_recon,train_kl,test_neg_elbo,test_recon,test_kl,"
             "kl_weight,seconds");
  const auto back = read_metrics_csv(path);
  BOOST_REQUIRE(back.size() == 2u);
  BOOST_TEST(back[0].epoch == 1u);
  BOOST_TEST(back[0].train_recon == 260.125);
  BOOST_TEST(back[0].kl_weight == 0.5);
  BOOST_TEST(back[1].test_kl == 20.0);
  BOOST_TEST(std::isnan(back[1].train_kl));  // IWAE runs have no train terms
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(bad_files_name_the_line) {
  const std::string path = std::string(XGRAD_BINARY_DIR) + "/trainer_metrics_bad.csv";
  std::ofstream(path) << metrics_csv_header() << "\n1,2,3\n";
  xgrad::test::check_throws_with<xgrad::DataError>([&] { read_metrics_csv(path); }, {"line 2", "3 fields"});
  std::ofstream(path) << "a,b\n";
  xgrad::test::check_throws_with<xgrad::DataError>([&] { read_metrics_csv(path); }, {"line 1", "header"});
  std::remove(path.c_str());
  xgrad::test::check_throws_with<xgrad::DataError>([&] { read_metrics_csv(path); }, {"cannot open"});
}

BOOST_AUTO_TEST_SUITE_END()
