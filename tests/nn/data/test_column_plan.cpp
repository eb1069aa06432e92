// ColumnPlan: copy / standardize / one-hot blocks, fitted codes and scales, inverse, reordering by header name,
// JSON round trip, and the errors naming file, row, column and value.
#include <boost/test/unit_test.hpp>

#include "nn/data/column_plan.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn::data;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;

namespace {
// columns: age, color (codes), income, smoker
Tensor table() {
  return Tensor::from({4, 4}, {30, 2, 1000, 1, 40, 0, 3000, 0, 50, 1, 2000, 1, 60, 2, 2000, 0}, DType::float64);
}

ColumnPlan plan_of_table() {
  std::vector<ColumnBlock> blocks(3);
  blocks[0].transform = ColumnTransform::standardize, blocks[0].source = {2, 0};  // income, age: reordered
  blocks[1].transform = ColumnTransform::one_hot, blocks[1].source = {1};
  blocks[2].source = {3};
  return ColumnPlan(blocks, 4, {"age", "color", "income", "smoker"});
}
}  // namespace

BOOST_AUTO_TEST_SUITE(column_plan)

BOOST_AUTO_TEST_CASE(blocks_map_the_table_and_inverse_maps_back) {
  ColumnPlan plan = plan_of_table();
  plan.fit_codes(table(), "t.csv");
  plan.fit_scales(table());
  BOOST_TEST(plan.width() == 6u);  // 2 standardised + 3 classes + 1 copied
  const Tensor y = plan.apply(table(), "t.csv");
  const double s_income = std::sqrt(500000.0), s_age = std::sqrt(125.0);  // population std
  check_close(y,
              {-1000 / s_income,
               -15 / s_age,
               0,
               0,
               1,
               1,  //
               1000 / s_income,
               -5 / s_age,
               1,
               0,
               0,
               0,  //
               0,
               5 / s_age,
               0,
               1,
               0,
               1,  //
               0,
               15 / s_age,
               0,
               0,
               1,
               0},
              1e-12, "apply");
  check_close(plan.inverse(y), table().to_vector(), 1e-9, "inverse");
  BOOST_TEST(plan.source_of(0) == 2u);
  BOOST_TEST(plan.source_of(4) == 1u);
  BOOST_TEST(plan.column_text(1) == "1 ('age')");
  BOOST_TEST(plan.column_text(3) == "2 ('color' = class 1)");
  BOOST_TEST(plan.describe() == "2 standardised, 1 as they are, 'color' one-hot of 3");
  BOOST_TEST(plan.standardizes());
  BOOST_TEST(plan.log_abs_det_jacobian() == -std::log(s_income) - std::log(s_age), boost::test_tools::tolerance(1e-12));
  // a probability row inverts to its most probable class
  Tensor soft = y.clone();
  soft.set(2, 0.2), soft.set(3, 0.7), soft.set(4, 0.1);
  BOOST_TEST(plan.inverse(soft).at(1) == 1.0);
}

BOOST_AUTO_TEST_CASE(identity_plan_leaves_the_data_alone) {
  const ColumnPlan id;
  BOOST_TEST(id.is_identity());
  check_close(id.apply(table(), "t"), table().to_vector(), 0);
  check_close(id.inverse(table()), table().to_vector(), 0);
  BOOST_TEST(id.describe() == "as they are");
}

BOOST_AUTO_TEST_CASE(codes_must_be_integers_and_within_the_fitted_classes) {
  ColumnPlan plan = plan_of_table();
  Tensor bad = table();
  bad.set(1 * 4 + 1, 1.5);
  check_throws_with<DataError>([&] { plan.fit_codes(bad, "t.csv"); },
                               {"t.csv: data row 2, column 2 ('color')", "value 1.5", "not an integer code"});
  bad.set(1 * 4 + 1, -1);
  check_throws_with<DataError>([&] { plan.fit_codes(bad, "t.csv"); }, {"data row 2", "value -1"});
  plan.fit_codes(table(), "t.csv");
  plan.fit_scales(table());
  bad.set(1 * 4 + 1, 3);
  check_throws_with<DataError>([&] { plan.apply(bad, "u.csv"); },
                               {"u.csv: data row 2, column 2 ('color')", "value 3", "class code 0..2"});
  check_throws_with<ShapeError>([&] { plan.apply(Tensor::zeros({2, 3}), "u.csv"); }, {"[N, 4]", "[2,3]"});
}

BOOST_AUTO_TEST_CASE(columns_are_found_by_name_in_any_order) {
  const ColumnPlan plan = plan_of_table();
  const Tensor shuffled = Tensor::from({1, 4}, {1, 1000, 30, 2}, DType::float64);  // smoker, income, age, color
  check_close(plan.to_source_order(shuffled, {"smoker", "income", "age", "color"}, "s.csv"), {30, 2, 1000, 1}, 0);
  check_throws_with<DataError>(
      [&] {
        plan.to_source_order(shuffled, {"smoker", "income", "age", "colour"}, "s.csv");
      },
      {"s.csv", "no column 'color'"});
  check_throws_with<DataError>(
      [&] {
        plan.to_source_order(Tensor::zeros({1, 5}), {"smoker", "income", "age", "color", "x"}, "s.csv");
      },
      {"s.csv", "column 5 ('x') is not one the model was trained on"});
  check_throws_with<DataError>(
      [&] {
        plan.to_source_order(Tensor::zeros({1, 3}), {}, "s.csv");
      },
      {"s.csv", "3 columns", "trained on 4"});
}

BOOST_AUTO_TEST_CASE(json_round_trip_and_bad_plans) {
  ColumnPlan plan = plan_of_table();
  plan.fit_codes(table(), "t");
  plan.fit_scales(table());
  const ColumnPlan back = ColumnPlan::from_json(plan.to_json());
  BOOST_TEST(back.to_json() == plan.to_json());
  check_close(back.apply(table(), "t"), plan.apply(table(), "t").to_vector(), 0);
  nlohmann::json j = plan.to_json();
  j["blocks"][0]["transform"] = "log";
  check_throws_with<InvalidArgument>([&] { ColumnPlan::from_json(j); }, {"unknown transform 'log'"});
  j = plan.to_json();
  j["blocks"][2]["source"] = {9};  // the copied block
  check_throws_with<InvalidArgument>([&] { ColumnPlan::from_json(j); }, {"reads column 10", "4-column"});
  std::vector<ColumnBlock> two(1);
  two[0].transform = ColumnTransform::one_hot, two[0].source = {0, 1};
  check_throws_with<InvalidArgument>([&] { ColumnPlan(two, 4); }, {"exactly one column"});
  ColumnPlan unfitted = plan_of_table();
  unfitted.fit_codes(table(), "t");
  check_throws_with<InvalidArgument>([&] { unfitted.apply(table(), "t"); }, {"never fitted"});
}

BOOST_AUTO_TEST_SUITE_END()
