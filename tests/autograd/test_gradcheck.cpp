// gradcheck itself: it passes a correct op, and for a test-only op with a deliberately wrong
// gradient it fails and reports the worst element's input, index and both values.
#include <sstream>

#include "autograd/kernels.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using xgrad::test::check_throws_with;
using xgrad::test::random_tensor;

namespace {
// y = a * b^2 elementwise (same shapes); the gradient for input `wrong_input` is off by +1 at flat
// index `wrong_index` (test-only ops: names start with "test.", ignored by the registry test).
const Op right_op = define_op("test.a_times_b_squared", 2, "a b^2, correct gradient");
const Op wrong_op = define_op("test.a_times_b_squared_wrong", 2, "a b^2 with one wrong gradient element");

Variable a_times_b_squared(const Op& op, const Variable& a, const Variable& b, std::size_t wrong_input,
                           std::size_t wrong_index) {
  Tensor y = kernels::map2(a.value(), b.value(), [](auto&& p, auto&& q) { return p * q * q; });
  const bool wrong = &op == &wrong_op;
  return op.record({a, b}, std::move(y), [wrong, wrong_input, wrong_index](const Tensor& g, GradientSink& s) {
    const Tensor& av = s.input_value(0);
    const Tensor& bv = s.input_value(1);
    Tensor da = kernels::map2(g, bv, [](auto&& gg, auto&& q) { return gg * q * q; });
    Tensor db = kernels::map3(g, av, bv, [](auto&& gg, auto&& p, auto&& q) {
      using T = kernels::value_of<decltype(q)>;
      return T(2) * gg * p * q;
    });
    Tensor& off = wrong_input == 0 ? da : db;
    if (wrong) off.set(wrong_index, off.at(wrong_index) + 1.0);
    if (s.needs(0)) s.add(0, std::move(da));
    if (s.needs(1)) s.add(1, std::move(db));
  });
}

std::string formatted(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(gradcheck_tool)

BOOST_AUTO_TEST_CASE(passes_a_correct_op) {
  const GradcheckFunction f = [](const std::vector<Variable>& v) {
    return a_times_b_squared(right_op, v[0], v[1], 0, 0);
  };
  const GradcheckResult r = gradcheck(f, {random_tensor({3, 3}, 1), random_tensor({3, 3}, 2)});
  BOOST_TEST(r.ok, r.message);
  BOOST_TEST(r.checked == 18u);
  BOOST_TEST(r.message.find("gradcheck passed") == 0u, r.message);
}

BOOST_AUTO_TEST_CASE(detects_a_wrong_gradient_and_reports_the_worst_element) {
  for (std::size_t input : {0u, 1u}) {
    const GradcheckFunction f = [input](const std::vector<Variable>& v) {
      return a_times_b_squared(wrong_op, v[0], v[1], input, 5);
    };
    const GradcheckResult r = gradcheck(f, {random_tensor({3, 3}, 1), random_tensor({3, 3}, 2)});
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.input == input);
    BOOST_TEST(r.flat_index == 5u);
    BOOST_TEST(shape_string(r.index) == "[1,2]");
    BOOST_TEST(std::fabs(r.analytic - r.numeric - 1.0) < 1e-6, r.analytic << " vs " << r.numeric);
    BOOST_TEST(r.abs_error > 0.99);
    const std::string& m = r.message;
    BOOST_TEST(m.find("gradcheck FAILED") == 0u, m);
    BOOST_TEST(m.find("worst input " + std::to_string(input) + " at [1,2]") != std::string::npos, m);
    BOOST_TEST(m.find("analytic " + formatted(r.analytic)) != std::string::npos, m);
    BOOST_TEST(m.find("numeric " + formatted(r.numeric)) != std::string::npos, m);
  }
}

BOOST_AUTO_TEST_CASE(tolerances_and_subsampling) {
  const GradcheckFunction f = [](const std::vector<Variable>& v) {
    return a_times_b_squared(wrong_op, v[0], v[1], 0, 5);
  };
  GradcheckOptions loose;
  loose.atol = 2.0;  // the +1 error is now within the absolute tolerance
  BOOST_TEST(gradcheck(f, {random_tensor({3, 3}, 1), random_tensor({3, 3}, 2)}, loose).ok);
  GradcheckOptions few;
  few.max_elements_per_input = 4;  // every 2nd element of 9: indices 0,2,4,6,8 — misses index 5
  const GradcheckResult r = gradcheck(f, {random_tensor({3, 3}, 1), random_tensor({3, 3}, 2)}, few);
  BOOST_TEST(r.checked == 10u);
  BOOST_TEST(r.ok);
}

BOOST_AUTO_TEST_CASE(rejects_misuse) {
  check_throws_with<InvalidArgument>(
      [] {
        gradcheck([](const std::vector<Variable>& v) { return constant(Tensor::scalar(v[0].value().at(0))); },
                  {random_tensor({2}, 1)});
      },
      {"gradcheck", "float32"});
  check_throws_with<GraphError>(
      [] { gradcheck([](const std::vector<Variable>& v) { return v[0].detach(); }, {random_tensor({2}, 1)}); },
      {"gradcheck", "does not depend"});
}

BOOST_AUTO_TEST_SUITE_END()
