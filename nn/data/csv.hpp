#pragma once
// Numeric CSV tables: every data row has the same number of columns, every field parses as a
// number (leading/trailing spaces allowed; "nan", "inf" accepted). Empty lines are skipped.
// Errors are DataErrors "<path>: line L, column C: ..." (both 1-based).
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace xgrad::nn::data {

struct CsvOptions {
  bool header = false;  // first non-empty line holds column names
  char delimiter = ',';
  DType dtype = DType::float32;
};

struct CsvTable {
  std::vector<std::string> columns;  // from the header, empty without one
  Tensor values;                     // [rows, cols]
};

CsvTable read_csv(const std::string& path, const CsvOptions& options = {});
/// Parses CSV text; `name` is used in error messages in place of a path.
CsvTable parse_csv(const std::string& text, const std::string& name, const CsvOptions& options = {});

}  // namespace xgrad::nn::data
