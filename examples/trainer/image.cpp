#include "trainer/image.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/errors.hpp"

namespace xgrad::trainer {

Color grey(double v) {
  const double c = std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0);
  const auto u = static_cast<std::uint8_t>(std::lround(c * 255.0));
  return {u, u, u};
}

Image::Image(std::size_t width, std::size_t height, Color background)
    : width_(width), height_(height), rgb_(3 * width * height) {
  if (width == 0 || height == 0)
    throw InvalidArgument("Image: size " + std::to_string(width) + "x" + std::to_string(height) + " is empty");
  for (std::size_t i = 0; i < width * height; ++i) {
    rgb_[3 * i] = background.r;
    rgb_[3 * i + 1] = background.g;
    rgb_[3 * i + 2] = background.b;
  }
}

Color Image::at(std::size_t x, std::size_t y) const {
  const std::uint8_t* p = &rgb_[3 * (y * width_ + x)];
  return {p[0], p[1], p[2]};
}

void Image::set(long x, long y, Color c) {
  blend(x, y, c, 1.0);
}

void Image::blend(long x, long y, Color c, double alpha) {
  if (x < 0 || y < 0 || x >= static_cast<long>(width_) || y >= static_cast<long>(height_) || alpha <= 0) return;
  alpha = std::min(alpha, 1.0);
  std::uint8_t* p = &rgb_[3 * (static_cast<std::size_t>(y) * width_ + static_cast<std::size_t>(x))];
  const std::uint8_t src[3] = {c.r, c.g, c.b};
  for (int k = 0; k < 3; ++k)
    p[k] = static_cast<std::uint8_t>(std::lround(p[k] + alpha * (static_cast<double>(src[k]) - p[k])));
}

void Image::fill_rect(double x0, double y0, double x1, double y1, Color c, double alpha) {
  if (x1 < x0) std::swap(x0, x1);
  if (y1 < y0) std::swap(y0, y1);
  const long xa = static_cast<long>(std::floor(x0)), xb = static_cast<long>(std::ceil(x1));
  const long ya = static_cast<long>(std::floor(y0)), yb = static_cast<long>(std::ceil(y1));
  for (long y = std::max(ya, 0L); y < std::min(yb, static_cast<long>(height_)); ++y) {
    const double cy = std::min<double>(y + 1, y1) - std::max<double>(y, y0);
    for (long x = std::max(xa, 0L); x < std::min(xb, static_cast<long>(width_)); ++x) {
      const double cx = std::min<double>(x + 1, x1) - std::max<double>(x, x0);
      blend(x, y, c, alpha * cx * cy);
    }
  }
}

void Image::stroke_rect(long x0, long y0, long x1, long y1, Color c) {
  for (long x = x0; x <= x1; ++x) {
    set(x, y0, c);
    set(x, y1, c);
  }
  for (long y = y0; y <= y1; ++y) {
    set(x0, y, c);
    set(x1, y, c);
  }
}

void Image::draw_line(double x0, double y0, double x1, double y1, Color c, double width) {
  const double half = width / 2 + 0.5;
  const long xa = static_cast<long>(std::floor(std::min(x0, x1) - half)),
             xb = static_cast<long>(std::ceil(std::max(x0, x1) + half));
  const long ya = static_cast<long>(std::floor(std::min(y0, y1) - half)),
             yb = static_cast<long>(std::ceil(std::max(y0, y1) + half));
  const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  for (long y = std::max(ya, 0L); y <= std::min(yb, static_cast<long>(height_) - 1); ++y)
    for (long x = std::max(xa, 0L); x <= std::min(xb, static_cast<long>(width_) - 1); ++x) {
      const double px = x + 0.5, py = y + 0.5;
      const double t = len2 > 0 ? std::clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0.0, 1.0) : 0.0;
      const double d = std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
      blend(x, y, c, std::clamp(half - d, 0.0, 1.0));
    }
}

void Image::fill_disc(double cx, double cy, double radius, Color c, double alpha) {
  const long xa = static_cast<long>(std::floor(cx - radius - 1)), xb = static_cast<long>(std::ceil(cx + radius + 1));
  const long ya = static_cast<long>(std::floor(cy - radius - 1)), yb = static_cast<long>(std::ceil(cy + radius + 1));
  for (long y = std::max(ya, 0L); y <= std::min(yb, static_cast<long>(height_) - 1); ++y)
    for (long x = std::max(xa, 0L); x <= std::min(xb, static_cast<long>(width_) - 1); ++x) {
      const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
      blend(x, y, c, alpha * std::clamp(radius + 0.5 - d, 0.0, 1.0));
    }
}

void Image::blit(const Image& src, long x, long y) {
  for (std::size_t sy = 0; sy < src.height(); ++sy)
    for (std::size_t sx = 0; sx < src.width(); ++sx)
      set(x + static_cast<long>(sx), y + static_cast<long>(sy), src.at(sx, sy));
}

Image Image::scaled(std::size_t factor) const {
  if (factor == 0) throw InvalidArgument("Image::scaled: factor 0");
  Image out(width_ * factor, height_ * factor);
  for (std::size_t y = 0; y < out.height(); ++y)
    for (std::size_t x = 0; x < out.width(); ++x)
      out.set(static_cast<long>(x), static_cast<long>(y), at(x / factor, y / factor));
  return out;
}

}  // namespace xgrad::trainer
