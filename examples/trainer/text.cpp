#include "trainer/text.hpp"

#include <vector>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop

namespace xgrad::trainer {
namespace {

/// NUL-terminated copy with every character outside printable ASCII replaced by '?' (the font's range).
std::vector<char> printable(const std::string& text) {
  std::vector<char> s;
  s.reserve(text.size() + 1);
  for (char c : text) s.push_back(c == '\n' || (c >= 32 && c < 127) ? c : '?');
  s.push_back('\0');
  return s;
}

struct Quad {
  float x0, y0, x1, y1;
};

/// Glyph quads of `text` at scale 1 with the origin at (0, 0).
std::vector<Quad> glyph_quads(const std::string& text) {
  struct Vertex {
    float x, y, z;
    unsigned char color[4];
  };
  std::vector<char> buf(text.size() * 1024 + 64);  // 64 bytes per quad, at most ~14 quads per glyph
  std::vector<char> s = printable(text);
  const int n = stb_easy_font_print(0, 0, s.data(), nullptr, buf.data(), static_cast<int>(buf.size()));
  const auto* v = reinterpret_cast<const Vertex*>(buf.data());
  std::vector<Quad> quads;
  quads.reserve(static_cast<std::size_t>(n));
  for (int q = 0; q < n; ++q) quads.push_back({v[4 * q].x, v[4 * q].y, v[4 * q + 2].x, v[4 * q + 2].y});
  return quads;
}

}  // namespace

double text_width(const std::string& text, double scale) {
  std::vector<char> s = printable(text);
  return scale * stb_easy_font_width(s.data());
}

double text_height(const std::string& text, double scale) {
  std::vector<char> s = printable(text);
  // stb_easy_font_height counts 12 units per line; the glyphs of one line occupy about 8.
  return scale * (stb_easy_font_height(s.data()) - 4);
}

void draw_text(Image& image, double x, double y, const std::string& text, Color color, double scale, Align align) {
  if (align == Align::center) x -= text_width(text, scale) / 2;
  if (align == Align::right) x -= text_width(text, scale);
  for (const Quad& q : glyph_quads(text))
    image.fill_rect(x + scale * q.x0, y + scale * q.y0, x + scale * q.x1, y + scale * q.y1, color);
}

void draw_text_vertical(Image& image, double cx, double cy, const std::string& text, Color color, double scale) {
  const double w = text_width(text, scale), h = text_height(text, scale);
  // Glyph point (u, v) maps to (cx - h/2 + v, cy + w/2 - u).
  for (const Quad& q : glyph_quads(text))
    image.fill_rect(cx - h / 2 + scale * q.y0, cy + w / 2 - scale * q.x1, cx - h / 2 + scale * q.y1,
                    cy + w / 2 - scale * q.x0, color);
}

}  // namespace xgrad::trainer
