#include "trainer/column_ref.hpp"

#include <algorithm>

#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {

std::size_t find_column(const std::string& path, const std::string& option, const std::string& column,
                        const std::vector<std::string>& names, std::size_t d) {
  const auto by_name = std::find(names.begin(), names.end(), column);
  if (by_name != names.end()) return static_cast<std::size_t>(by_name - names.begin());
  if (!column.empty() && column.find_first_not_of("0123456789") == std::string::npos && column.size() < 10) {
    const std::size_t j = std::stoul(column);
    if (j >= 1 && j <= d) return j - 1;
    throw InputError(path + ": " + option + " " + column + ": no such column (the file has columns 1.." +
                     std::to_string(d) + ")");
  }
  std::string list;
  for (std::size_t j = 0; j < names.size() && j < 40; ++j) list += (j ? ", " : "") + names[j];
  throw InputError(path + ": " + option + " '" + column + "': no such column" +
                   (names.empty() ? std::string(" (the file has no header; give a 1-based index)")
                                  : " (columns: " + list + (names.size() > 40 ? ", ..." : "") + ")"));
}

}  // namespace xgrad::trainer
