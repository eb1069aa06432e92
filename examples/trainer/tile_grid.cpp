#include "trainer/tile_grid.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/errors.hpp"
#include "trainer/text.hpp"

namespace xgrad::trainer {
namespace {

std::size_t tiles_in(const Tensor& group, const TileLayout& layout) {
  if (!group.defined() || group.size() == 0) return 0;
  const std::size_t pixels = layout.tile_height * layout.tile_width;
  if (group.dim() != 2 || group.shape()[1] != pixels)
    throw ShapeError("tile_rows: a group of shape " + shape_string(group.shape()) + " is not [k, " +
                     std::to_string(pixels) + "] (" + std::to_string(layout.tile_height) + "x" +
                     std::to_string(layout.tile_width) + " tiles)");
  return group.shape()[0];
}

}  // namespace

Image tile_rows(const std::vector<TileRow>& rows, const std::vector<std::string>& headers, const TileLayout& layout) {
  if (rows.empty()) throw InvalidArgument("tile_rows: no rows");
  const std::size_t th = layout.tile_height * layout.scale, tw = layout.tile_width * layout.scale;
  const std::size_t pad = layout.pad;
  // Column structure: tiles per group = the largest count over rows.
  std::size_t groups = 0;
  for (const auto& r : rows) groups = std::max(groups, r.groups.size());
  if (!headers.empty() && headers.size() != groups)
    throw InvalidArgument("tile_rows: " + std::to_string(headers.size()) + " headers for " + std::to_string(groups) +
                          " groups");
  std::vector<std::size_t> per_group(groups, 0);
  for (const auto& r : rows)
    for (std::size_t g = 0; g < r.groups.size(); ++g)
      per_group[g] = std::max(per_group[g], tiles_in(r.groups[g], layout));
  double label_w = 0;
  for (const auto& r : rows) label_w = std::max(label_w, text_width(r.label, layout.text_scale));
  const std::size_t label_col = label_w > 0 ? static_cast<std::size_t>(std::ceil(label_w)) + 3 * pad + 4 : 0;
  const std::size_t header_row =
      headers.empty() ? 0 : static_cast<std::size_t>(std::ceil(text_height("X", layout.text_scale))) + 3 * pad + 2;
  // a group column is as wide as its tiles or its header, whichever is wider (tiles centred)
  std::vector<std::size_t> group_x(groups), group_w(groups);
  std::size_t x = label_col + pad;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t tiles_w = per_group[g] * (tw + pad);
    const std::size_t header_w =
        headers.empty() ? 0 : static_cast<std::size_t>(std::ceil(text_width(headers[g], layout.text_scale))) + 6;
    group_w[g] = std::max(tiles_w, header_w);
    group_x[g] = x + (group_w[g] - tiles_w) / 2;
    x += group_w[g] + (g + 1 < groups ? layout.group_gap : 0);
  }
  const std::size_t width = std::max<std::size_t>(x, 1);
  const std::size_t height = header_row + pad + rows.size() * (th + pad);
  Image img(width, height, layout.background);

  const Color ink{30, 30, 30};
  for (std::size_t g = 0; g < headers.size(); ++g) {
    const double cx = group_x[g] + (per_group[g] * (tw + pad)) / 2.0;  // centre of the tiles
    draw_text(img, cx, pad + 1, headers[g], ink, layout.text_scale, Align::center);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::size_t y0 = header_row + pad + r * (th + pad);
    if (!rows[r].label.empty())
      draw_text(img, label_col - 2 * pad, y0 + (th - text_height("X", layout.text_scale)) / 2.0, rows[r].label, ink,
                layout.text_scale, Align::right);
    for (std::size_t g = 0; g < rows[r].groups.size(); ++g) {
      const Tensor& group = rows[r].groups[g];
      const std::size_t k = tiles_in(group, layout);
      const std::vector<double> v = k ? group.to_vector() : std::vector<double>{};
      for (std::size_t t = 0; t < k; ++t) {
        const std::size_t x0 = group_x[g] + t * (tw + pad);
        for (std::size_t py = 0; py < th; ++py)
          for (std::size_t px = 0; px < tw; ++px)
            img.set(static_cast<long>(x0 + px), static_cast<long>(y0 + py),
                    grey(v[t * layout.tile_height * layout.tile_width + (py / layout.scale) * layout.tile_width +
                           px / layout.scale]));
      }
    }
  }
  return img;
}

Image image_grid(const Tensor& images, std::size_t cols, const TileLayout& layout) {
  if (cols == 0) throw InvalidArgument("image_grid: cols must be >= 1");
  if (!images.defined() || images.dim() != 2)
    throw ShapeError("image_grid: images must be [N, h*w], got " +
                     (images.defined() ? shape_string(images.shape()) : std::string("undefined")));
  const std::size_t n = images.shape()[0], d = images.shape()[1];
  std::vector<TileRow> rows;
  for (std::size_t r0 = 0; r0 < n; r0 += cols) {
    const std::size_t k = std::min(cols, n - r0);
    std::vector<std::size_t> idx(k);
    for (std::size_t i = 0; i < k; ++i) idx[i] = r0 + i;
    std::vector<double> vals(k * d);
    for (std::size_t i = 0; i < k * d; ++i) vals[i] = images.at(r0 * d + i);
    rows.push_back({"", {Tensor::from({k, d}, vals, DType::float64)}});
  }
  return tile_rows(rows, {}, layout);
}

Image pairs_grid(const Tensor& originals, const Tensor& reconstructions, std::size_t cols, const TileLayout& layout) {
  if (cols == 0) throw InvalidArgument("pairs_grid: cols must be >= 1");
  if (!originals.defined() || !reconstructions.defined() || originals.shape() != reconstructions.shape() ||
      originals.dim() != 2)
    throw ShapeError("pairs_grid: originals " + shape_string(originals.shape()) + " and reconstructions " +
                     shape_string(reconstructions.shape()) + " must both be [N, h*w]");
  const std::size_t n = originals.shape()[0], d = originals.shape()[1];
  std::vector<TileRow> rows;
  for (std::size_t r0 = 0; r0 < n; r0 += cols) {
    TileRow row;
    for (std::size_t i = r0; i < std::min(n, r0 + cols); ++i) {
      std::vector<double> vals(2 * d);
      for (std::size_t j = 0; j < d; ++j) {
        vals[j] = originals.at(i * d + j);
        vals[d + j] = reconstructions.at(i * d + j);
      }
      row.groups.push_back(Tensor::from({2, d}, vals, DType::float64));
    }
    rows.push_back(std::move(row));
  }
  const std::size_t groups = std::min(cols, n);
  return tile_rows(rows, std::vector<std::string>(groups, "orig | recon"), layout);
}

}  // namespace xgrad::trainer
