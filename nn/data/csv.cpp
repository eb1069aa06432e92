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

bool is_number(const std::string& f) {
  if (f.empty()) return false;
  char* end = nullptr;
  std::strtod(f.c_str(), &end);
  return end == f.c_str() + f.size();
}
}  // namespace

std::vector<std::string> split_csv_line(const std::string& line, char delimiter) {
  std::vector<std::string> out;
  const bool blank = delimiter == ' ';
  const std::string text = blank ? trim(line) : line;
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        cur += '"';
        ++i;
      } else {
        quoted = !quoted;
        was_quoted = true;
      }
      continue;
    }
    const bool sep = !quoted && (blank ? (c == ' ' || c == '\t') : c == delimiter);
    if (!sep) {
      cur += c;
      continue;
    }
    out.push_back(was_quoted ? cur : trim(cur));
    cur.clear();
    was_quoted = false;
    if (blank)
      while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
  }
  out.push_back(was_quoted ? cur : trim(cur));
  return out;
}

char sniff_csv_delimiter(const std::string& first_line) {
  bool quoted = false;
  for (char c : first_line) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ',' || c == ';' || c == '\t')) return c;
  }
  const std::string t = trim(first_line);
  return t.find_first_of(" \t") != std::string::npos ? ' ' : ',';
}

std::string csv_column_text(std::size_t j, const std::vector<std::string>& names) {
  return std::to_string(j + 1) + (j < names.size() ? " ('" + names[j] + "')" : std::string());
}

CsvTable parse_csv(const std::string& text, const std::string& name, const CsvOptions& options) {
  CsvTable table;
  std::vector<double> values;
  std::size_t cols = 0, rows = 0, line_no = 0, first_data_line = 0;
  bool first_line = true, has_header = false;
  char delimiter = options.delimiter;
  if (delimiter != 0 && delimiter != ',' && delimiter != ';' && delimiter != '\t' && delimiter != ' ')
    throw InvalidArgument("parse_csv: " + name + ": delimiter '" + std::string(1, delimiter) +
                          "', expected ',', ';', '\\t', ' ' or 0 (sniffed)");
  const auto where = [&](std::size_t line, std::size_t column) {
    return name + ": line " + std::to_string(line) + ", column " + csv_column_text(column, table.columns) + ": ";
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (trim(line).empty()) continue;
    if (delimiter == 0) delimiter = sniff_csv_delimiter(line);
    auto fields = split_csv_line(line, delimiter);
    if (first_line) {
      first_line = false;
      has_header = options.header == CsvHeader::present ||
                   (options.header == CsvHeader::detect &&
                    std::any_of(fields.begin(), fields.end(), [](const std::string& f) { return !f.empty() && !is_number(f); }));
      if (has_header) {
        table.columns = fields;
        cols = fields.size();
        continue;
      }
    }
    if (cols == 0) cols = fields.size();
    if (first_data_line == 0) first_data_line = line_no;
    if (fields.size() != cols)
      throw DataError(where(line_no, std::min(fields.size(), cols)) + "row has " + std::to_string(fields.size()) +
                      " columns, expected " + std::to_string(cols) +
                      (has_header ? " (as the header)" : " (as line " + std::to_string(first_data_line) + ")"));
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const std::string& f = fields[c];
      if (f.empty()) throw DataError(where(line_no, c) + "empty field, expected a number");
      char* end = nullptr;
      errno = 0;
      const double v = std::strtod(f.c_str(), &end);
      if (end != f.c_str() + f.size()) throw DataError(where(line_no, c) + "'" + f + "' is not a number");
      if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
        throw DataError(where(line_no, c) + "'" + f + "' is out of the range of a double");
      values.push_back(v);
    }
    ++rows;
  }
  if (rows == 0)
    throw DataError(name + (first_line ? ": the file is empty (no rows)"
                                       : ": no data rows" + std::string(has_header ? " after the header" : "")));
  table.values = Tensor::from({rows, cols}, values, options.dtype);
  table.delimiter = delimiter;
  return table;
}

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
  const Bytes b = read_file(path);
  return parse_csv(std::string(b.begin(), b.end()), path, options);
}

}  // namespace xgrad::nn::data
