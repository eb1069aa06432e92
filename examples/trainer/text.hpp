#pragma once
// Text on an Image with stb_easy_font's vector glyphs (ASCII, 7 units tall incl. descenders' room:
// a line is 12 units at scale 1). Glyph quads are scaled by `scale` (fractional scales are antialiased).
#include <string>

#include "trainer/image.hpp"

namespace xgrad::trainer {

enum class Align { left, center, right };

/// Width and height in pixels of `text` at `scale`.
double text_width(const std::string& text, double scale = 1.0);
double text_height(const std::string& text, double scale = 1.0);
/// Draws `text` with its top at y; x is the left edge, centre or right edge by `align`.
void draw_text(Image& image, double x, double y, const std::string& text, Color color, double scale = 1.0,
               Align align = Align::left);
/// Draws `text` rotated 90 degrees counter-clockwise (reading bottom to top), centred at (cx, cy).
void draw_text_vertical(Image& image, double cx, double cy, const std::string& text, Color color, double scale = 1.0);

}  // namespace xgrad::trainer
