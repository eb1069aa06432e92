#include "nn/data/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "autograd/errors.hpp"
#include "nn/data/file_io.hpp"

namespace xgrad::nn::data {

namespace {
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = line.find(delimiter, start);
    out.push_back(trim(line.substr(start, pos == std::string::npos ? std::string::npos : pos - start)));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string where(const std::string& name, std::size_t line, std::size_t column) {
  return name + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
}
}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& name, const CsvOptions& options) {
  CsvTable table;
  std::vector<double> values;
  std::size_t cols = 0, rows = 0, line_no = 0, first_data_line = 0;
  bool header_pending = options.header;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (trim(line).empty()) continue;
    auto fields = split(line, options.delimiter);
    if (header_pending) {
      table.columns = fields;
      cols = fields.size();
      header_pending = false;
      continue;
    }
    if (cols == 0) cols = fields.size();
    if (first_data_line == 0) first_data_line = line_no;
    if (fields.size() != cols)
      throw DataError(where(name, line_no, std::min(fields.size(), cols) + 1) + "row has " +
                      std::to_string(fields.size()) + " columns, expected " + std::to_string(cols) +
                      (options.header ? " (as the header)" : " (as line " + std::to_string(first_data_line) + ")"));
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const std::string& f = fields[c];
      if (f.empty()) throw DataError(where(name, line_no, c + 1) + "empty field, expected a number");
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(f.c_str(), &end);
      if (end != f.c_str() + f.size()) throw DataError(where(name, line_no, c + 1) + "'" + f + "' is not a number");
      if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
        throw DataError(where(name, line_no, c + 1) + "'" + f + "' is out of the range of a double");
      values.push_back(v);
    }
    ++rows;
  }
  if (rows == 0) throw DataError(name + ": no data rows" + (options.header ? " after the header" : ""));
  table.values = Tensor::from({rows, cols}, values, options.dtype);
  return table;
}

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
  const Bytes b = read_file(path);
  return parse_csv(std::string(b.begin(), b.end()), path, options);
}

}  // namespace xgrad::nn::data
