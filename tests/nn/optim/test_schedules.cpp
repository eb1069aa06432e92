// Learning-rate schedules: values by hand for each DL4J ISchedule, ITERATION vs EPOCH, JSON round trips, errors.
#include <cmath>

#include "nn/optim/schedules.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(schedules)

BOOST_AUTO_TEST_CASE(values_by_hand) {
  const StepSchedule step(ScheduleType::ITERATION, 0.1, 0.5, 10);
  BOOST_TEST(step.value_at(0, 0) == 0.1);
  BOOST_TEST(step.value_at(9, 0) == 0.1);
  BOOST_TEST(step.value_at(10, 0) == 0.05);
  BOOST_TEST(step.value_at(25, 0) == 0.025);
  const ExponentialSchedule ex(ScheduleType::ITERATION, 0.2, 0.9);
  BOOST_TEST(ex.value_at(2, 0) == 0.2 * 0.81, tt::tolerance(1e-15));
  const InverseSchedule inv(ScheduleType::ITERATION, 0.1, 0.5, 2.0);
  BOOST_TEST(inv.value_at(2, 0) == 0.1 / 4, tt::tolerance(1e-15));  // 0.1 / (1 + 0.5 * 2)^2
  const PolySchedule poly(ScheduleType::ITERATION, 0.1, 2.0, 100);
  BOOST_TEST(poly.value_at(50, 0) == 0.025, tt::tolerance(1e-15));  // 0.1 (1 - 0.5)^2
  BOOST_TEST(poly.value_at(100, 0) == 0.0);
  BOOST_TEST(poly.value_at(150, 0) == 0.0);
  const SigmoidSchedule sig(ScheduleType::ITERATION, 0.1, 0.5, 10);
  BOOST_TEST(sig.value_at(10, 0) == 0.05, tt::tolerance(1e-15));
  BOOST_TEST(sig.value_at(12, 0) == 0.1 / (1 + std::exp(-1.0)), tt::tolerance(1e-15));
  const MapSchedule map(ScheduleType::ITERATION, {{0, 0.1}, {5, 0.01}, {20, 0.001}});
  BOOST_TEST(map.value_at(4, 0) == 0.1);
  BOOST_TEST(map.value_at(5, 0) == 0.01);
  BOOST_TEST(map.value_at(19, 0) == 0.01);
  BOOST_TEST(map.value_at(1000, 0) == 0.001);
  BOOST_TEST(FixedSchedule(0.3).value_at(99, 9) == 0.3);
}

BOOST_AUTO_TEST_CASE(epoch_schedules_read_the_epoch) {
  const ExponentialSchedule ex(ScheduleType::EPOCH, 1.0, 0.5);
  BOOST_TEST(ex.value_at(1000, 0) == 1.0);
  BOOST_TEST(ex.value_at(0, 3) == 0.125);
}

BOOST_AUTO_TEST_CASE(json_round_trips) {
  const std::vector<std::shared_ptr<const Schedule>> all{
      std::make_shared<FixedSchedule>(0.3),
      std::make_shared<StepSchedule>(ScheduleType::EPOCH, 0.1, 0.5, 3),
      std::make_shared<ExponentialSchedule>(ScheduleType::ITERATION, 0.1, 0.99),
      std::make_shared<InverseSchedule>(ScheduleType::ITERATION, 0.1, 0.01, 0.75),
      std::make_shared<PolySchedule>(ScheduleType::ITERATION, 0.1, 2, 1000),
      std::make_shared<SigmoidSchedule>(ScheduleType::EPOCH, 0.1, 0.3, 5),
      std::make_shared<MapSchedule>(ScheduleType::ITERATION, std::map<std::size_t, double>{{0, 0.1}, {100, 0.01}})};
  for (const auto& s : all) {
    const auto back = Schedule::from_json(s->to_json());
    BOOST_TEST(back->to_json() == s->to_json(), s->to_json().dump());
    BOOST_TEST((back->type() == s->type()));
    for (std::size_t i : {0u, 1u, 7u, 150u}) BOOST_TEST(back->value_at(i, i / 2) == s->value_at(i, i / 2));
  }
}

BOOST_AUTO_TEST_CASE(errors) {
  test::check_throws_with<InvalidArgument>(
      [] {
        MapSchedule(ScheduleType::ITERATION, {{5, 0.1}});
      },
      {"MapSchedule", "key 0"});
  test::check_throws_with<InvalidArgument>(
      [] {
        Schedule::from_json({{"type", "Cosine"}});
      },
      {"unknown schedule type 'Cosine'", "Step", "Map"});
  test::check_throws_with<InvalidArgument>(
      [] {
        Schedule::from_json({{"type", "Step"}, {"initial_value", 0.1}});
      },
      {"Step schedule needs a number \"decay_rate\""});
  test::check_throws_with<InvalidArgument>(
      [] {
        Schedule::from_json({{"type", "Map"}, {"values", {{"zero", 0.1}}}});
      },
      {"Map entry 'zero'"});
}

BOOST_AUTO_TEST_SUITE_END()
