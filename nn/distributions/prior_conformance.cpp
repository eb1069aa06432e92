#include "nn/distributions/prior_conformance.hpp"

#include <cmath>
#include <exception>
#include <functional>
#include <limits>

#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/tape.hpp"
#include "nn/distributions/prior.hpp"
#include "nn/module_gradcheck.hpp"

namespace xgrad::nn {

namespace {

// exp(log p(z)) at the points (z1 fixed when `first` is given: the inner integral of the 2-D check)
std::vector<double> densities(Prior& p, const std::vector<double>& zs, const double* first) {
  std::vector<double> out;
  if (zs.empty()) return out;
  NoGradGuard guard;
  const std::size_t j = first ? 2 : 1;
  Tensor z = Tensor::empty(Shape{zs.size(), j}, DType::float64);
  for (std::size_t i = 0; i < zs.size(); ++i) {
    if (first) z.set(2 * i, *first);
    z.set(i * j + j - 1, zs[i]);
  }
  const Tensor lp = p.log_prob(constant(z)).value();
  for (std::size_t i = 0; i < zs.size(); ++i) out.push_back(std::exp(lp.at(i)));
  return out;
}

// exp(log p(z)) on a simplex: z = (t, 1 - t) (J = 2), or z = (first, t, 1 - first - t) (J = 3); a point that
// rounds onto the boundary (a coordinate <= 0, outside the open simplex) counts 0: the quadrature's weight there
// is negligible even where the density has an integrable singularity
std::vector<double> simplex_densities(Prior& p, const std::vector<double>& ts, const double* first) {
  const std::size_t j = first ? 3 : 2;
  std::vector<double> out(ts.size(), 0.0), values;
  std::vector<std::size_t> inside;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const std::vector<double> z =
        first ? std::vector<double>{*first, ts[i], 1.0 - *first - ts[i]} : std::vector<double>{ts[i], 1.0 - ts[i]};
    bool ok = true;
    for (double v : z) ok = ok && v > 0;
    if (!ok) continue;
    inside.push_back(i);
    values.insert(values.end(), z.begin(), z.end());
  }
  if (inside.empty()) return out;
  NoGradGuard guard;
  const Tensor lp = p.log_prob(constant(Tensor::from(Shape{inside.size(), j}, values, DType::float64))).value();
  for (std::size_t k = 0; k < inside.size(); ++k) out[inside[k]] = std::exp(lp.at(k));
  return out;
}

// [a, b] split at its midpoint (the density may be singular at both ends)
double integrate_halves(const std::function<std::vector<double>(const std::vector<double>&)>& f, double a, double b,
                        double tolerance) {
  const double c = 0.5 * (a + b);
  return integrate(f, a, c, tolerance) + integrate(f, c, b, tolerance);
}

// the real line split at c
double integrate_line(const std::function<std::vector<double>(const std::vector<double>&)>& f, double c,
                      double tolerance) {
  const double inf = std::numeric_limits<double>::infinity();
  return integrate(f, -inf, c, tolerance) + integrate(f, c, inf, tolerance);
}

}  // namespace

ConformanceReport check_prior_conformance(const nlohmann::json& config, const PriorConformanceOptions& o) {
  ConformanceReport r;
  ReportWriter writer{r};
  auto pass = [&](const std::string& check, const std::string& what) { writer.pass(check, what); };
  auto fail = [&](const std::string& check, const std::string& what) { writer.fail(check, what); };
  auto run = [&](const std::string& check, const std::function<void()>& f) { writer.run(check, f); };
  Generator init(o.seed);
  std::shared_ptr<LatentEncoder> e2 = o.encoder ? o.encoder(2) : nullptr, e_other;
  const LatentContext c2{2, DType::float64, &init, e2.get()};
  // p2: J = 2 for shapes, moments and gradients; the density is integrated over a line (p_line) and a plane
  // (p_plane): R^1 and R^2, or for a prior on simplices one group of 2 classes (J = 2) and of 3 (J = 3)
  PriorPtr p2, p_line, p_plane;
  bool simplex = false;
  run("config", [&] {
    p2 = prior_from_config(config, c2);
    simplex = p2->support().simplex();
    const std::size_t other = simplex ? 3 : 1;
    e_other = o.encoder ? o.encoder(other) : nullptr;
    const PriorPtr po = prior_from_config(config, LatentContext{other, DType::float64, &init, e_other.get()});
    p_line = simplex ? p2 : po;
    p_plane = simplex ? po : p2;
    const nlohmann::json again = prior_from_config(p2->config(), c2)->config();
    if (again != p2->config())
      fail("config", "rebuilt " + again.dump() + " differs from " + p2->config().dump());
    else if (simplex && (p2->support() != LatentSupport{1, 2} || po->support() != LatentSupport{1, 3}))
      fail("config", "a prior on simplices is checked with one group of J = 2 and of J = 3 classes; " + config.dump() +
                         " gave " + p2->support().str(2) + " and " + po->support().str(3) +
                         " (leave groups/classes to the width)");
    else
      pass("config", p2->config().dump() + " rebuilds through the registry");
  });
  if (!r.ok || !p2) return r;
  const std::string name = p2->describe();

  run("shapes", [&] {
    Generator gen(o.seed + 1);
    NoGradGuard guard;
    const Tensor z = p2->sample(gen, o.rows, DType::float64);
    const Tensor lp = p2->log_prob(constant(z)).value();
    const Tensor m = p2->mean(DType::float64);
    const auto d = p2->distribution(3, DType::float64);
    if (z.shape() != Shape{o.rows, 2} || lp.shape() != Shape{o.rows} || m.shape() != Shape{2} || d->rows() != 3 ||
        d->dim() != 2 || d->log_prob(constant(p2->sample(gen, 6, DType::float64))).value().shape() != Shape{6})
      fail("shapes", name + ": sample " + shape_string(z.shape()) + ", log_prob " + shape_string(lp.shape()) +
                         ", mean " + shape_string(m.shape()) + " (expected [M,2], [M], [2]; distribution(3) [3,2])");
    else
      pass("shapes", name + ": sample [M,J], log_prob [M], mean [J], distribution(N) [N,J]");
  });

  run("normalised", [&] {
    if (simplex) {
      const double i1 = integrate_halves(
          [&](const std::vector<double>& t) { return simplex_densities(*p_line, t, nullptr); }, 0.0, 1.0, 1e-10);
      if (!(std::fabs(i1 - 1.0) <= o.integral_tolerance_1d))
        fail("normalised", name + ": integral over the simplex " + format_number(i1) + " (tolerance " +
                               format_number(o.integral_tolerance_1d) + ")");
      else
        pass("normalised", name + ": integral over the simplex " + format_number(i1));
      auto outer = [&](const std::vector<double>& t1s) {
        std::vector<double> out;
        for (double t1 : t1s)
          out.push_back(integrate_halves(
              [&](const std::vector<double>& t) { return simplex_densities(*p_plane, t, &t1); }, 0.0, 1.0 - t1, 1e-9));
        return out;
      };
      const double i2 = integrate_halves(outer, 0.0, 1.0, 1e-8);
      if (!(std::fabs(i2 - 1.0) <= o.integral_tolerance_2d))
        fail("normalised", p_plane->describe() + ": nested integral over the simplex " + format_number(i2) +
                               " (tolerance " + format_number(o.integral_tolerance_2d) + ")");
      else
        pass("normalised", p_plane->describe() + ": nested integral over the simplex " + format_number(i2));
      return;
    }
    PriorPtr& p1 = p_line;
    const double m1 = p1->mean(DType::float64).at(0);
    const double i1 =
        integrate_line([&](const std::vector<double>& zs) { return densities(*p1, zs, nullptr); }, m1, 1e-10);
    if (!(std::fabs(i1 - 1.0) <= o.integral_tolerance_1d))
      fail("normalised", name + " J=1: integral " + format_number(i1) + " (tolerance " +
                             format_number(o.integral_tolerance_1d) + ")");
    else
      pass("normalised", name + " J=1: integral " + format_number(i1));
    const Tensor m2 = p_plane->mean(DType::float64);
    auto outer = [&](const std::vector<double>& z1s) {
      std::vector<double> out;
      for (double z1 : z1s)
        out.push_back(integrate_line([&](const std::vector<double>& zs) { return densities(*p_plane, zs, &z1); },
                                     m2.at(1), 1e-9));
      return out;
    };
    const double i2 = integrate_line(outer, m2.at(0), 1e-8);
    if (!(std::fabs(i2 - 1.0) <= o.integral_tolerance_2d))
      fail("normalised", name + " J=2: nested integral " + format_number(i2) + " (tolerance " +
                             format_number(o.integral_tolerance_2d) + ")");
    else
      pass("normalised", name + " J=2: nested integral " + format_number(i2));
  });

  run("moments", [&] {
    Generator gen(o.seed + 2);
    const Tensor z = p2->sample(gen, o.samples, DType::float64);
    const Tensor m = p2->mean(DType::float64);
    std::string detail;
    bool ok = true;
    for (std::size_t j = 0; j < 2; ++j) {
      double s = 0, s2 = 0;
      for (std::size_t i = 0; i < o.samples; ++i) s += z.at(2 * i + j);
      const double avg = s / static_cast<double>(o.samples);
      for (std::size_t i = 0; i < o.samples; ++i) s2 += std::pow(z.at(2 * i + j) - avg, 2);
      const double se = std::sqrt(s2 / static_cast<double>(o.samples - 1) / static_cast<double>(o.samples));
      const double dist = std::fabs(avg - m.at(j)) / se;
      if (!(dist <= o.mean_sigmas)) ok = false;
      detail += " z" + std::to_string(j) + ": sample mean " + format_number(avg) + " vs " + format_number(m.at(j)) +
                " (" + format_number(dist) + " SE)";
    }
    if (ok)
      pass("moments", name + ":" + detail);
    else
      fail("moments", name + ":" + detail + ", allowed " + format_number(o.mean_sigmas) + " SE");
  });

  run("gradient", [&] {
    Generator gen(o.seed + 3);
    const Tensor z0 = p2->sample(gen, o.rows, DType::float64);
    const GradcheckResult gz =
        gradcheck([&](const std::vector<Variable>& v) { return p2->log_prob(v[0]); }, {z0}, o.gradcheck);
    if (!gz.ok) fail("gradient", name + " in z: " + gz.message);
    if (p2->parameter_count() > 0) {
      const Variable z = constant(z0);
      const Variable w = constant(gen.uniform(Shape{o.rows}, 0.5, 1.5, DType::float64));
      const GradcheckResult gp = gradcheck_module(
          *p2, [&] { return sum(p2->log_prob(z) * w); }, o.gradcheck);
      if (!gp.ok) fail("gradient", name + " in its parameters: " + gp.message);
      if (gz.ok && gp.ok) pass("gradient", name + " in z and in " + std::to_string(gp.checked) + " parameter elements");
    } else if (gz.ok) {
      pass("gradient", name + " in z (no parameters)");
    }
  });
  return r;
}

}  // namespace xgrad::nn
