// write_png: the file decodes (stb_image) to the same size and pixels; an unwritable path is an error.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

#include <stb/stb_image.h>

#include "autograd/errors.hpp"
#include "test_helpers.hpp"
#include "trainer/png.hpp"

using namespace xgrad::trainer;

BOOST_AUTO_TEST_SUITE(trainer_png)

BOOST_AUTO_TEST_CASE(round_trip_through_stb_image) {
  Image img(7, 5, Color{1, 2, 3});
  img.set(6, 4, Color{250, 128, 7});
  const std::string path = std::string(XGRAD_BINARY_DIR) + "/trainer_png_round_trip.png";
  write_png(path, img);
  int w = 0, h = 0, c = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &c, 3);
  BOOST_REQUIRE(data != nullptr);
  BOOST_TEST(w == 7);
  BOOST_TEST(h == 5);
  BOOST_TEST(c == 3);
  BOOST_TEST(data[0] == 1);
  BOOST_TEST(data[2] == 3);
  BOOST_TEST(data[3 * (4 * 7 + 6)] == 250);
  BOOST_TEST(data[3 * (4 * 7 + 6) + 1] == 128);
  stbi_image_free(data);
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(unwritable_path_names_the_file) {
  xgrad::test::check_throws_with<xgrad::DataError>([] { write_png("/nonexistent-dir-xgrad/x.png", Image(2, 2)); },
                                                   {"write_png", "/nonexistent-dir-xgrad/x.png"});
}

BOOST_AUTO_TEST_SUITE_END()
