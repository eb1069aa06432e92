// gradcheck_module: passes a correct module gradient, catches a wrong one, restores the parameters, rejects float32.
#include "nn/module_gradcheck.hpp"
#include "test_helpers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
struct Toy : Module {
  Variable w;
  Toy() { w = register_parameter("w", Tensor::from({3}, {0.5, -1.0, 2.0}, DType::float64)); }
  std::string type_name() const override { return "Toy"; }
};

// y = x^2 with a deliberately wrong backward (3x instead of 2x)
Variable wrong_square(const Variable& x) {
  static const Op op = define_op("test_wrong_square", 1, "x^2 with a wrong gradient (test only)");
  Tensor y = x.value().clone();
  y.visit([](auto& a) { a *= a; });
  return op.record({x}, std::move(y), [](const Tensor& g, GradientSink& s) {
    Tensor d = s.input_value(0).clone();
    d.visit([&](auto& a) { a *= 3.0 * g.array<double>(); });
    s.add(0, std::move(d));
  });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(module_gradcheck)

BOOST_AUTO_TEST_CASE(correct_and_wrong_gradients) {
  Toy m;
  const auto good = gradcheck_module(m, [&] { return sum(m.w * m.w * m.w); });
  BOOST_TEST(good.ok, good.message);
  BOOST_TEST(good.checked == 3u);
  const auto bad = gradcheck_module(m, [&] { return sum(wrong_square(m.w)); });
  BOOST_TEST(!bad.ok);
  test::check_close(m.w.value(), {0.5, -1.0, 2.0}, 0, "parameters restored");
}

BOOST_AUTO_TEST_CASE(errors) {
  Toy m;
  m.to(DType::float32);
  test::check_throws_with<InvalidArgument>([&] { gradcheck_module(m, [&] { return sum(m.w); }); },
                                           {"gradcheck_module", "'w'", "float32", "Module::to"});
  m.to(DType::float64);
  test::check_throws_with<InvalidArgument>([&] { gradcheck_module(m, [&] { return m.w * 2.0; }); },
                                           {"loss() must be a scalar", "[3]"});
  test::check_throws_with<InvalidArgument>([&] { gradcheck_module(m, [&] { return sum(m.w); }, {}, {"v"}); },
                                           {"no parameter to check"});
}

BOOST_AUTO_TEST_SUITE_END()
