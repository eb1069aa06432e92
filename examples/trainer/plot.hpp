#pragma once
// Two chart types rendered to an Image: line plots (e.g. loss per epoch, several labelled series with
// markers) and class-coloured scatter plots (e.g. 2-D latent means of the test set), with axes, ticks,
// a title and a legend (see axes.hpp). Colours come from a 10-colour categorical palette.
#include <string>
#include <vector>

#include "trainer/image.hpp"

namespace xgrad::trainer {

/// Matplotlib's "tab10" categorical colours, cycled.
Color palette_color(std::size_t i);

struct Series {
  std::string label;
  std::vector<double> x, y;  // same length
  Color color;
  bool markers = true;
};

struct LinePlot {
  std::string title, xlabel, ylabel;
  std::vector<Series> series;
  std::size_t width = 760, height = 480;
  bool integer_x = false;      // ticks on integers only (epochs)
  bool legend_bottom = false;  // legend in the bottom-right corner (else top-right), e.g. for ROC curves
};

struct ScatterPlot {
  std::string title, xlabel, ylabel;
  std::vector<double> x, y;
  std::vector<int> classes;              // one per point, index into class_names (and the palette)
  std::vector<std::string> class_names;  // legend, outside the plot on the right
  std::size_t width = 900, height = 720;
  double radius = 1.8, alpha = 0.7;
};

/// Throws InvalidArgument when a series' x and y differ in length, or classes/x/y differ in length.
Image render(const LinePlot& plot);
Image render(const ScatterPlot& plot);

}  // namespace xgrad::trainer
