#pragma once
// Plot axes on an Image: a data-to-pixel mapping for a rectangular plot area, "nice" ticks (1, 2 or 5
// times a power of ten), grid lines, tick labels, axis labels, a title and a legend box.
#include <string>
#include <vector>

#include "trainer/image.hpp"

namespace xgrad::trainer {

/// Ticks k*step inside [lo, hi], step = {1,2,5} x 10^n chosen so there are about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);
/// The multiples of `step` inside [lo, hi] (values within 1e-12 step of 0 are exactly 0).
std::vector<double> ticks_with_step(double lo, double hi, double step);
/// The tick spacing nice_ticks uses for [lo, hi].
double nice_step(double lo, double hi, int target = 6);
/// v printed with just enough decimals for ticks `step` apart ("0.5", "120", "1e+04").
std::string tick_label(double v, double step);

struct Range {
  double lo = 0, hi = 1;
};
/// [min, max] of the finite values (a unit range around a single value; [0,1] when none), widened by
/// `margin` x its width on both sides.
Range data_range(const std::vector<double>& values, double margin = 0.05);

struct LegendEntry {
  std::string label;
  Color color;
  bool line = true;  // a line sample, else a dot
};

class Axes {
 public:
  /// The plot area is [left, right] x [top, bottom] in pixels of `image`.
  Axes(Image& image, double left, double top, double right, double bottom, Range x, Range y);
  double px(double x) const;
  double py(double y) const;
  Image& image() { return image_; }
  /// Grid lines, frame, ticks with labels, axis labels and title. integer_x: only integer x ticks.
  void draw_frame(const std::string& title, const std::string& xlabel, const std::string& ylabel,
                  bool integer_x = false);
  /// Legend box in the top-right (or, with `bottom`, the bottom-right) corner of the plot area (inside).
  void draw_legend(const std::vector<LegendEntry>& entries, bool bottom = false);
  /// Legend to the right of the plot area (outside), starting at the top.
  void draw_legend_outside(const std::vector<LegendEntry>& entries);

 private:
  void legend_at(double x, double y, const std::vector<LegendEntry>& entries);
  Image& image_;
  double left_, top_, right_, bottom_;
  Range x_, y_;
};

}  // namespace xgrad::trainer
