#pragma once
// Numeric CSV tables: every data row has the same number of columns, every field parses as a
// number (leading/trailing spaces allowed; "nan", "inf" accepted; a field may be "double-quoted", with ""
// for a quote inside). Empty lines are skipped.
// Delimiter: ',' ';' '\t' or ' ' (runs of spaces/tabs separate fields), or 0 = sniffed from the first
// non-empty line: the first of ',' ';' '\t' found outside quotes, else ' ' when the line has whitespace
// between fields, else ','.
// Header: present, absent, or detect = the first non-empty line is a header when one of its fields is not a
// number and not empty (a name, "x1"...; an empty field is a missing value, not a name).
// Errors are DataErrors "<path>: line L, column C ('name'): ..." (line and column 1-based, the name from the
// header when there is one).
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace xgrad::nn::data {

enum class CsvHeader { absent, present, detect };

struct CsvOptions {
  CsvHeader header = CsvHeader::detect;
  char delimiter = 0;  // 0 = sniffed (see above)
  DType dtype = DType::float32;
};

struct CsvTable {
  std::vector<std::string> columns;  // from the header, empty without one
  Tensor values;                     // [rows, cols]
  char delimiter = ',';              // the delimiter used (the sniffed one for 0)
};

CsvTable read_csv(const std::string& path, const CsvOptions& options = {});
/// Parses CSV text; `name` is used in error messages in place of a path.
CsvTable parse_csv(const std::string& text, const std::string& name, const CsvOptions& options = {});

/// The delimiter a line is split by under delimiter 0 (see above).
char sniff_csv_delimiter(const std::string& first_line);
/// The line's fields, split at `delimiter` outside quotes, trimmed, quotes removed.
std::vector<std::string> split_csv_line(const std::string& line, char delimiter);
/// "1 ('age')" for 0-based column j with header names, "1" without.
std::string csv_column_text(std::size_t j, const std::vector<std::string>& names);

}  // namespace xgrad::nn::data
