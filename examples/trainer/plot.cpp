#include "trainer/plot.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/errors.hpp"
#include "trainer/axes.hpp"
#include "trainer/text.hpp"

namespace xgrad::trainer {

Color palette_color(std::size_t i) {
  static const Color tab10[10] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                                  {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
  return tab10[i % 10];
}

Image render(const LinePlot& plot) {
  std::vector<double> xs, ys;
  for (const auto& s : plot.series) {
    if (s.x.size() != s.y.size())
      throw InvalidArgument("render(LinePlot): series '" + s.label + "' has " + std::to_string(s.x.size()) +
                            " x values but " + std::to_string(s.y.size()) + " y values");
    xs.insert(xs.end(), s.x.begin(), s.x.end());
    ys.insert(ys.end(), s.y.begin(), s.y.end());
  }
  Image img(plot.width, plot.height);
  Axes ax(img, 96, 56, plot.width - 24.0, plot.height - 62.0, data_range(xs, 0.04), data_range(ys, 0.08));
  ax.draw_frame(plot.title, plot.xlabel, plot.ylabel, plot.integer_x);
  std::vector<LegendEntry> legend;
  for (const auto& s : plot.series) {
    for (std::size_t i = 0; i + 1 < s.x.size(); ++i)
      if (std::isfinite(s.y[i]) && std::isfinite(s.y[i + 1]))
        img.draw_line(ax.px(s.x[i]), ax.py(s.y[i]), ax.px(s.x[i + 1]), ax.py(s.y[i + 1]), s.color, 2.2);
    if (s.markers)
      for (std::size_t i = 0; i < s.x.size(); ++i)
        if (std::isfinite(s.y[i])) img.fill_disc(ax.px(s.x[i]), ax.py(s.y[i]), 3.5, s.color);
    if (!s.label.empty()) legend.push_back({s.label, s.color, true});
  }
  ax.draw_legend(legend, plot.legend_bottom);
  return img;
}

Image render(const ScatterPlot& plot) {
  if (plot.x.size() != plot.y.size() || plot.classes.size() != plot.x.size())
    throw InvalidArgument("render(ScatterPlot): " + std::to_string(plot.x.size()) + " x, " +
                          std::to_string(plot.y.size()) + " y and " + std::to_string(plot.classes.size()) +
                          " class values differ in number");
  double legend_w = 0;
  for (const auto& n : plot.class_names) legend_w = std::max(legend_w, text_width(n, 1.5) + 64);
  Image img(plot.width, plot.height);
  Axes ax(img, 96, 56, plot.width - 24.0 - legend_w, plot.height - 62.0, data_range(plot.x, 0.03),
          data_range(plot.y, 0.03));
  ax.draw_frame(plot.title, plot.xlabel, plot.ylabel);
  for (std::size_t i = 0; i < plot.x.size(); ++i)
    if (std::isfinite(plot.x[i]) && std::isfinite(plot.y[i]))
      img.fill_disc(ax.px(plot.x[i]), ax.py(plot.y[i]), plot.radius,
                    palette_color(static_cast<std::size_t>(std::max(0, plot.classes[i]))), plot.alpha);
  std::vector<LegendEntry> legend;
  for (std::size_t c = 0; c < plot.class_names.size(); ++c)
    legend.push_back({plot.class_names[c], palette_color(c), false});
  ax.draw_legend_outside(legend);
  return img;
}

}  // namespace xgrad::trainer
