// Axes: nice tick steps, tick labels, data ranges and the data-to-pixel mapping.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "trainer/axes.hpp"

using namespace xgrad::trainer;

BOOST_AUTO_TEST_SUITE(trainer_axes)

BOOST_AUTO_TEST_CASE(nice_steps_are_1_2_5_times_powers_of_ten) {
  BOOST_TEST(nice_step(0, 1, 5) == 0.2);
  BOOST_TEST(nice_step(0, 100, 6) == 20.0);  // raw 16.7 -> 20
  BOOST_TEST(nice_step(0, 7, 7) == 1.0);
  BOOST_TEST(nice_step(240, 310, 6) == 10.0);  // raw 11.7 -> 10
  BOOST_TEST(std::fabs(nice_step(0, 0.003, 6) - 0.0005) < 1e-15);
  BOOST_CHECK_THROW(nice_step(1, 1, 5), std::exception);
  BOOST_CHECK_THROW(nice_step(0, NAN, 5), std::exception);
}

BOOST_AUTO_TEST_CASE(ticks_cover_the_range) {
  const std::vector<double> t = nice_ticks(0.13, 97, 6);  // step 20
  BOOST_TEST(t == std::vector<double>({20, 40, 60, 80}), boost::test_tools::per_element());
  const std::vector<double> u = nice_ticks(-1, 1, 4);  // step 0.5
  BOOST_TEST(u.size() == 5u);
  BOOST_TEST(u[2] == 0.0);  // exactly zero, not -1e-17
}

BOOST_AUTO_TEST_CASE(tick_labels_have_just_enough_decimals) {
  BOOST_TEST(tick_label(0.4, 0.2) == "0.4");
  BOOST_TEST(tick_label(240, 20) == "240");
  BOOST_TEST(tick_label(0.25, 0.05) == "0.25");
  BOOST_TEST(tick_label(2e7, 1e7) == "2e+07");
  BOOST_TEST(tick_label(-1e-17, 5) == "0");  // never "-0"
  BOOST_TEST(ticks_with_step(-0.56, 3, 1)[0] == 0.0);
  BOOST_TEST(!std::signbit(ticks_with_step(-0.56, 3, 1)[0]));
}

BOOST_AUTO_TEST_CASE(data_range_pads_and_handles_degenerate_input) {
  const Range r = data_range({1, 3, NAN}, 0.5);
  BOOST_TEST(r.lo == 0.0);
  BOOST_TEST(r.hi == 4.0);
  const Range one = data_range({5}, 0.1);  // a single value gets a unit-wide range
  BOOST_TEST(one.lo == 4.5);
  BOOST_TEST(one.hi == 5.5);
  const Range none = data_range({}, 0.1);
  BOOST_TEST(none.lo == 0.0);
  BOOST_TEST(none.hi == 1.0);
}

BOOST_AUTO_TEST_CASE(mapping_puts_corners_on_the_plot_area) {
  Image img(200, 100);
  Axes ax(img, 20, 10, 180, 90, {0, 10}, {-1, 1});
  BOOST_TEST(ax.px(0) == 20.0);
  BOOST_TEST(ax.px(10) == 180.0);
  BOOST_TEST(ax.py(-1) == 90.0);  // y grows upwards
  BOOST_TEST(ax.py(1) == 10.0);
  BOOST_TEST(ax.py(0) == 50.0);
  BOOST_CHECK_THROW(Axes(img, 20, 10, 10, 90, {0, 1}, {0, 1}), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
