#include "autograd/ops/arithmetic.hpp"

#include <cmath>

#include <xtensor/xbroadcast.hpp>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"

namespace xgrad {
namespace {
using kernels::binary;
using kernels::map;
using kernels::map2;
using kernels::map3;

const Op add_op = define_op("add", 2, "a + b (broadcast)");
const Op sub_op = define_op("sub", 2, "a - b (broadcast)");
const Op mul_op = define_op("mul", 2, "a * b (broadcast)");
const Op div_op = define_op("div", 2, "a / b (broadcast)");
const Op neg_op = define_op("neg", 1, "-x");
const Op add_scalar_op = define_op("add_scalar", 1, "x + s, scalar s");
const Op mul_scalar_op = define_op("mul_scalar", 1, "x * s, scalar s");
const Op rsub_scalar_op = define_op("rsub_scalar", 1, "s - x, scalar s");
const Op rdiv_scalar_op = define_op("rdiv_scalar", 1, "s / x, scalar s");
const Op pow_op = define_op("pow", 1, "x^p, scalar p");
const Op square_op = define_op("square", 1, "x^2");
const Op sqrt_op = define_op("sqrt", 1, "sqrt(x)");
const Op exp_op = define_op("exp", 1, "e^x");
const Op log_op = define_op("log", 1, "log(x)");
const Op log1p_op = define_op("log1p", 1, "log(1+x)");
const Op expm1_op = define_op("expm1", 1, "e^x - 1");
const Op abs_op = define_op("abs", 1, "|x|");
const Op clamp_op = define_op("clamp", 1, "min(max(x, lo), hi)");
const Op maximum_op = define_op("maximum", 2, "max(a, b) (broadcast)");
const Op minimum_op = define_op("minimum", 2, "min(a, b) (broadcast)");
const Op where_op = define_op("where", 2, "mask ? a : b (broadcast)");

auto plus = [](auto&& a, auto&& b) { return a + b; };
auto minus = [](auto&& a, auto&& b) { return a - b; };
auto times = [](auto&& a, auto&& b) { return a * b; };
auto divide = [](auto&& a, auto&& b) { return a / b; };

template <class T>
using V = kernels::value_of<T>;
}  // namespace

Variable scalar_like(const Variable& v, double value) { return constant(Tensor::scalar(value, v.dtype())); }

Variable add(const Variable& a, const Variable& b) {
  return add_op.record({a, b}, binary("add", a.value(), b.value(), plus), [](const Tensor& g, GradientSink& s) {
    if (s.needs(1)) s.needs(0) ? s.add(1, g) : s.pass_through(1);  // b copies g only when a takes it after
    if (s.needs(0)) s.pass_through(0);
  });
}

Variable sub(const Variable& a, const Variable& b) {
  return sub_op.record({a, b}, binary("sub", a.value(), b.value(), minus), [](const Tensor& g, GradientSink& s) {
    if (s.needs(1)) s.add(1, map(g, [](auto&& x) { return -x; }));
    if (s.needs(0)) s.pass_through(0);
  });
}

Variable mul(const Variable& a, const Variable& b) {
  return mul_op.record({a, b}, binary("mul", a.value(), b.value(), times), [](const Tensor& g, GradientSink& s) {
    if (s.needs(0)) s.add(0, binary("mul backward", g, s.input_value(1), times));
    if (s.needs(1)) s.add(1, binary("mul backward", g, s.input_value(0), times));
  });
}

Variable div(const Variable& a, const Variable& b) {
  return div_op.record({a, b}, binary("div", a.value(), b.value(), divide), [](const Tensor& g, GradientSink& s) {
    const Tensor& bv = s.input_value(1);
    if (s.needs(0)) s.add(0, binary("div backward", g, bv, divide));
    // d(a/b)/db = -(a/b)/b = -y/b
    if (s.needs(1)) {
      Tensor gy = map2(g, s.output_value(), times);
      s.add(1, binary("div backward", gy, bv, [](auto&& p, auto&& q) { return -(p / q); }));
    }
  });
}

Variable neg(const Variable& x) {
  return neg_op.record({x}, map(x.value(), [](auto&& a) { return -a; }), [](const Tensor& g, GradientSink& s) {
    s.add(0, map(g, [](auto&& a) { return -a; }));
  });
}

Variable add_scalar(const Variable& x, double s) {
  Tensor y = map(x.value(), [s](auto&& a) { return a + static_cast<V<decltype(a)>>(s); });
  return add_scalar_op.record({x}, std::move(y), [](const Tensor&, GradientSink& sink) { sink.pass_through(0); });
}

Variable mul_scalar(const Variable& x, double s) {
  Tensor y = map(x.value(), [s](auto&& a) { return a * static_cast<V<decltype(a)>>(s); });
  return mul_scalar_op.record({x}, std::move(y), [s](const Tensor& g, GradientSink& sink) {
    sink.add(0, map(g, [s](auto&& a) { return a * static_cast<V<decltype(a)>>(s); }));
  });
}

Variable rsub_scalar(double s, const Variable& x) {
  Tensor y = map(x.value(), [s](auto&& a) { return static_cast<V<decltype(a)>>(s) - a; });
  return rsub_scalar_op.record({x}, std::move(y), [](const Tensor& g, GradientSink& sink) {
    sink.add(0, map(g, [](auto&& a) { return -a; }));
  });
}

Variable rdiv_scalar(double s, const Variable& x) {
  Tensor y = map(x.value(), [s](auto&& a) { return static_cast<V<decltype(a)>>(s) / a; });
  // d(s/x)/dx = -s/x^2 = -y/x
  return rdiv_scalar_op.record({x}, std::move(y), [](const Tensor& g, GradientSink& sink) {
    sink.add(0, map3(g, sink.output_value(), sink.input_value(0),
                     [](auto&& gg, auto&& yy, auto&& xx) { return -(gg * yy / xx); }));
  });
}

Variable pow(const Variable& x, double p) {
  Tensor y = map(x.value(), [p](auto&& a) { return xt::pow(a, static_cast<V<decltype(a)>>(p)); });
  return pow_op.record({x}, std::move(y), [p](const Tensor& g, GradientSink& s) {
    s.add(0, map2(g, s.input_value(0), [p](auto&& gg, auto&& a) {
      using T = V<decltype(a)>;
      return gg * static_cast<T>(p) * xt::pow(a, static_cast<T>(p - 1.0));
    }));
  });
}

Variable square(const Variable& x) {
  return square_op.record({x}, map(x.value(), [](auto&& a) { return a * a; }), [](const Tensor& g, GradientSink& s) {
    s.add(0, map2(g, s.input_value(0), [](auto&& gg, auto&& a) { return V<decltype(a)>(2) * gg * a; }));
  });
}

Variable sqrt(const Variable& x) {
  return sqrt_op.record({x}, map(x.value(), [](auto&& a) { return xt::sqrt(a); }),
                        [](const Tensor& g, GradientSink& s) {
                          s.add(0, map2(g, s.output_value(),
                                        [](auto&& gg, auto&& y) { return gg / (V<decltype(y)>(2) * y); }));
                        });
}

Variable exp(const Variable& x) {
  return exp_op.record({x}, map(x.value(), [](auto&& a) { return xt::exp(a); }), [](const Tensor& g, GradientSink& s) {
    s.add(0, map2(g, s.output_value(), times));
  });
}

Variable log(const Variable& x) {
  return log_op.record({x}, map(x.value(), [](auto&& a) { return xt::log(a); }), [](const Tensor& g, GradientSink& s) {
    s.add(0, map2(g, s.input_value(0), divide));
  });
}

Variable log1p(const Variable& x) {
  return log1p_op.record({x}, map(x.value(), [](auto&& a) { return xt::log1p(a); }),
                         [](const Tensor& g, GradientSink& s) {
                           s.add(0, map2(g, s.input_value(0),
                                         [](auto&& gg, auto&& a) { return gg / (V<decltype(a)>(1) + a); }));
                         });
}

Variable expm1(const Variable& x) {
  return expm1_op.record({x}, map(x.value(), [](auto&& a) { return xt::expm1(a); }),
                         [](const Tensor& g, GradientSink& s) {
                           s.add(0, map2(g, s.output_value(),
                                         [](auto&& gg, auto&& y) { return gg * (y + V<decltype(y)>(1)); }));
                         });
}

Variable abs(const Variable& x) {
  return abs_op.record({x}, map(x.value(), [](auto&& a) { return xt::abs(a); }), [](const Tensor& g, GradientSink& s) {
    s.add(0, map2(g, s.input_value(0), [](auto&& gg, auto&& a) { return gg * xt::sign(a); }));
  });
}

Variable clamp(const Variable& x, double lo, double hi) {
  if (!(lo <= hi))
    throw InvalidArgument("clamp: lo must be <= hi, got lo=" + std::to_string(lo) + " hi=" + std::to_string(hi));
  Tensor y = map(x.value(), [lo, hi](auto&& a) {
    using T = V<decltype(a)>;
    return xt::clip(a, static_cast<T>(lo), static_cast<T>(hi));
  });
  return clamp_op.record({x}, std::move(y), [lo, hi](const Tensor& g, GradientSink& s) {
    s.add(0, map2(g, s.input_value(0), [lo, hi](auto&& gg, auto&& a) {
      using T = V<decltype(a)>;
      return xt::where(a >= static_cast<T>(lo) && a <= static_cast<T>(hi), gg, T(0));
    }));
  });
}

namespace {
// Gradient routing of maximum/minimum: the winning operand gets g, the other 0 (ties: a wins).
Variable extremum(const Op& op, const char* name, const Variable& a, const Variable& b, bool take_max) {
  Tensor y = take_max ? binary(name, a.value(), b.value(), [](auto&& p, auto&& q) { return xt::maximum(p, q); })
                      : binary(name, a.value(), b.value(), [](auto&& p, auto&& q) { return xt::minimum(p, q); });
  return op.record({a, b}, std::move(y), [name, take_max](const Tensor& g, GradientSink& s) {
    const Tensor& av = s.input_value(0);
    const Tensor& bv = s.input_value(1);
    // mask_a = 1 where a wins, as a broadcast tensor of the output shape
    Tensor mask_a = take_max ? binary(name, av, bv, [](auto&& p, auto&& q) {
      using T = std::common_type_t<V<decltype(p)>, V<decltype(q)>>;
      return xt::where(p >= q, T(1), T(0));
    })
                             : binary(name, av, bv, [](auto&& p, auto&& q) {
                                 using T = std::common_type_t<V<decltype(p)>, V<decltype(q)>>;
                                 return xt::where(p <= q, T(1), T(0));
                               });
    if (s.needs(0)) s.add(0, map2(g, mask_a, times));
    if (s.needs(1)) s.add(1, map2(g, mask_a, [](auto&& gg, auto&& m) { return gg * (V<decltype(m)>(1) - m); }));
  });
}
}  // namespace

Variable maximum(const Variable& a, const Variable& b) { return extremum(maximum_op, "maximum", a, b, true); }
Variable minimum(const Variable& a, const Variable& b) { return extremum(minimum_op, "minimum", a, b, false); }

Variable where(const Tensor& mask, const Variable& a, const Variable& b) {
  kernels::check_same_dtype("where", mask, a.value());
  kernels::check_same_dtype("where", a.value(), b.value());
  const Shape out_shape =
      kernels::broadcast_shape("where", mask.shape(), kernels::broadcast_shape("where", a.shape(), b.shape()));
  Tensor m = Tensor::empty(out_shape, a.dtype());  // 1 where mask != 0, broadcast to the output shape
  Tensor y = Tensor::empty(out_shape, a.dtype());
  m.visit([&](auto& mm) {
    using T = V<decltype(mm)>;
    const auto& c = mask.array<T>();
    xt::noalias(mm) = xt::broadcast(xt::where(xt::not_equal(c, T(0)), T(1), T(0)), out_shape);
    xt::noalias(y.array<T>()) = xt::where(xt::not_equal(mm, T(0)), a.value().array<T>(), b.value().array<T>());
  });
  return where_op.record({a, b}, std::move(y), [m = std::move(m)](const Tensor& g, GradientSink& s) {
    if (s.needs(0)) s.add(0, map2(g, m, times));
    if (s.needs(1)) s.add(1, map2(g, m, [](auto&& gg, auto&& mm) { return gg * (V<decltype(mm)>(1) - mm); }));
  });
}

}  // namespace xgrad
