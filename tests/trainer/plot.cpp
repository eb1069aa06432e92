// Line and scatter plots: image size, series drawn at their data positions in their colours, legend,
// and rejected inputs.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "trainer/plot.hpp"

using namespace xgrad::trainer;

namespace {
/// Pixels of colour c (within tol per channel) in rows [y0, y1) (the whole image by default).
std::size_t count_colour(const Image& img, Color c, int tol = 8, std::size_t y0 = 0, std::size_t y1 = SIZE_MAX) {
  std::size_t n = 0;
  for (std::size_t y = y0; y < std::min(y1, img.height()); ++y)
    for (std::size_t x = 0; x < img.width(); ++x) {
      const Color p = img.at(x, y);
      if (std::abs(p.r - c.r) <= tol && std::abs(p.g - c.g) <= tol && std::abs(p.b - c.b) <= tol) ++n;
    }
  return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_plot)

BOOST_AUTO_TEST_CASE(palette_is_tab10_and_cycles) {
  BOOST_TEST(palette_color(0).r == 31);
  BOOST_TEST(palette_color(1).g == 127);
  BOOST_TEST(palette_color(13).r == palette_color(3).r);
}

BOOST_AUTO_TEST_CASE(line_plot_draws_each_series_in_its_colour) {
  LinePlot p;
  p.title = "loss";
  p.xlabel = "epoch";
  p.ylabel = "nats";
  p.integer_x = true;
  p.series = {{"train", {1, 2, 3}, {300, 260, 250}, palette_color(0)},
              {"test", {1, 2, 3}, {305, 270, 262}, palette_color(1)}};
  const Image img = render(p);
  BOOST_TEST(img.width() == p.width);
  BOOST_TEST(img.height() == p.height);
  // each series: a 2-px line over hundreds of pixels plus markers and its legend sample
  BOOST_TEST(count_colour(img, palette_color(0)) > 300u);
  BOOST_TEST(count_colour(img, palette_color(1)) > 300u);
  BOOST_TEST(count_colour(img, palette_color(2)) == 0u);
  // a single epoch still renders (markers only)
  LinePlot one = p;
  one.series = {{"train", {1}, {300}, palette_color(0)}};
  BOOST_TEST(count_colour(render(one), palette_color(0)) > 20u);
}

BOOST_AUTO_TEST_CASE(legend_goes_top_right_or_bottom_right) {
  LinePlot p;  // one flat series: its line crosses the middle rows, its legend sample lies in the top or bottom band
  p.series = {{"series", {0, 1}, {0, 0}, palette_color(3), false}};
  const std::size_t band = p.height / 3;
  const Image top = render(p);
  BOOST_TEST(count_colour(top, palette_color(3), 8, 0, band) > 20u);
  BOOST_TEST(count_colour(top, palette_color(3), 8, p.height - band) == 0u);
  p.legend_bottom = true;
  const Image bottom = render(p);
  BOOST_TEST(count_colour(bottom, palette_color(3), 8, 0, band) == 0u);
  BOOST_TEST(count_colour(bottom, palette_color(3), 8, p.height - band) > 20u);
}

BOOST_AUTO_TEST_CASE(scatter_plot_colours_points_by_class) {
  ScatterPlot p;
  p.radius = 3;
  p.alpha = 1;
  for (int i = 0; i < 200; ++i) {
    p.x.push_back(i % 2 ? -1.0 - 0.01 * i : 1.0 + 0.01 * i);
    p.y.push_back(0.01 * i);
    p.classes.push_back(i % 2);
  }
  p.class_names = {"even", "odd"};
  const Image img = render(p);
  BOOST_TEST(count_colour(img, palette_color(0), 2) > 200u);
  BOOST_TEST(count_colour(img, palette_color(1), 2) > 200u);
  BOOST_TEST(count_colour(img, palette_color(2), 2) == 0u);
}

BOOST_AUTO_TEST_CASE(mismatched_lengths_are_rejected) {
  LinePlot p;
  p.series = {{"bad", {1, 2}, {1}, palette_color(0)}};
  BOOST_CHECK_THROW(render(p), std::exception);
  ScatterPlot s;
  s.x = {1, 2};
  s.y = {1, 2};
  s.classes = {0};
  BOOST_CHECK_THROW(render(s), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
