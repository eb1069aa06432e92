// Image: pixel access, blending, antialiased rectangles, lines and discs, blit and scaling.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "trainer/image.hpp"

using namespace xgrad::trainer;

BOOST_AUTO_TEST_SUITE(trainer_image)

BOOST_AUTO_TEST_CASE(background_set_and_blend) {
  Image img(4, 3, Color{10, 20, 30});
  BOOST_TEST(img.width() == 4u);
  BOOST_TEST(img.height() == 3u);
  BOOST_TEST(img.bytes().size() == 36u);
  BOOST_TEST(img.at(3, 2).b == 30);
  img.set(1, 2, Color{200, 100, 0});
  BOOST_TEST(img.at(1, 2).r == 200);
  BOOST_TEST(img.bytes()[3 * (2 * 4 + 1) + 1] == 100);  // row-major RGB
  img.blend(0, 0, Color{110, 20, 30}, 0.5);             // 10 + 0.5 * 100
  BOOST_TEST(img.at(0, 0).r == 60);
  img.set(-1, 0, kBlack);  // outside: ignored, no crash
  img.set(4, 0, kBlack);
  BOOST_TEST(grey(0.5).r == 128);
  BOOST_TEST(grey(2.0).g == 255);
  BOOST_TEST(grey(NAN).b == 0);
}

BOOST_AUTO_TEST_CASE(fill_rect_blends_partial_pixels_by_area) {
  Image img(4, 4, kWhite);
  img.fill_rect(1, 1, 2.5, 2, kBlack);  // pixel (1,1) fully, (2,1) half covered
  BOOST_TEST(img.at(1, 1).r == 0);
  BOOST_TEST(img.at(2, 1).r == 128);  // 255 * 0.5 rounded
  BOOST_TEST(img.at(3, 1).r == 255);
  BOOST_TEST(img.at(1, 2).r == 255);
}

BOOST_AUTO_TEST_CASE(line_covers_its_pixels_only) {
  Image img(20, 20, kWhite);
  img.draw_line(2, 10.5, 17, 10.5, kBlack, 1.0);  // horizontal through pixel centres of row 10
  for (int x = 3; x <= 16; ++x) BOOST_TEST(img.at(x, 10).r == 0);
  BOOST_TEST(img.at(10, 8).r == 255);
  BOOST_TEST(img.at(10, 12).r == 255);
  Image diag(20, 20, kWhite);
  diag.draw_line(0, 0, 20, 20, kBlack, 1.0);
  for (int i = 1; i < 19; ++i) BOOST_TEST(diag.at(i, i).r < 60);
  BOOST_TEST(diag.at(15, 3).r == 255);
}

BOOST_AUTO_TEST_CASE(disc_area_is_pi_r_squared) {
  Image img(40, 40, kWhite);
  img.fill_disc(20, 20, 8, kBlack);
  double covered = 0;
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 40; ++x) covered += (255 - img.at(x, y).r) / 255.0;
  BOOST_TEST(std::fabs(covered - M_PI * 64) < 3.0);
}

BOOST_AUTO_TEST_CASE(blit_and_scaled) {
  Image small(2, 1, kWhite);
  small.set(1, 0, Color{1, 2, 3});
  const Image big = small.scaled(3);
  BOOST_TEST(big.width() == 6u);
  BOOST_TEST(big.height() == 3u);
  BOOST_TEST(big.at(2, 2).r == 255);
  BOOST_TEST(big.at(3, 0).b == 3);
  BOOST_TEST(big.at(5, 2).g == 2);
  Image canvas(5, 5, kBlack);
  canvas.blit(big, 3, 1);  // clipped on the right
  BOOST_TEST(canvas.at(4, 1).r == 255);
  BOOST_TEST(canvas.at(2, 1).r == 0);
  BOOST_CHECK_THROW(Image(0, 3), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
