#include "trainer/tabular_layout.hpp"

#include <algorithm>
#include <cmath>

#include "nn/data/csv.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"
#include "trainer/column_ref.hpp"
#include "trainer/distribution_spec.hpp"
#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {
namespace {

bool real_line(const SpecPart& p) {
  const nn::Support s = nn::distribution_from_config(part_config(p))->support();
  return s.kind == nn::Support::Kind::continuous && std::isinf(s.lower) && s.lower < 0 && std::isinf(s.upper);
}

// The 0-based columns of one list item: a name or index, or "first..last".
std::vector<std::size_t> item_columns(const std::string& spec, const std::string& path, const std::string& item,
                                      const std::vector<std::string>& names, std::size_t width) {
  const std::string option = "--distribution '" + spec + "': column";
  const auto dots = item.find("..");
  // A header name containing ".." is a name, not a range.
  if (dots == std::string::npos || std::find(names.begin(), names.end(), item) != names.end())
    return {find_column(path, option, item, names, width)};
  const std::size_t a = find_column(path, option, item.substr(0, dots), names, width);
  const std::size_t b = find_column(path, option, item.substr(dots + 2), names, width);
  if (b < a)
    throw UsageError("--distribution '" + spec + "': range '" + item + "' runs backwards (column " +
                     std::to_string(b + 1) + " before " + std::to_string(a + 1) + ")");
  std::vector<std::size_t> out;
  for (std::size_t j = a; j <= b; ++j) out.push_back(j);
  return out;
}

}  // namespace

std::string TabularLayout::model_spec() const {
  if (plan.is_identity()) return spec;
  std::string out;
  for (std::size_t i = 0; i < heads.size(); ++i)
    out += (i ? "," : "") + heads[i] + ":" + std::to_string(plan.blocks()[i].width());
  return out;
}

TabularLayout tabular_layout(const std::string& spec, const std::string& path, const std::vector<std::string>& names,
                             std::size_t width, bool standardize) {
  TabularLayout layout;
  layout.spec = spec;
  std::vector<SpecPart> parts = parse_distribution_spec(spec);
  check_distribution_names(spec, parts);
  const auto fail = [&](const std::string& why) { throw UsageError("--distribution '" + spec + "': " + why); };
  const auto column_name = [&](std::size_t j) { return nn::data::csv_column_text(j, names); };

  std::vector<int> owner(width, -1);  // the part each column belongs to
  std::vector<std::vector<std::size_t>> cols(parts.size());
  bool any_list = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (const auto& item : parts[i].selection)
      for (std::size_t j : item_columns(spec, path, item, names, width)) {
        if (owner[j] >= 0)
          fail("column " + column_name(j) + " is in two parts (" + parts[owner[j]].name + " and " + parts[i].name +
               ")");
        owner[j] = static_cast<int>(i);
        cols[i].push_back(j);
      }
    any_list = any_list || !parts[i].selection.empty();
  }
  if (!any_list) distribution_config(spec, width);  // a spec by counts: its own messages when they do not fit
  // The parts without a list take the columns left, in file order, by count (one part may take the rest).
  std::vector<std::size_t> left;
  for (std::size_t j = 0; j < width; ++j)
    if (owner[j] < 0) left.push_back(j);
  std::size_t given = 0, open = 0, open_part = 0;
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (parts[i].selection.empty()) {
      given += parts[i].columns;
      if (parts[i].columns == 0) ++open, open_part = i;
    }
  if (open > 1) fail("only one part may omit its column count");
  if (open == 1 && given >= left.size())
    fail("the counts add up to " + std::to_string(given) + ", leaving none of the " + std::to_string(left.size()) +
         " unlisted columns for the part without a count");
  if (open == 0 && given != left.size()) {
    if (given == 0 && !left.empty())
      fail("column " + column_name(left[0]) + " is in no part" +
           (left.size() > 1 ? " (nor are " + std::to_string(left.size() - 1) + " more)" : std::string()) +
           "; list it, or add a part without columns to take the rest");
    fail("the counts add up to " + std::to_string(given) + ", but " + std::to_string(left.size()) +
         " columns are in no list");
  }
  std::size_t next = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].selection.empty()) continue;
    const std::size_t n = i == open_part && open == 1 ? left.size() - given : parts[i].columns;
    cols[i].assign(left.begin() + static_cast<std::ptrdiff_t>(next),
                   left.begin() + static_cast<std::ptrdiff_t>(next + n));
    next += n;
  }

  bool any_scaled = false;
  std::vector<nn::data::ColumnBlock> blocks;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    nn::data::ColumnBlock b;
    b.source = cols[i];
    if (parts[i].name == "categorical" && parts[i].selection.size() == 1 && cols[i].size() == 1)
      b.transform = nn::data::ColumnTransform::one_hot;
    else if (standardize && real_line(parts[i]))
      b.transform = nn::data::ColumnTransform::standardize, any_scaled = true;
    blocks.push_back(std::move(b));
    layout.heads.push_back(part_head(parts[i]));
  }
  if (any_list || any_scaled) layout.plan = nn::data::ColumnPlan(std::move(blocks), width, names);
  return layout;
}

}  // namespace xgrad::trainer
