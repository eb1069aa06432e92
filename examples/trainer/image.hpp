#pragma once
// Image: an RGB raster (8 bits per channel, row-major, origin top-left) with the few drawing primitives
// the trainer's pictures need. Shapes are antialiased by coverage: a pixel at distance d from a line of
// width w gets alpha = clamp(w/2 + 0.5 - d, 0, 1); rectangles with fractional corners get their area
// coverage. Everything clips to the image.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace xgrad::trainer {

struct Color {
  std::uint8_t r = 0, g = 0, b = 0;
};
inline constexpr Color kWhite{255, 255, 255};
inline constexpr Color kBlack{0, 0, 0};
/// Grey level v in [0,1] (clamped): 0 black, 1 white.
Color grey(double v);

class Image {
 public:
  Image() = default;
  /// width x height pixels filled with `background`.
  Image(std::size_t width, std::size_t height, Color background = kWhite);

  std::size_t width() const { return width_; }
  std::size_t height() const { return height_; }
  /// Pixel (x, y); unchecked.
  Color at(std::size_t x, std::size_t y) const;
  /// Raw RGB bytes, 3 * width * height.
  const std::vector<std::uint8_t>& bytes() const { return rgb_; }

  /// Sets pixel (x, y) (ignored outside the image).
  void set(long x, long y, Color c);
  /// Mixes c into pixel (x, y) with weight alpha in [0,1].
  void blend(long x, long y, Color c, double alpha);
  /// Fills [x0, x1) x [y0, y1) (real coordinates; partly covered border pixels are blended).
  void fill_rect(double x0, double y0, double x1, double y1, Color c, double alpha = 1.0);
  /// Outline of a pixel rectangle [x0, x1] x [y0, y1], 1 px wide.
  void stroke_rect(long x0, long y0, long x1, long y1, Color c);
  /// Segment from (x0, y0) to (x1, y1) of the given width (pixel centres are at +0.5).
  void draw_line(double x0, double y0, double x1, double y1, Color c, double width = 1.0);
  /// Filled disc.
  void fill_disc(double cx, double cy, double radius, Color c, double alpha = 1.0);
  /// Copies `src` with its top-left corner at (x, y) (clipped).
  void blit(const Image& src, long x, long y);
  /// Nearest-neighbour enlargement by an integer factor.
  Image scaled(std::size_t factor) const;

 private:
  std::size_t width_ = 0, height_ = 0;
  std::vector<std::uint8_t> rgb_;
};

}  // namespace xgrad::trainer
