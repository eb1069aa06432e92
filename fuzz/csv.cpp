// CSV reader: the first byte picks the options (header, delimiter, dtype), the rest is the text. An accepted
// table is [rows, cols] with as many column names as columns when there is a header.
#include "nn/data/csv.hpp"
#include "autograd/errors.hpp"
#include "fuzz_support.hpp"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  nn::data::CsvOptions options;
  options.header = (data[0] & 1) ? nn::data::CsvHeader::present : nn::data::CsvHeader::detect;
  options.delimiter = (data[0] & 16) ? '\0' : ",;\t "[(data[0] >> 1) & 3];  // 0: sniffed
  options.dtype = (data[0] & 8) ? DType::float64 : DType::float32;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const nn::data::CsvTable table = nn::data::parse_csv(text, "fuzz.csv", options);
    if (table.values.dim() != 2 || table.values.shape()[0] == 0) fuzz::fail("table is not [rows >= 1, cols]");
    if (!table.columns.empty() && table.columns.size() != table.values.shape()[1])
      fuzz::fail("header width != columns");
  } catch (const DataError&) {
  }
  return 0;
}
