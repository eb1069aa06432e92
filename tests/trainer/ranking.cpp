// AUROC, average precision and the ROC curve against values worked out by hand (and checked with scikit-learn's
// roc_auc_score / average_precision_score), ties included; the figures do not depend on the rows' order.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "autograd/errors.hpp"
#include "trainer/anomaly_report.hpp"
#include "trainer/ranking.hpp"

using namespace xgrad::trainer;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(trainer_ranking)

BOOST_AUTO_TEST_CASE(no_ties) {
  // ranked 0.9(+) 0.8(-) 0.3(+) 0.1(-): pairs won 1 + 1 + 0 + 1 of 4; precision at the positives 1/1 and 2/3
  const std::vector<double> score{0.9, 0.8, 0.3, 0.1};
  const std::vector<int> labels{1, 0, 1, 0};
  BOOST_TEST(auroc(score, labels) == 0.75, tt::tolerance(1e-12));
  BOOST_TEST(average_precision(score, labels) == (1.0 + 2.0 / 3.0) / 2, tt::tolerance(1e-12));
  const RocCurve c = roc_curve(score, labels);
  BOOST_TEST(c.false_positive_rate == std::vector<double>({0, 0, 0.5, 0.5, 1}), tt::per_element());
  BOOST_TEST(c.true_positive_rate == std::vector<double>({0, 0.5, 0.5, 1, 1}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(ties_count_half_and_form_one_threshold) {
  // positives 0.9, 0.5, 0.1; negatives 0.5, 0.5, 0.7.
  // AUROC: 0.9 beats all 3; 0.5 ties two (1/2 each) and loses to 0.7; 0.1 loses: (3 + 1 + 0) / 9 = 4/9.
  // thresholds 0.9 | 0.7 | 0.5 (1 pos, 2 neg) | 0.1: TP/FP 1/0, 1/1, 2/3, 3/3;
  // AP = 1/3 * 1 + 1/3 * 2/5 + 1/3 * 1/2 = 19/30 (scikit-learn: 0.6333333333333333)
  const std::vector<double> score{0.9, 0.5, 0.5, 0.5, 0.1, 0.7};
  const std::vector<int> labels{1, 1, 0, 0, 1, 0};
  BOOST_TEST(auroc(score, labels) == 4.0 / 9.0, tt::tolerance(1e-12));
  BOOST_TEST(average_precision(score, labels) == 19.0 / 30.0, tt::tolerance(1e-12));
  const RocCurve c = roc_curve(score, labels);
  BOOST_TEST(c.false_positive_rate == std::vector<double>({0, 0, 1.0 / 3, 1, 1}), tt::tolerance(1e-12)
                                                                                      << tt::per_element());
  BOOST_TEST(c.true_positive_rate == std::vector<double>({0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 1}), tt::tolerance(1e-12)
                                                                                                 << tt::per_element());
  double area = 0;  // the trapezoids under the curve are the AUROC
  for (std::size_t i = 1; i < c.false_positive_rate.size(); ++i)
    area += (c.false_positive_rate[i] - c.false_positive_rate[i - 1]) *
            (c.true_positive_rate[i] + c.true_positive_rate[i - 1]) / 2;
  BOOST_TEST(area == 4.0 / 9.0, tt::tolerance(1e-12));

  // the same rows in another order (the tied positive last among the ties) give the same figures
  const std::vector<double> s2{0.5, 0.5, 0.7, 0.1, 0.5, 0.9};
  const std::vector<int> l2{0, 0, 0, 1, 1, 1};
  BOOST_TEST(auroc(s2, l2) == 4.0 / 9.0, tt::tolerance(1e-12));
  BOOST_TEST(average_precision(s2, l2) == 19.0 / 30.0, tt::tolerance(1e-12));

  // all scores equal: one threshold, chance level
  BOOST_TEST(auroc({0.1, 0.1, 0.1}, {1, 0, 0}) == 0.5);
  BOOST_TEST(average_precision({0.1, 0.1, 0.1}, {1, 0, 0}) == 1.0 / 3.0, tt::tolerance(1e-12));
  // perfect and reversed rankings
  BOOST_TEST(auroc({3, 2, 1}, {1, 0, 0}) == 1.0);
  BOOST_TEST(auroc({1, 2, 3}, {1, 0, 0}) == 0.0);
  BOOST_TEST(average_precision({1, 2, 3}, {1, 0, 0}) == 1.0 / 3.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_input_is_named) {
  auto message = [](auto f) {
    try {
      f();
    } catch (const xgrad::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  BOOST_TEST(message([] { auroc({1, 2}, {1}); }) == "auroc: 2 scores but 1 labels");
  BOOST_TEST(message([] { average_precision({1, 2}, {1, 2}); }) == "average_precision: labels[1] = 2 is not 0 or 1");
  BOOST_TEST(message([] {
               roc_curve({1, 2}, {1, 1});
             }).find("2 positives (label 1) and 0 negatives") != std::string::npos);
  BOOST_TEST(message([] { auroc({1, NAN}, {1, 0}); }).find("score[1]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(typical_rows_are_the_highest_and_lowest_scores) {
  const TypicalRows t = typical_rows({3, 1, 3, 2, 0.5}, 2);
  BOOST_TEST(t.most == std::vector<std::size_t>({0, 2}), tt::per_element());  // equal scores in row order
  BOOST_TEST(t.least == std::vector<std::size_t>({4, 1}), tt::per_element());
  const TypicalRows all = typical_rows({1, 2}, 10);  // k cut to the rows
  BOOST_TEST(all.most == std::vector<std::size_t>({1, 0}), tt::per_element());
  BOOST_TEST(all.least == std::vector<std::size_t>({0, 1}), tt::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
