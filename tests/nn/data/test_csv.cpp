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
  const CsvTable t = read_csv(dir.file("t.csv"), {CsvHeader::present, ',', DType::float64});
  BOOST_TEST((t.columns == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST((t.values.shape() == Shape{2, 3}));
  BOOST_TEST((t.values.dtype() == DType::float64));
  check_close(t.values, {1, 2.5, -300, 4, 5, 6}, 0.0);
}

BOOST_AUTO_TEST_CASE(other_delimiter_without_header) {
  const CsvTable t = parse_csv("1;2\n3;4", "mem", {CsvHeader::absent, ';'});
  BOOST_TEST(t.columns.empty());
  BOOST_TEST((t.values.dtype() == DType::float32));
  check_close(t.values, {1, 2, 3, 4}, 0.0);
}

BOOST_AUTO_TEST_CASE(non_numeric_field_names_line_and_column) {
  test::TempDir dir;
  write_text(dir.file("bad.csv"), "x,y\n1,2\n3,abc\n");
  check_throws_with<DataError>([&] { read_csv(dir.file("bad.csv")); },
                               {dir.file("bad.csv") + ": line 3, column 2 ('y'): 'abc' is not a number"});
  check_throws_with<DataError>([] { parse_csv("1,,2\n", "m.csv"); }, {"m.csv: line 1, column 2: empty field"});
  // Without a header the first line is data, so a text header is an error there.
  check_throws_with<DataError>([] { parse_csv("x,y\n1,2\n", "h.csv", {CsvHeader::absent}); },
                               {"h.csv: line 1, column 1: 'x'"});
}

BOOST_AUTO_TEST_CASE(ragged_rows) {
  check_throws_with<DataError>([] { parse_csv("a,b\n1,2\n3,4,5\n", "r.csv"); },
                               {"r.csv: line 3, column 3: row has 3 columns, expected 2 (as the header)"});
  check_throws_with<DataError>([] { parse_csv("1,2\n3\n", "r.csv"); },
                               {"r.csv: line 2, column 2: row has 1 columns, expected 2 (as line 1)"});
}

BOOST_AUTO_TEST_CASE(empty_table_and_missing_file) {
  check_throws_with<DataError>([] { parse_csv("a,b\n\n", "e.csv"); }, {"e.csv: no data rows after the header"});
  check_throws_with<DataError>([] { read_csv("/nonexistent/x.csv"); }, {"/nonexistent/x.csv: cannot open"});
  check_throws_with<DataError>([] { parse_csv("\n \n", "z.csv"); }, {"z.csv: the file is empty"});
}

BOOST_AUTO_TEST_CASE(delimiter_sniffed_from_the_first_line) {
  const struct {
    const char* text;
    char delimiter;
  } cases[] = {{"a,b,c\n1,2,3\n4,5,6\n", ','},
               {"a;b;c\n1;2;3\n4;5;6\n", ';'},
               {"a\tb\tc\n1\t2\t3\n4\t5\t6\n", '\t'},
               {"  a   b c\n1 2   3\n 4\t5 6 \n", ' '}};
  for (const auto& c : cases) {
    const CsvTable t = parse_csv(c.text, "s.csv");
    BOOST_TEST(t.delimiter == c.delimiter, c.text);
    BOOST_TEST((t.columns == std::vector<std::string>{"a", "b", "c"}), c.text);
    check_close(t.values, {1, 2, 3, 4, 5, 6}, 0.0);
  }
  // a single column: no delimiter on the line, ',' assumed
  BOOST_TEST(parse_csv("x\n1\n2\n", "one.csv").values.shape()[1] == 1u);
  // a given delimiter wins over the sniffed one
  check_throws_with<DataError>(
      [] {
        parse_csv("1;2\n3;4\n", "g.csv", {CsvHeader::absent, ','});
      },
      {"g.csv: line 1, column 1: '1;2' is not a number"});
  check_throws_with<InvalidArgument>(
      [] {
        parse_csv("1|2\n", "p.csv", {CsvHeader::detect, '|'});
      },
      {"p.csv", "delimiter '|'"});
}

BOOST_AUTO_TEST_CASE(header_detected_and_quoted_fields) {
  // numeric first line: data; any non-numeric field (even one): a header
  BOOST_TEST(parse_csv("1,2\n3,4\n", "n.csv").columns.empty());
  BOOST_TEST(parse_csv("1,2\n3,4\n", "n.csv").values.shape()[0] == 2u);
  const CsvTable t = parse_csv("\"id\",\"a, b\",3\n1,\"2\",3\n", "q.csv");
  BOOST_TEST((t.columns == std::vector<std::string>{"id", "a, b", "3"}));
  check_close(t.values, {1, 2, 3}, 0.0);
  BOOST_TEST((split_csv_line(R"("say ""hi""", 2)", ',') == std::vector<std::string>{"say \"hi\"", "2"}));
  // a forced header takes a numeric first line as names
  BOOST_TEST((parse_csv("7,8\n1,2\n", "f.csv", {CsvHeader::present}).columns == std::vector<std::string>{"7", "8"}));
  // errors name the column by header name and 1-based index
  check_throws_with<DataError>([] { parse_csv("age;income\n30;1e3\n31;;\n", "e.csv"); },
                               {"e.csv: line 3, column 3: row has 3 columns, expected 2 (as the header)"});
  check_throws_with<DataError>([] { parse_csv("age;income\n30;1e3\n31;n/a\n", "e.csv"); },
                               {"e.csv: line 3, column 2 ('income'): 'n/a' is not a number"});
  check_throws_with<DataError>([] { parse_csv("age income\n30  \n", "w.csv"); },
                               {"w.csv: line 2, column 2 ('income'): row has 1 columns, expected 2 (as the header)"});
}

BOOST_AUTO_TEST_SUITE_END()
