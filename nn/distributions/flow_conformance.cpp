#include "nn/distributions/flow_conformance.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <utility>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/ops/shape.hpp"
#include "autograd/tape.hpp"
#include "nn/module_gradcheck.hpp"

namespace xgrad::nn {

double log_abs_determinant(std::vector<double> a, std::size_t n) {
  double log_det = 0;
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r * n + c]) > std::fabs(a[pivot * n + c])) pivot = r;
    if (a[pivot * n + c] == 0) return -std::numeric_limits<double>::infinity();
    if (pivot != c)
      for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[pivot * n + k]);
    log_det += std::log(std::fabs(a[c * n + c]));
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r * n + c] / a[c * n + c];
      for (std::size_t k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
    }
  }
  return log_det;
}

ConformanceReport check_flow_conformance(Flow& flow, const FlowConformanceOptions& o) {
  ConformanceReport r;
  ReportWriter writer{r};
  auto pass = [&](const std::string& check, const std::string& what) { writer.pass(check, what); };
  auto fail = [&](const std::string& check, const std::string& what) { writer.fail(check, what); };
  auto run = [&](const std::string& check, const std::function<void()>& f) { writer.run(check, f); };
  const std::size_t m = o.rows, j = flow.dim();
  const std::string name = flow.name();
  Generator gen(o.seed);
  const Tensor z0 = gen.normal(Shape{m, j}, 0.0, 1.0, DType::float64);
  // an amortised flow's context: fixed N(0, 1) rows (the numerical Jacobian is in z only)
  const std::size_t cw = flow.context_width();
  const Tensor c0 = cw > 0 ? gen.normal(Shape{m, cw}, 0.0, 1.0, DType::float64) : Tensor{};
  auto context_row = [&](std::size_t i) {
    Tensor row = Tensor::empty(Shape{1, cw}, DType::float64);
    for (std::size_t c = 0; c < cw; ++c) row.set(c, c0.at(i * cw + c));
    return constant(row);
  };
  auto step = [&](const Variable& z, const Variable& context) { return flow.forward_with_context(z, context); };
  const Variable context = cw > 0 ? constant(c0) : Variable{};

  run("shapes", [&] {
    NoGradGuard guard;
    const FlowStep s = step(constant(z0), context);
    if (s.z.shape() != Shape{m, j} || s.log_det.shape() != Shape{m})
      fail("shapes", name + ": z' " + shape_string(s.z.shape()) + ", log_det " + shape_string(s.log_det.shape()) +
                         " (expected [" + std::to_string(m) + "," + std::to_string(j) + "] and [" + std::to_string(m) +
                         "])");
    else
      pass("shapes", name + ": z' [M,J], log_det [M]");
  });

  run("jacobian", [&] {
    NoGradGuard guard;
    const Tensor ld = step(constant(z0), context).log_det.value();
    double worst = 0;
    for (std::size_t i = 0; i < m; ++i) {
      std::vector<double> jac(j * j);
      for (std::size_t b = 0; b < j; ++b) {
        Tensor plus = Tensor::empty(Shape{1, j}, DType::float64), minus = Tensor::empty(Shape{1, j}, DType::float64);
        for (std::size_t c = 0; c < j; ++c) {
          const double h = c == b ? o.step : 0.0;
          plus.set(c, z0.at(i * j + c) + h);
          minus.set(c, z0.at(i * j + c) - h);
        }
        const Variable ci = cw > 0 ? context_row(i) : Variable{};
        const Tensor fp = step(constant(plus), ci).z.value(), fm = step(constant(minus), ci).z.value();
        for (std::size_t a = 0; a < j; ++a) jac[a * j + b] = (fp.at(a) - fm.at(a)) / (2 * o.step);
      }
      worst = std::max(worst, std::fabs(log_abs_determinant(jac, j) - ld.at(i)));
    }
    if (!(worst <= o.jacobian_tolerance))
      fail("jacobian", name + ": |log_det - log|det J_numeric|| up to " + format_number(worst) + " (tolerance " +
                           format_number(o.jacobian_tolerance) + ")");
    else
      pass("jacobian", name + ": log_det matches the numerical Jacobian (worst " + format_number(worst) + ")");
  });

  run("gradient", [&] {
    auto both = [&](const Variable& z, const Variable& c) {
      const FlowStep s = step(z, c);
      return concat({reshape(s.z, Shape{m * j}), s.log_det}, 0);
    };
    const GradcheckResult gz =
        cw > 0 ? gradcheck([&](const std::vector<Variable>& v) { return both(v[0], v[1]); }, {z0, c0}, o.gradcheck)
               : gradcheck([&](const std::vector<Variable>& v) { return both(v[0], Variable{}); }, {z0}, o.gradcheck);
    if (!gz.ok) fail("gradient", name + (cw > 0 ? " in z and the context: " : " in z: ") + gz.message);
    const Variable z = constant(z0);
    const Variable w = constant(gen.uniform(Shape{m * j + m}, 0.5, 1.5, DType::float64));
    const GradcheckResult gp = gradcheck_module(
        flow, [&] { return sum(both(z, context) * w); }, o.gradcheck);
    if (!gp.ok) fail("gradient", name + " in its parameters: " + gp.message);
    if (gz.ok && gp.ok)
      pass("gradient", name + (cw > 0 ? " in z, the context" : " in z") + " and in " + std::to_string(gp.checked) +
                           " parameter elements");
  });
  return r;
}

}  // namespace xgrad::nn
