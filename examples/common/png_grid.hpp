#pragma once
// A small image-grid writer shared by the examples: blocks of images (each block a Tensor [n, h*w] of
// grey values) are laid out in rows of `cols` tiles, each block starting on a new row, and written as
// an 8-bit grey PNG with stb_image_write (Debian's libstb). Values are clamped to [0,1], or min-max
// normalised per tile with `normalize_each` (for filters, whose values have no fixed range).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>

#include "autograd/errors.hpp"
#include "autograd/tensor.hpp"

namespace xgrad::examples {

struct GridOptions {
  std::size_t tile_h = 28, tile_w = 28;
  std::size_t cols = 10;  // tiles per row
  std::size_t scale = 2;  // each pixel becomes scale x scale
  std::size_t pad = 2;    // pixels between tiles (and around the grid), drawn mid-grey
  bool normalize_each = false;
};

/// Writes the blocks as one PNG; returns its {width, height} in pixels. Throws DataError when the
/// file cannot be written, ShapeError when a block is not [n, tile_h * tile_w].
inline std::pair<std::size_t, std::size_t> write_png_grid(const std::string& path, const std::vector<Tensor>& blocks,
                                                          const GridOptions& o = {}) {
  const std::size_t tile_size = o.tile_h * o.tile_w;
  std::size_t grid_rows = 0;
  for (const auto& b : blocks) {
    if (b.dim() != 2 || b.shape()[1] != tile_size)
      throw ShapeError("write_png_grid: block " + shape_string(b.shape()) + " is not [n, " + std::to_string(tile_size) +
                       "]");
    grid_rows += (b.shape()[0] + o.cols - 1) / o.cols;
  }
  const std::size_t th = o.tile_h * o.scale, tw = o.tile_w * o.scale;
  const std::size_t width = o.cols * (tw + o.pad) + o.pad, height = grid_rows * (th + o.pad) + o.pad;
  std::vector<std::uint8_t> pixels(width * height, 128);

  std::size_t row = 0;
  for (const auto& b : blocks) {
    const std::vector<double> v = b.to_vector();
    const std::size_t n = b.shape()[0];
    for (std::size_t i = 0; i < n; ++i) {
      const double* tile = v.data() + i * tile_size;
      double lo = 0.0, hi = 1.0;
      if (o.normalize_each) {
        const auto mm = std::minmax_element(tile, tile + tile_size);
        lo = *mm.first;
        hi = *mm.second > lo ? *mm.second : lo + 1.0;
      }
      const std::size_t y0 = o.pad + (row + i / o.cols) * (th + o.pad), x0 = o.pad + (i % o.cols) * (tw + o.pad);
      for (std::size_t y = 0; y < th; ++y)
        for (std::size_t x = 0; x < tw; ++x) {
          const double t = std::clamp((tile[(y / o.scale) * o.tile_w + x / o.scale] - lo) / (hi - lo), 0.0, 1.0);
          pixels[(y0 + y) * width + x0 + x] = static_cast<std::uint8_t>(t * 255.0 + 0.5);
        }
    }
    row += (n + o.cols - 1) / o.cols;
  }
  if (!stbi_write_png(path.c_str(), static_cast<int>(width), static_cast<int>(height), 1, pixels.data(),
                      static_cast<int>(width)))
    throw DataError("write_png_grid: cannot write '" + path + "'");
  return {width, height};
}

}  // namespace xgrad::examples
