// Tile grids: layout sizes, pixel values of the tiles, labelled rows with headers, pairs, bad shapes.
#include <boost/test/unit_test.hpp>

#include <vector>

#include "autograd/errors.hpp"
#include "trainer/tile_grid.hpp"

using namespace xgrad;
using namespace xgrad::trainer;

BOOST_AUTO_TEST_SUITE(trainer_tile_grid)

BOOST_AUTO_TEST_CASE(grid_size_and_tile_pixels) {
  // five 2x3 tiles, tile i constant i/4; 3 columns -> 2 rows
  std::vector<double> v;
  for (int i = 0; i < 5; ++i)
    for (int p = 0; p < 6; ++p) v.push_back(i / 4.0);
  TileLayout layout;
  layout.tile_height = 2;
  layout.tile_width = 3;
  layout.scale = 2;
  layout.pad = 1;
  layout.background = Color{255, 0, 0};
  const Image img = image_grid(Tensor::from({5, 6}, v, DType::float64), 3, layout);
  BOOST_TEST(img.width() == 1 + 3 * (6 + 1));  // pad + cols * (tile*scale + pad)
  BOOST_TEST(img.height() == 1 + 2 * (4 + 1));
  BOOST_TEST(img.at(1, 1).g == 0);                // tile 0: black (0/4)
  BOOST_TEST(img.at(1 + 7 * 2, 1).g == 128);      // tile 2: 0.5
  BOOST_TEST(img.at(1 + 7, 1 + 5 + 3).g == 255);  // tile 4 (row 1, col 1): 1.0
  BOOST_TEST(img.at(0, 0).r == 255);              // padding
  BOOST_TEST(img.at(0, 0).g == 0);
  BOOST_TEST(img.at(1 + 7 * 2, 1 + 5).g == 0);  // empty slot of the last row: background
}

BOOST_AUTO_TEST_CASE(rows_with_labels_and_headers_are_wider_and_taller) {
  const Tensor tiles = Tensor::full({2, 784}, 1.0);
  const Image plain = tile_rows({{"", {tiles, tiles}}}, {}, TileLayout{});
  const Image labelled = tile_rows({{"Ankle boot", {tiles, tiles}}}, {"most", "least"}, TileLayout{});
  BOOST_TEST(labelled.width() > plain.width() + 40);
  BOOST_TEST(labelled.height() > plain.height() + 8);
  BOOST_CHECK_THROW(tile_rows({{"", {tiles}}}, {"a", "b"}, TileLayout{}), InvalidArgument);
}

BOOST_AUTO_TEST_CASE(pairs_put_reconstruction_next_to_original) {
  const Tensor a = Tensor::full({3, 784}, 0.0), b = Tensor::full({3, 784}, 1.0);
  TileLayout layout;
  const Image img = pairs_grid(a, b, 3, layout);
  // find the first row of tiles: original black, reconstruction white right after it
  const std::size_t tw = 28 * layout.scale;
  std::size_t y = 0;
  while (y < img.height() && img.at(layout.pad + 1, y).r != 0) ++y;
  BOOST_REQUIRE(y < img.height());
  BOOST_TEST(img.at(layout.pad + tw / 2, y + 5).r == 0);
  BOOST_TEST(img.at(layout.pad + tw + layout.pad + tw / 2, y + 5).r == 255);
  BOOST_CHECK_THROW(pairs_grid(a, Tensor::full({2, 784}, 1.0), 3), ShapeError);
}

BOOST_AUTO_TEST_CASE(wrong_tile_width_names_the_shape) {
  try {
    image_grid(Tensor::full({2, 100}, 0.5), 2);
    BOOST_ERROR("no exception");
  } catch (const ShapeError& e) {
    BOOST_TEST(std::string(e.what()).find("[2,100]") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
