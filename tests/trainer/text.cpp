// Text rendering with stb_easy_font glyphs: sizes, placement, alignment, vertical text.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>

#include "trainer/text.hpp"

using namespace xgrad::trainer;

namespace {
/// Bounding box of non-white pixels: {x0, y0, x1, y1} (inclusive); x0 > x1 when empty.
std::array<long, 4> ink_box(const Image& img) {
  std::array<long, 4> b{100000, 100000, -1, -1};
  for (std::size_t y = 0; y < img.height(); ++y)
    for (std::size_t x = 0; x < img.width(); ++x)
      if (img.at(x, y).r < 200) {
        b[0] = std::min<long>(b[0], x);
        b[1] = std::min<long>(b[1], y);
        b[2] = std::max<long>(b[2], x);
        b[3] = std::max<long>(b[3], y);
      }
  return b;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_text)

BOOST_AUTO_TEST_CASE(sizes_scale_linearly) {
  // stb_easy_font: digits advance 6 units; one line is 12 units, of which the glyphs use about 8.
  BOOST_TEST(text_width("0", 1.0) == 6.0);
  BOOST_TEST(text_width("00", 2.0) == 24.0);
  BOOST_TEST(text_height("0", 1.0) == 8.0);
  BOOST_TEST(text_width("\xC3\xA9", 1.0) > 0.0);  // non-ASCII becomes '?', no crash
}

BOOST_AUTO_TEST_CASE(text_lands_where_asked) {
  Image img(100, 40, kWhite);
  draw_text(img, 10, 5, "HI", kBlack, 2.0);
  const auto b = ink_box(img);
  BOOST_TEST(b[0] >= 10);
  BOOST_TEST(b[1] >= 5);
  BOOST_TEST(b[2] <= 10 + text_width("HI", 2.0));
  BOOST_TEST(b[3] <= 5 + 2 * 9);
  Image right(100, 40, kWhite);
  draw_text(right, 90, 5, "HI", kBlack, 2.0, Align::right);
  BOOST_TEST(ink_box(right)[2] <= 90);
  BOOST_TEST(ink_box(right)[0] >= 90 - text_width("HI", 2.0) - 1);
}

BOOST_AUTO_TEST_CASE(every_glyph_of_a_long_string_is_drawn) {
  // "8" has the most segments; a string of them must have exactly n times the ink of one (no truncation)
  auto ink = [](const std::string& s) {
    Image img(400, 20, kWhite);
    draw_text(img, 2, 2, s, kBlack, 1.0);
    std::size_t n = 0;
    for (std::size_t y = 0; y < img.height(); ++y)
      for (std::size_t x = 0; x < img.width(); ++x) n += img.at(x, y).r < 128;
    return n;
  };
  const std::size_t one = ink("8");
  BOOST_TEST(one > 10u);
  BOOST_TEST(ink("88888888") == 8 * one);
  BOOST_TEST(ink("280") == ink("2") + ink("8") + ink("0"));
}

BOOST_AUTO_TEST_CASE(vertical_text_is_tall_and_narrow) {
  Image img(60, 100, kWhite);
  draw_text_vertical(img, 30, 50, "LABEL", kBlack, 1.5);
  const auto b = ink_box(img);
  const long w = b[2] - b[0] + 1, h = b[3] - b[1] + 1;
  BOOST_TEST(h > 2 * w);
  BOOST_TEST(h <= text_width("LABEL", 1.5) + 2);
}

BOOST_AUTO_TEST_SUITE_END()
