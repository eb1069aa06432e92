#include "nn/train/summary.hpp"

#include <algorithm>
#include <array>
#include <sstream>
#include <vector>

#include "nn/layers/layer.hpp"

namespace xgrad::nn {

namespace {
// 1234567 -> "1,234,567"
std::string grouped(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

constexpr std::size_t kColumns = 5;

std::array<std::string, kColumns> row_of(const std::string& name, const Module& m) {
  std::string io = "-", out = "-";
  if (const auto* layer = dynamic_cast<const Layer*>(&m)) {
    io = std::to_string(layer->n_in()) + "," + std::to_string(layer->n_out());
    out = shape_braces(layer->output_shape());
  }
  std::string shapes;
  for (const auto& p : m.named_parameters())
    shapes += (shapes.empty() ? "" : ", ") + p.name + ":" + shape_braces(p.variable.shape());
  return {name + " (" + m.type_name() + ")", io, grouped(m.parameter_count()), shapes.empty() ? "-" : shapes, out};
}
}  // namespace

std::string summary(const Module& module) {
  std::vector<std::array<std::string, kColumns>> rows;
  rows.push_back({"LayerName (LayerType)", "nIn,nOut", "TotalParams", "ParamsShape", "OutputShape"});
  if (module.children().empty()) {
    rows.push_back(row_of("0", module));
  } else {
    for (const auto& [name, child] : module.children()) rows.push_back(row_of(name, *child));
  }
  std::array<std::size_t, kColumns> width{};
  for (const auto& r : rows)
    for (std::size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], r[c].size());
  std::size_t total_width = 0;
  for (std::size_t c = 0; c < kColumns; ++c) total_width += width[c] + (c + 1 < kColumns ? 3 : 0);

  std::size_t total = 0, trainable = 0;
  for (const auto& p : module.named_parameters()) {
    total += p.variable.size();
    if (p.variable.requires_grad()) trainable += p.variable.size();
  }
  const std::string rule(total_width, '='), thin(total_width, '-');
  std::ostringstream out;
  auto print_row = [&](const std::array<std::string, kColumns>& r) {
    std::string line;
    for (std::size_t c = 0; c < kColumns; ++c) {
      line += r[c];
      if (c + 1 < kColumns) line += std::string(width[c] - r[c].size() + 3, ' ');
    }
    out << line << "\n";
  };
  out << "\n" << rule << "\n";
  print_row(rows[0]);
  out << rule << "\n";
  for (std::size_t i = 1; i < rows.size(); ++i) print_row(rows[i]);
  out << thin << "\n";
  out << "            Total Parameters:  " << grouped(total) << "\n";
  out << "        Trainable Parameters:  " << grouped(trainable) << "\n";
  out << "           Frozen Parameters:  " << grouped(total - trainable) << "\n";
  out << rule << "\n";
  return out.str();
}

}  // namespace xgrad::nn
