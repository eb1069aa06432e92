#include "trainer/axes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "autograd/errors.hpp"
#include "trainer/text.hpp"

namespace xgrad::trainer {
namespace {
constexpr double kTickText = 1.3, kLabelText = 1.5, kTitleText = 2.0;
const Color kInk{40, 40, 40}, kGrid{225, 225, 225};
}  // namespace

double nice_step(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || target < 1)
    throw InvalidArgument("nice_step: range [" + std::to_string(lo) + ", " + std::to_string(hi) + "] with target " +
                          std::to_string(target) + " (need lo < hi, finite, target >= 1)");
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  return ticks_with_step(lo, hi, nice_step(lo, hi, target));
}

std::vector<double> ticks_with_step(double lo, double hi, double step) {
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k += 1) {
    const double t = k * step;
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

std::string tick_label(double v, double step) {
  if (std::fabs(v) < 1e-9 * step) v = 0;  // no "-0"
  char buf[64];
  const double a = std::max(std::fabs(v), step);
  if (a >= 1e6 || a < 1e-4) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Range data_range(const std::vector<double>& values, double margin) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!std::isfinite(lo)) return {0, 1};
  if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(lo))) {
    const double w = std::max(1.0, std::fabs(lo) * 0.1);
    return {lo - w / 2, hi + w / 2};
  }
  const double w = hi - lo;
  return {lo - margin * w, hi + margin * w};
}

Axes::Axes(Image& image, double left, double top, double right, double bottom, Range x, Range y)
    : image_(image), left_(left), top_(top), right_(right), bottom_(bottom), x_(x), y_(y) {
  if (!(right > left) || !(bottom > top) || !(x.hi > x.lo) || !(y.hi > y.lo))
    throw InvalidArgument("Axes: empty plot area or data range");
}

double Axes::px(double x) const {
  return left_ + (x - x_.lo) / (x_.hi - x_.lo) * (right_ - left_);
}
double Axes::py(double y) const {
  return bottom_ - (y - y_.lo) / (y_.hi - y_.lo) * (bottom_ - top_);
}

void Axes::draw_frame(const std::string& title, const std::string& xlabel, const std::string& ylabel, bool integer_x) {
  const double xstep = std::max(nice_step(x_.lo, x_.hi, 7), integer_x ? 1.0 : 0.0);
  const double ystep = nice_step(y_.lo, y_.hi, 6);
  const std::vector<double> xt = ticks_with_step(x_.lo, x_.hi, xstep);
  const std::vector<double> yt = ticks_with_step(y_.lo, y_.hi, ystep);
  for (double t : xt) image_.draw_line(px(t), top_, px(t), bottom_, kGrid);
  for (double t : yt) image_.draw_line(left_, py(t), right_, py(t), kGrid);
  image_.draw_line(left_, top_, right_, top_, kInk);
  image_.draw_line(left_, bottom_, right_, bottom_, kInk);
  image_.draw_line(left_, top_, left_, bottom_, kInk);
  image_.draw_line(right_, top_, right_, bottom_, kInk);
  const double th = text_height("0", kTickText);
  double widest = 0;
  for (double t : xt) {
    image_.draw_line(px(t), bottom_, px(t), bottom_ + 5, kInk);
    draw_text(image_, px(t), bottom_ + 9, tick_label(t, xstep), kInk, kTickText, Align::center);
  }
  for (double t : yt) {
    image_.draw_line(left_ - 5, py(t), left_, py(t), kInk);
    const std::string s = tick_label(t, ystep);
    widest = std::max(widest, text_width(s, kTickText));
    draw_text(image_, left_ - 9, py(t) - th / 2, s, kInk, kTickText, Align::right);
  }
  if (!xlabel.empty())
    draw_text(image_, (left_ + right_) / 2, bottom_ + 16 + th, xlabel, kInk, kLabelText, Align::center);
  if (!ylabel.empty())
    draw_text_vertical(image_, left_ - 18 - widest - text_height("X", kLabelText) / 2, (top_ + bottom_) / 2, ylabel,
                       kInk, kLabelText);
  if (!title.empty())
    draw_text(image_, (left_ + right_) / 2, top_ - 12 - text_height("X", kTitleText), title, kInk, kTitleText,
              Align::center);
}

void Axes::legend_at(double x, double y, const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return;
  const double row = text_height("X", kLabelText) + 8;
  double w = 0;
  for (const auto& e : entries) w = std::max(w, text_width(e.label, kLabelText));
  const double box_w = w + 44, box_h = row * entries.size() + 8;
  image_.fill_rect(x, y, x + box_w, y + box_h, kWhite, 0.9);
  image_.stroke_rect(std::lround(x), std::lround(y), std::lround(x + box_w), std::lround(y + box_h), {170, 170, 170});
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const double cy = y + 4 + row * (i + 0.5);
    if (entries[i].line)
      image_.draw_line(x + 8, cy, x + 30, cy, entries[i].color, 2.5);
    else
      image_.fill_disc(x + 19, cy, 4.5, entries[i].color);
    draw_text(image_, x + 38, cy - text_height("X", kLabelText) / 2, entries[i].label, kInk, kLabelText);
  }
}

void Axes::draw_legend(const std::vector<LegendEntry>& entries, bool bottom) {
  double w = 0;
  for (const auto& e : entries) w = std::max(w, text_width(e.label, kLabelText));
  const double box_h = (text_height("X", kLabelText) + 8) * entries.size() + 8;  // as legend_at draws it
  legend_at(right_ - (w + 44) - 8, bottom ? bottom_ - 8 - box_h : top_ + 8, entries);
}

void Axes::draw_legend_outside(const std::vector<LegendEntry>& entries) {
  legend_at(right_ + 12, top_, entries);
}

}  // namespace xgrad::trainer
