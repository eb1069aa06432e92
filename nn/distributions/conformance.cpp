#include "nn/distributions/conformance.hpp"

#include <cmath>
#include <exception>

#include "autograd/errors.hpp"
#include "autograd/tape.hpp"
#include "nn/distributions/columns.hpp"

namespace xgrad::nn {

std::string ConformanceReport::str() const {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

void ReportWriter::run(const std::string& check, const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    fail(check, std::string("threw: ") + e.what());
  }
}

// ---------------------------------------------------------------------------------------------------
// tanh-sinh quadrature

double integrate(const std::function<std::vector<double>(const std::vector<double>&)>& f, double lower, double upper,
                 double tolerance) {
  if (!(lower < upper)) return 0.0;
  constexpr double kHalfPi = 1.5707963267948966;
  const bool lo_inf = std::isinf(lower), hi_inf = std::isinf(upper);
  double previous = 0;
  for (int level = 0; level <= 12; ++level) {
    const double h = std::ldexp(1.0, -level);
    std::vector<double> xs, ws;
    for (long k = -static_cast<long>(4.5 / h); k <= static_cast<long>(4.5 / h); ++k) {
      const double u = static_cast<double>(k) * h;
      const double s = kHalfPi * std::sinh(u);
      const double t = std::tanh(s);
      const double c = 2.0 / (std::exp(2.0 * std::fabs(s)) + 1.0);  // 1 - |t|, accurate near the ends
      const double cs = std::cosh(s);
      const double w = kHalfPi * std::cosh(u) / (cs * cs);
      if (c <= 0 || !(w > 0)) continue;
      double x, jac;
      if (!lo_inf && !hi_inf) {  // [a, b]
        const double half = 0.5 * (upper - lower);
        x = t >= 0 ? upper - half * c : lower + half * c;
        jac = half;
      } else if (lo_inf && hi_inf) {  // x = t / (1 - t^2)
        const double d = c * (2.0 - c);
        x = t / d;
        jac = (1.0 + t * t) / (d * d);
      } else {  // half line: s' = (1 + t)/2 in [0, 1), x = a + s'/(1 - s') or b - s'/(1 - s')
        const double one_minus = t >= 0 ? 0.5 * c : 1.0 - 0.5 * c;
        const double sp = t >= 0 ? 1.0 - 0.5 * c : 0.5 * c;
        const double y = sp / one_minus;
        x = lo_inf ? upper - y : lower + y;
        jac = 0.5 / (one_minus * one_minus);
      }
      if (!std::isfinite(x) || !std::isfinite(jac)) continue;
      xs.push_back(x);
      ws.push_back(w * jac * h);
    }
    const std::vector<double> fx = f(xs);
    double sum = 0;
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (ws[i] > 0 && fx[i] != 0) sum += ws[i] * fx[i];
    if (level >= 3 && std::fabs(sum - previous) <= tolerance * std::max(1.0, std::fabs(sum))) return sum;
    previous = sum;
  }
  return previous;
}

// ---------------------------------------------------------------------------------------------------
namespace {

struct Leaf {
  const ReconstructionDistribution* d;  // owned by the composite being checked
  std::size_t columns;
};

// the single distributions of d with their column counts (composites flattened); D = `columns` for a leaf
void flatten(const ReconstructionDistribution& d, std::size_t columns, std::vector<Leaf>& out) {
  const auto parts = d.parts();
  if (parts.empty()) {
    out.push_back({&d, columns});
    return;
  }
  for (const auto& [size, part] : parts) flatten(*part, size, out);
}

// exp(log p(x_i | raw)) for a batch of scalar points x_i, one raw row [1, W]
std::vector<double> densities(const ReconstructionDistribution& d, const Tensor& raw_row,
                              const std::vector<double>& xs) {
  std::vector<double> out;
  if (xs.empty()) return out;
  NoGradGuard guard;
  const Tensor x = Tensor::from(Shape{xs.size(), 1}, xs, DType::float64);
  const Tensor lp = d.log_prob(constant(x), constant(tile_rows(raw_row, xs.size()))).value();
  for (std::size_t i = 0; i < xs.size(); ++i) out.push_back(std::exp(lp.at(i)));
  return out;
}

double normalisation(const ReconstructionDistribution& d, const Support& sup, std::size_t k, const Tensor& raw_row) {
  NoGradGuard guard;
  if (sup.kind == Support::Kind::one_hot) {
    Tensor x = Tensor::zeros(Shape{k, k}, DType::float64);
    for (std::size_t i = 0; i < k; ++i) x.set(i * k + i, 1.0);
    const Tensor lp = d.log_prob(constant(x), constant(tile_rows(raw_row, k))).value();
    double s = 0;
    for (std::size_t i = 0; i < k; ++i) s += std::exp(lp.at(i));
    return s;
  }
  if (sup.kind == Support::Kind::discrete) {
    double s = 0;
    for (double p : densities(d, raw_row, sup.values)) s += p;
    return s;
  }
  auto f = [&](const std::vector<double>& xs) { return densities(d, raw_row, xs); };
  const double m = d.mean(raw_row).at(0);  // split at the mean: kinks (Laplace) sit there
  if (std::isfinite(m) && m > sup.lower && m < sup.upper)
    return integrate(f, sup.lower, m) + integrate(f, m, sup.upper);
  return integrate(f, sup.lower, sup.upper);
}

}  // namespace

ConformanceReport check_conformance(const ReconstructionDistribution& d, const ConformanceOptions& o) {
  ConformanceReport rep;
  auto pass = [&](const std::string& check, const std::string& msg) {
    rep.lines.push_back("PASS " + check + ": " + msg);
  };
  auto fail = [&](const std::string& check, const std::string& msg) {
    rep.ok = false;
    rep.lines.push_back("FAIL " + check + ": " + msg);
  };
  Generator gen(o.seed);
  std::vector<Leaf> leaves;
  flatten(d, o.columns, leaves);
  std::size_t total_columns = 0;
  for (const auto& l : leaves) total_columns += l.columns;
  const std::size_t n = o.rows, dcols = total_columns, width = d.input_size(dcols);

  // config
  try {
    const DistributionPtr rebuilt = distribution_from_config(d.config());
    if (rebuilt->config() == d.config())
      pass("config", d.config().dump());
    else
      fail("config", "rebuilt config " + rebuilt->config().dump() + " differs from " + d.config().dump());
  } catch (const std::exception& e) {
    fail("config", std::string("distribution_from_config(config()) failed (is it registered?): ") + e.what());
  }

  // data from the distribution itself, shapes
  const Tensor raw = gen.uniform(Shape{n, width}, o.raw_low, o.raw_high, DType::float64);
  Tensor x;
  try {
    x = d.has_loss_function() ? d.mean(gen.uniform(Shape{n, width}, o.raw_low, o.raw_high, DType::float64))
                              : d.sample(raw, gen);
    const Tensor mean = d.mean(raw);
    NoGradGuard guard;
    const Variable lp = d.log_prob(constant(x), constant(raw));
    const Shape want{n, dcols};
    if (x.shape() != want || mean.shape() != want || lp.shape() != Shape{n})
      fail("shapes", "sample " + shape_string(x.shape()) + ", mean " + shape_string(mean.shape()) + ", log_prob " +
                         shape_string(lp.shape()) + "; expected " + shape_string(want) + ", " + shape_string(want) +
                         ", [" + std::to_string(n) + "]");
    else
      pass("shapes", "log_prob [" + std::to_string(n) + "], mean and sample " + shape_string(want));
  } catch (const std::exception& e) {
    fail("shapes", std::string("sample/mean/log_prob threw: ") + e.what());
    return rep;  // the other checks need data
  }

  // gradient
  try {
    const GradcheckResult g =
        gradcheck([&](const std::vector<Variable>& in) { return d.log_prob(constant(x), in[0]); }, {raw}, o.gradcheck);
    if (g.ok)
      pass("gradient", g.message);
    else
      fail("gradient", g.message);
  } catch (const std::exception& e) {
    fail("gradient", e.what());
  }

  // normalisation and mean, per single distribution
  for (const Leaf& leaf : leaves) {
    const ReconstructionDistribution& l = *leaf.d;
    const Support sup = l.support();
    const std::size_t k = sup.kind == Support::Kind::one_hot ? leaf.columns : 1;
    for (std::size_t set = 0; set < o.parameter_sets; ++set) {
      const Tensor row = gen.uniform(Shape{1, l.input_size(k)}, o.raw_low, o.raw_high, DType::float64);
      const std::string tag = l.describe() + " raw " + shape_string(row.shape()) + " set " + std::to_string(set);
      try {
        if (!l.has_loss_function()) {
          const double total = normalisation(l, sup, k, row);
          if (std::fabs(total - 1.0) <= o.integral_tolerance)
            pass("normalised", tag + ": integral - 1 = " + format_number(total - 1.0));
          else
            fail("normalised", tag + ": the density integrates/sums to " + format_number(total) + " over " + sup.str() +
                                   ", not 1 (tolerance " + format_number(o.integral_tolerance) + ")");
        }
        const Tensor rows = tile_rows(row, o.samples);
        const Tensor draws = l.sample(rows, gen);
        const Tensor mean = l.mean(row);
        for (std::size_t c = 0; c < k; ++c) {
          double s = 0, s2 = 0;
          for (std::size_t i = 0; i < o.samples; ++i) {
            const double v = draws.at(i * k + c);
            s += v;
            s2 += v * v;
          }
          const double m = s / static_cast<double>(o.samples);
          const double var = std::max(0.0, s2 / static_cast<double>(o.samples) - m * m);
          const double se = std::sqrt(var / static_cast<double>(o.samples));
          const double want = mean.at(c);
          if (std::fabs(m - want) <= o.mean_sigmas * se + 1e-9)
            pass("mean", tag + " column " + std::to_string(c) + ": sample mean " + format_number(m) + ", mean " +
                             format_number(want));
          else
            fail("mean", tag + " column " + std::to_string(c) + ": sample mean " + format_number(m) + " of " +
                             std::to_string(o.samples) + " draws vs mean " + format_number(want) + " (" +
                             format_number(std::fabs(m - want) / std::max(se, 1e-300)) + " standard errors)");
        }
      } catch (const std::exception& e) {
        fail("normalised/mean", tag + ": " + e.what());
      }
    }
  }

  // validate: samples pass, an out-of-support value in the last column is rejected with its position
  try {
    d.validate(x);
    pass("validate accepts", "draws of the distribution pass validate()");
  } catch (const std::exception& e) {
    fail("validate accepts", std::string("validate() rejected the distribution's own draws: ") + e.what());
  }
  {
    const Support sup = leaves.back().d->support();
    double bad = std::nan("");
    if (sup.kind == Support::Kind::one_hot)
      bad = 0.5;
    else if (std::isfinite(sup.upper))
      bad = sup.upper + 1.0;
    else if (std::isfinite(sup.lower))
      bad = sup.lower - 1.0;
    Tensor xb = x.clone();
    const std::size_t row = n - 1, col = dcols - 1;
    xb.set(row * dcols + col, bad);
    const std::string where = "row " + std::to_string(row) + ", column " + std::to_string(col);
    try {
      d.validate(xb);
      fail("validate rejects",
           "value " + format_number(bad) + " at " + where + " was accepted (support " + sup.str() + ")");
    } catch (const DataError& e) {
      const std::string msg = e.what();
      if (msg.find(where) != std::string::npos || (msg.find("row " + std::to_string(row)) != std::string::npos))
        pass("validate rejects", msg);
      else
        fail("validate rejects", "the DataError does not name the position (" + where + "): " + msg);
    } catch (const std::exception& e) {
      fail("validate rejects", std::string("threw a non-DataError: ") + e.what());
    }
  }
  return rep;
}

}  // namespace xgrad::nn
