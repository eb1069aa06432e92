// Progress display: plain lines at every quarter, the in-place bar, the final line, clock formatting.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>

#include "trainer/progress.hpp"

using namespace xgrad::trainer;

BOOST_AUTO_TEST_SUITE(trainer_progress)

BOOST_AUTO_TEST_CASE(lines_mode_prints_each_quarter_and_the_end) {
  std::ostringstream out;
  Progress p(Progress::Mode::lines, &out);
  p.start("epoch 1/2", 100);
  for (std::size_t i = 1; i <= 100; ++i) p.update(i, i * 10, "-ELBO 250.00");
  p.finish(1000, "-ELBO 250.00");
  const std::string s = out.str();
  BOOST_TEST(std::count(s.begin(), s.end(), '\n') == 4);  // 25%, 50%, 75%, final
  BOOST_TEST(s.find('\r') == std::string::npos);
  BOOST_TEST(s.find("epoch 1/2 25/100  -ELBO 250.00") != std::string::npos, s);
  BOOST_TEST(s.find("ETA") != std::string::npos);
  BOOST_TEST(s.find("img/s") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bar_mode_redraws_in_place) {
  std::ostringstream out;
  Progress p(Progress::Mode::bar, &out);
  p.start("eval", 4);
  p.update(1, 10, "");  // drawn (first draw after start is throttled: not yet 100 ms)...
  p.update(4, 40, "");  // ...the last step always draws
  p.finish(40, "done");
  const std::string s = out.str();
  BOOST_TEST(s.find("\r") != std::string::npos);
  BOOST_TEST(s.find("[========================]") != std::string::npos, s);
  BOOST_TEST(s.find("done") != std::string::npos);
  BOOST_TEST(s.back() == '\n');
}

BOOST_AUTO_TEST_CASE(none_mode_prints_only_the_final_line) {
  std::ostringstream out;
  Progress p(Progress::Mode::none, &out);
  p.start("x", 8);
  for (std::size_t i = 1; i <= 8; ++i) p.update(i, i, "");
  p.finish(8, "");
  const std::string s = out.str();
  BOOST_TEST(std::count(s.begin(), s.end(), '\n') == 1);
  BOOST_TEST((Progress::mode_from("lines") == Progress::Mode::lines));
  BOOST_TEST((Progress::mode_from("none") == Progress::Mode::none));
}

BOOST_AUTO_TEST_CASE(clock_format) {
  BOOST_TEST(Progress::clock(5) == "0:05");
  BOOST_TEST(Progress::clock(65.4) == "1:05");
  BOOST_TEST(Progress::clock(3723) == "1:02:03");
  BOOST_TEST(Progress::clock(-1) == "?");
}

BOOST_AUTO_TEST_SUITE_END()
