#pragma once
// A reference to one column of a user's table, as the command line writes it: a header name, or a 1-based index
// (a header name that looks like a number wins over the index).
#include <string>
#include <vector>

namespace xgrad::trainer {

/// The 0-based index of `column` in a table of d columns named `names` (empty without a header). Throws
/// InputError "<path>: <option> '<column>': no such column (columns: ...)" or naming the valid index range.
std::size_t find_column(const std::string& path, const std::string& option, const std::string& column,
                        const std::vector<std::string>& names, std::size_t d);

}  // namespace xgrad::trainer
