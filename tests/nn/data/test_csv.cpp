// CSV reader: values, header, delimiter, and errors naming file, line and column.
#include <boost/test/unit_test.hpp>

#include "nn/data/csv.hpp"
#include "nn/data/file_io.hpp"
#include "temp_dir.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn::data;
using xgrad::test::check_close;
using xgrad::test::check_throws_with;

namespace {
void write_text(const std::string& path, const std::string& text) {
  write_file(path, Bytes(text.begin(), text.end()));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(reads_values_with_header_and_blank_lines) {
  test::TempDir dir;
  write_text(dir.file("t.csv"), "a, b ,c\r\n1,2.5,-3e2\n\n 4 ,5,6\n");
  const CsvTable t = read_csv(dir.file("t.csv"), {true, ',', DType::float64});
  BOOST_TEST((t.columns == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST((t.values.shape() == Shape{2, 3}));
  BOOST_TEST((t.values.dtype() == DType::float64));
  check_close(t.values, {1, 2.5, -300, 4, 5, 6}, 0.0);
}

BOOST_AUTO_TEST_CASE(other_delimiter_without_header) {
  const CsvTable t = parse_csv("1;2\n3;4", "mem", {false, ';'});
  BOOST_TEST(t.columns.empty());
  BOOST_TEST((t.values.dtype() == DType::float32));
  check_close(t.values, {1, 2, 3, 4}, 0.0);
}

BOOST_AUTO_TEST_CASE(non_numeric_field_names_line_and_column) {
  test::TempDir dir;
  write_text(dir.file("bad.csv"), "x,y\n1,2\n3,abc\n");
  check_throws_with<DataError>([&] { read_csv(dir.file("bad.csv"), {true}); },
                               {dir.file("bad.csv") + ": line 3, column 2: 'abc' is not a number"});
  check_throws_with<DataError>([] { parse_csv("1,,2\n", "m.csv"); }, {"m.csv: line 1, column 2: empty field"});
  // Without a header the first line is data, so a text header is an error there.
  check_throws_with<DataError>([] { parse_csv("x,y\n1,2\n", "h.csv"); }, {"h.csv: line 1, column 1: 'x'"});
}

BOOST_AUTO_TEST_CASE(ragged_rows) {
  check_throws_with<DataError>([] { parse_csv("a,b\n1,2\n3,4,5\n", "r.csv", {true}); },
                               {"r.csv: line 3, column 3: row has 3 columns, expected 2 (as the header)"});
  check_throws_with<DataError>([] { parse_csv("1,2\n3\n", "r.csv"); },
                               {"r.csv: line 2, column 2: row has 1 columns, expected 2 (as line 1)"});
}

BOOST_AUTO_TEST_CASE(empty_table_and_missing_file) {
  check_throws_with<DataError>([] { parse_csv("a,b\n\n", "e.csv", {true}); }, {"e.csv: no data rows after the header"});
  check_throws_with<DataError>([] { read_csv("/nonexistent/x.csv"); }, {"/nonexistent/x.csv: cannot open"});
}

BOOST_AUTO_TEST_SUITE_END()
