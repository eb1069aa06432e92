// Evaluation: accuracy, per-class precision/recall/F1, macro averages and the confusion matrix on a
// hand-made example; argmax of scores; errors.
#include <boost/test/unit_test.hpp>

#include "nn/train/evaluation.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;
using xgrad::test::check_throws_with;

namespace {
// Confusion matrix (rows actual, columns predicted):
//   [2 1 0]
//   [0 2 0]
//   [1 0 3]
const std::vector<int> kActual{0, 0, 0, 1, 1, 2, 2, 2, 2};
const std::vector<int> kPredicted{0, 1, 0, 1, 1, 2, 0, 2, 2};
}  // namespace

BOOST_AUTO_TEST_SUITE(evaluation)

BOOST_AUTO_TEST_CASE(hand_made_confusion_matrix) {
  Evaluation ev(3);
  ev.add(kActual, kPredicted);
  const std::size_t expected[3][3] = {{2, 1, 0}, {0, 2, 0}, {1, 0, 3}};
  for (std::size_t a = 0; a < 3; ++a)
    for (std::size_t p = 0; p < 3; ++p) BOOST_TEST(ev.confusion(a, p) == expected[a][p]);
  BOOST_TEST(ev.count() == 9u);
  const auto tol = boost::test_tools::tolerance(1e-12);
  BOOST_TEST(ev.accuracy() == 7.0 / 9, tol);
  BOOST_TEST(ev.precision(0) == 2.0 / 3, tol);
  BOOST_TEST(ev.precision(1) == 2.0 / 3, tol);
  BOOST_TEST(ev.precision(2) == 1.0, tol);
  BOOST_TEST(ev.recall(0) == 2.0 / 3, tol);
  BOOST_TEST(ev.recall(1) == 1.0, tol);
  BOOST_TEST(ev.recall(2) == 0.75, tol);
  BOOST_TEST(ev.f1(0) == 2.0 / 3, tol);
  BOOST_TEST(ev.f1(1) == 0.8, tol);
  BOOST_TEST(ev.f1(2) == 6.0 / 7, tol);
  BOOST_TEST(ev.macro_precision() == 7.0 / 9, tol);
  BOOST_TEST(ev.macro_recall() == 29.0 / 36, tol);
  BOOST_TEST(ev.macro_f1() == (2.0 / 3 + 0.8 + 6.0 / 7) / 3, tol);
  const std::string text = ev.to_string();
  BOOST_TEST(text.find("Accuracy:        0.7778") != std::string::npos, text);
  BOOST_TEST(text.find("2 2   1   0   3") != std::string::npos, text);  // confusion row of class 2
}

BOOST_AUTO_TEST_CASE(absent_class_is_zero_and_left_out_of_macro_averages) {
  Evaluation ev(4, {"a", "b", "c", "d"});
  ev.add(kActual, kPredicted);
  BOOST_TEST(ev.precision(3) == 0.0);
  BOOST_TEST(ev.recall(3) == 0.0);
  BOOST_TEST(ev.f1(3) == 0.0);
  BOOST_TEST(ev.macro_precision() == 7.0 / 9, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ev.to_string().find("3 d") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(scores_argmax_first_on_ties_and_accumulates) {
  Evaluation ev(3);
  ev.add({0, 1, 2}, Tensor::from({3, 3}, {0.5, 0.5, 0, 0.1, 0.7, 0.2, 0.3, 0.3, 0.4}));
  ev.add({2}, std::vector<int>{1});
  BOOST_TEST(ev.confusion(0, 0) == 1u);  // tie -> first class
  BOOST_TEST(ev.confusion(1, 1) == 1u);
  BOOST_TEST(ev.confusion(2, 2) == 1u);
  BOOST_TEST(ev.confusion(2, 1) == 1u);
  BOOST_TEST(ev.accuracy() == 0.75);
}

BOOST_AUTO_TEST_CASE(errors) {
  Evaluation ev(3);
  check_throws_with<InvalidArgument>(
      [&] {
        ev.add({0, 3}, std::vector<int>{0, 1});
      },
      {"Evaluation::add: class 3 at position 1 is outside [0, 3)"});
  check_throws_with<ShapeError>([&] { ev.add({0}, std::vector<int>{0, 1}); }, {"1 actual labels, 2 predictions"});
  check_throws_with<ShapeError>(
      [&] {
        ev.add({0}, Tensor::zeros({1, 4}));
      },
      {"scores [1,4] for 1 labels of 3 classes"});
  check_throws_with<InvalidArgument>([] { Evaluation(2, {"x"}); }, {"1 class names for 2 classes"});
}

BOOST_AUTO_TEST_SUITE_END()
