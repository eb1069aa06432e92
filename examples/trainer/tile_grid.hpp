#pragma once
// Grids of small grey images (e.g. 28x28 Fashion-MNIST pictures stored as rows of 784 values in [0,1]).
// tile_rows lays out rows of tile groups: an optional label on the left of each row, groups of tiles
// separated by `group_gap`, an optional header above each group column:
//
//              header 0        header 1
//   label 0   [t][t][t]       [t][t][t]
//   label 1   [t][t][t]       [t][t][t]
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "trainer/image.hpp"

namespace xgrad::trainer {

struct TileLayout {
  std::size_t tile_height = 28, tile_width = 28;
  std::size_t scale = 2;       // each pixel becomes scale x scale
  std::size_t pad = 2;         // between tiles and around the grid
  std::size_t group_gap = 12;  // between groups of a row
  double text_scale = 1.5;
  Color background = kWhite;
};

struct TileRow {
  std::string label;
  std::vector<Tensor> groups;  // each [k, tile_height * tile_width], values in [0,1] (clamped)
};

/// The grid of `rows`; `headers` (empty or one per group) go above the group columns. Throws ShapeError
/// when a group's width is not tile_height * tile_width.
Image tile_rows(const std::vector<TileRow>& rows, const std::vector<std::string>& headers, const TileLayout& layout);
/// images [N, tile_height * tile_width] as a grid of `cols` columns (the last row may be partial).
Image image_grid(const Tensor& images, std::size_t cols, const TileLayout& layout = {});
/// Grid of `cols` pairs (original, reconstruction) per row, both [N, h*w], headed "orig | recon".
Image pairs_grid(const Tensor& originals, const Tensor& reconstructions, std::size_t cols,
                 const TileLayout& layout = {});

}  // namespace xgrad::trainer
