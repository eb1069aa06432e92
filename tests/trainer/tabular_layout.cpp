// Distribution specs laid over a table's columns: lists by name, index and range, the parts by count taking the
// unlisted columns, categorical codes, which parts are standardised, and the errors.
#include <boost/test/unit_test.hpp>

#include "test_helpers.hpp"
#include "trainer/distribution_spec.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/tabular_layout.hpp"

using namespace xgrad;
using namespace xgrad::trainer;
using nn::data::ColumnTransform;
using xgrad::test::check_throws_with;

namespace xgrad::nn::data {
inline std::ostream& operator<<(std::ostream& o, ColumnTransform t) {
  return o << column_transform_name(t);
}
}  // namespace xgrad::nn::data

namespace {
const std::vector<std::string> kNames{"age", "income (k$)", "smoker", "color", "score", "x..y"};
}

BOOST_AUTO_TEST_SUITE(trainer_tabular_layout)

BOOST_AUTO_TEST_CASE(column_lists_are_parsed_with_names_that_hold_parentheses) {
  const auto parts = parse_distribution_spec("gaussian(tanh):[age, income (k$)],bernoulli:[3],categorical:[color]");
  BOOST_REQUIRE(parts.size() == 3u);
  BOOST_TEST(parts[0].activation == "tanh");
  BOOST_TEST((parts[0].selection == std::vector<std::string>{"age", "income (k$)"}));
  BOOST_TEST((parts[1].selection == std::vector<std::string>{"3"}));
  check_throws_with<UsageError>([] { parse_distribution_spec("gaussian:[age"); }, {"unbalanced '['"});
  check_throws_with<UsageError>([] { parse_distribution_spec("gaussian:[age,,score]"); }, {"an empty column"});
  check_throws_with<UsageError>([] { distribution_config("gaussian:[age]", 6); }, {"column list", "train --data"});
}

BOOST_AUTO_TEST_CASE(lists_codes_and_the_rest_make_one_block_per_part) {
  const TabularLayout l =
      tabular_layout("bernoulli:[smoker],categorical:[color],exponential:[5],gaussian", "t.csv", kNames, 6, true);
  const auto& b = l.plan.blocks();
  BOOST_REQUIRE(b.size() == 4u);
  BOOST_TEST((b[0].source == std::vector<std::size_t>{2}));
  BOOST_TEST(b[0].transform == ColumnTransform::copy);
  BOOST_TEST(b[1].transform == ColumnTransform::one_hot);
  BOOST_TEST(b[2].transform == ColumnTransform::copy);             // exponential: [0, inf) is not the real line
  BOOST_TEST((b[3].source == std::vector<std::size_t>{0, 1, 5}));  // the rest, in file order
  BOOST_TEST(b[3].transform == ColumnTransform::standardize);
  nn::data::ColumnPlan plan = l.plan;
  plan.fit_codes(Tensor::from({2, 6}, {30, 1, 0, 0, 1, 0, 40, 2, 1, 3, 2, 1}, DType::float64), "t.csv");
  TabularLayout fitted = l;
  fitted.plan = plan;
  BOOST_TEST(fitted.model_spec() == "bernoulli:1,categorical:4,exponential:1,gaussian:3");
  // ranges (a name holding ".." is a name), several categorical columns = a one-hot group as it is
  const TabularLayout r = tabular_layout("categorical:[2..4],gaussian:[x..y],gaussian", "t.csv", kNames, 6, false);
  BOOST_TEST((r.plan.blocks()[0].source == std::vector<std::size_t>{1, 2, 3}));
  BOOST_TEST(r.plan.blocks()[0].transform == ColumnTransform::copy);
  BOOST_TEST((r.plan.blocks()[1].source == std::vector<std::size_t>{5}));
  BOOST_TEST(r.plan.blocks()[2].transform == ColumnTransform::copy);  // standardize off
}

BOOST_AUTO_TEST_CASE(counts_alone_give_the_identity_unless_standardised) {
  BOOST_TEST(tabular_layout("gaussian:2,bernoulli", "t.csv", kNames, 6, false).plan.is_identity());
  BOOST_TEST(tabular_layout("bernoulli", "t.csv", kNames, 6, true).plan.is_identity());
  const TabularLayout g = tabular_layout("gaussian:2,bernoulli", "t.csv", kNames, 6, true);
  BOOST_TEST(!g.plan.is_identity());
  BOOST_TEST(g.plan.blocks()[0].transform == ColumnTransform::standardize);
  BOOST_TEST(g.model_spec() == "gaussian:2,bernoulli:4");
  BOOST_TEST(tabular_layout("gaussian:2,bernoulli", "t.csv", kNames, 6, false).model_spec() == "gaussian:2,bernoulli");
}

BOOST_AUTO_TEST_CASE(errors_name_the_spec_and_the_column) {
  check_throws_with<InputError>(
      [] { tabular_layout("gaussian:[agee],bernoulli", "t.csv", kNames, 6, true); },
      {"t.csv", "--distribution 'gaussian:[agee],bernoulli': column 'agee'", "no such column", "age, income (k$)"});
  check_throws_with<InputError>([] { tabular_layout("gaussian:[7],bernoulli", "t.csv", kNames, 6, true); },
                                {"columns 1..6"});
  check_throws_with<UsageError>(
      [] { tabular_layout("gaussian:[age],bernoulli:[1..3],gaussian", "t", kNames, 6, true); },
      {"column 1 ('age') is in two parts (gaussian and bernoulli)"});
  check_throws_with<UsageError>([] { tabular_layout("gaussian:[age],bernoulli:[smoker]", "t", kNames, 6, true); },
                                {"column 2 ('income (k$)') is in no part", "3 more"});
  check_throws_with<UsageError>([] { tabular_layout("gaussian:[age],bernoulli:2", "t", kNames, 6, true); },
                                {"add up to 2", "5 columns are in no list"});
  check_throws_with<UsageError>([] { tabular_layout("gaussian:[score..age],bernoulli", "t", kNames, 6, true); },
                                {"runs backwards"});
  check_throws_with<UsageError>([] { tabular_layout("poisson:[age],bernoulli", "t", kNames, 6, true); },
                                {"unknown distribution 'poisson'"});
}

BOOST_AUTO_TEST_SUITE_END()
