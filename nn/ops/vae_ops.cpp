#include "nn/ops/vae_ops.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "nn/ops/bernoulli_kernel.hpp"

namespace xgrad::nn {
namespace {
using kernels::span;
template <class A>
using V = kernels::value_of<A>;

const Op bernoulli_op = define_op("vae_bernoulli_logits_log_prob", 2, "sum_j [x r - softplus(r)] per row");
const Op gaussian_op = define_op("vae_gaussian_log_prob", 2, "sum_j log N(x; mu, e^lv) per row, params [mu | lv]");
const Op exponential_op = define_op("vae_exponential_log_prob", 2, "sum_j (gamma - e^gamma x) per row");
const Op cbernoulli_op =
    define_op("vae_continuous_bernoulli_log_prob", 2, "sum_j [x r - softplus(r) + log C(r)] per row");
const Op kl_op = define_op("vae_gaussian_kl_standard", 2, "0.5 sum_j (mu^2 + e^lv - 1 - lv) per row");
const Op reparam_op = define_op("vae_reparameterize", 2, "mu + e^(lv/2) eps, eps tiled over L samples");
const Op diag_logp_op = define_op("vae_diagonal_gaussian_log_prob", 3, "sum_j log N(z; mu, e^lv), z tiled");
const Op sample_mean_op = define_op("vae_sample_mean", 1, "mean over the L samples of each example");
const Op sample_lme_op = define_op("vae_sample_log_mean_exp", 1, "log-mean-exp over the L samples of each example");

constexpr double kLog2Pi = 1.8378770664093454836;
constexpr double kLn2 = 0.69314718055994530942;

std::string shapes(const Variable& a, const Variable& b) {
  return shape_string(a.shape()) + " and " + shape_string(b.shape());
}

void check_matrix(const char* op, const char* what, const Variable& v) {
  if (v.dim() != 2) throw ShapeError(std::string(op) + ": " + what + " must be 2-D, got " + shape_string(v.shape()));
}

// x and params [N, D * params_per_column]
void check_pair(const char* op, const Variable& x, const Variable& p, std::size_t params_per_column) {
  check_matrix(op, "x", x);
  check_matrix(op, "the parameters", p);
  kernels::check_same_dtype(op, x.value(), p.value());
  if (p.shape()[0] != x.shape()[0] || p.shape()[1] != params_per_column * x.shape()[1])
    throw ShapeError(std::string(op) + ": x " + shape_string(x.shape()) + " and parameters " + shape_string(p.shape()) +
                     " do not fit (expected [" + std::to_string(x.shape()[0]) + "," +
                     std::to_string(params_per_column * x.shape()[1]) + "])");
}

template <class T>
double row_sum(const T* p, std::size_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t j = 0; j < n; ++j) s += static_cast<double>(p[j]);
  return s;
}

// out[n, j] = g[n] * m[n, j]   (the backward of a per-row sum of elementwise terms)
Tensor scale_rows(const Tensor& m, const Tensor& g) {
  Tensor out = Tensor::empty(m.shape(), m.dtype());
  const std::size_t rows = m.shape()[0], cols = m.size() / std::max<std::size_t>(1, rows);
  m.visit([&](const auto& a) {
    using T = V<decltype(a)>;
    const T* src = a.data();
    const T* gg = g.data<T>();
    T* o = out.data<T>();
    parallel::for_rows(rows, cols, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {
        const T s = gg[r];
#pragma omp simd
        for (std::size_t j = 0; j < cols; ++j) o[r * cols + j] = s * src[r * cols + j];
      }
    });
  });
  return out;
}

// Scratch rows of one block of a row-parallel kernel.
template <class T>
struct RowScratch {
  kernels::scratch_vector<T> a, b;
  explicit RowScratch(std::size_t n) : a(n), b(n) {}
};

// out[r] = scale * (offset + sum_j t_rj) for every row r: fill(r, Term) writes the row's elementwise terms into
// the 1-D span Term (xtensor expressions of the row's inputs); the sum is accumulated in double.
template <class T, class Fill>
void row_sums(std::size_t rows, std::size_t cols, T* out, double scale, double offset, Fill fill) {
  parallel::for_rows(rows, cols, [&](std::size_t r0, std::size_t r1) {
    kernels::scratch_vector<T> buf(cols);
    auto term = span(buf.data(), cols);
    for (std::size_t r = r0; r < r1; ++r) {
      fill(r, term);
      out[r] = static_cast<T>(scale * (offset + row_sum(buf.data(), cols)));
    }
  });
}
}  // namespace

// ---------------------------------------------------------------------------------------------------
Variable bernoulli_logits_log_prob(const Variable& x, const Variable& logits) {
  const char* op = "bernoulli_logits_log_prob";
  check_pair(op, x, logits, 1);
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  const bool record = Op::needs_record({x, logits});
  Tensor out = Tensor::empty(Shape{n}, x.dtype());
  Tensor dr = record ? Tensor::empty(x.shape(), x.dtype()) : Tensor();  // x - sigmoid(r)
  x.value().visit([&](const auto& xa) {
    using T = V<decltype(xa)>;
    const T* X = xa.data();
    const T* R = logits.value().data<T>();
    T* O = out.data<T>();
    T* G = record ? dr.data<T>() : nullptr;
    parallel::for_rows(n, d, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r)
        O[r] = bernoulli_logits_row(X + r * d, R + r * d, G ? G + r * d : nullptr, d);
    });
  });
  return bernoulli_op.record({x, logits}, std::move(out), [dr = std::move(dr)](const Tensor& g, GradientSink& s) {
    if (s.needs(0)) s.add(0, scale_rows(s.input_value(1), g));
    if (s.needs(1)) s.add(1, scale_rows(dr, g));
  });
}

// ---------------------------------------------------------------------------------------------------
Variable gaussian_log_prob(const Variable& x, const Variable& params) {
  const char* op = "gaussian_log_prob";
  check_pair(op, x, params, 2);
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Tensor out = Tensor::empty(Shape{n}, x.dtype());
  x.value().visit([&](const auto& xa) {
    using T = V<decltype(xa)>;
    const T* X = xa.data();
    const T* P = params.value().data<T>();
    T* O = out.data<T>();
    row_sums(n, d, O, -0.5, kLog2Pi * static_cast<double>(d), [&](std::size_t r, auto& term) {
      auto lv = span(P + r * 2 * d + d, d);
      xt::noalias(term) = lv + xt::square(span(X + r * d, d) - span(P + r * 2 * d, d)) * xt::exp(-lv);
    });
  });
  return gaussian_op.record({x, params}, std::move(out), [](const Tensor& g, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    const Tensor& pv = s.input_value(1);
    const std::size_t n = xv.shape()[0], d = xv.shape()[1];
    Tensor dx = s.needs(0) ? Tensor::empty(xv.shape(), xv.dtype()) : Tensor();
    Tensor dp = s.needs(1) ? Tensor::empty(pv.shape(), pv.dtype()) : Tensor();
    xv.visit([&](const auto& xa) {
      using T = V<decltype(xa)>;
      const T* X = xa.data();
      const T* P = pv.data<T>();
      const T* G = g.data<T>();
      T* DX = dx.defined() ? dx.data<T>() : nullptr;
      T* DP = dp.defined() ? dp.data<T>() : nullptr;
      parallel::for_rows(n, 2 * d, [&](std::size_t r0, std::size_t r1) {
        RowScratch<T> s(d);
        auto W = span(s.a.data(), d);  // (x - mu) e^-lv
        for (std::size_t r = r0; r < r1; ++r) {
          auto xs = span(X + r * d, d);
          auto mu = span(P + r * 2 * d, d);
          auto lv = span(P + r * 2 * d + d, d);
          const T gr = G[r];
          xt::noalias(W) = (xs - mu) * xt::exp(-lv);
          if (DX) {
            auto o = span(DX + r * d, d);
            xt::noalias(o) = -gr * W;
          }
          if (DP) {
            auto om = span(DP + r * 2 * d, d);
            auto ol = span(DP + r * 2 * d + d, d);
            xt::noalias(om) = gr * W;
            xt::noalias(ol) = (T(0.5) * gr) * (W * (xs - mu) - T(1));
          }
        }
      });
    });
    if (dx.defined()) s.add(0, std::move(dx));
    if (dp.defined()) s.add(1, std::move(dp));
  });
}

// ---------------------------------------------------------------------------------------------------
Variable exponential_log_prob(const Variable& x, const Variable& gamma) {
  const char* op = "exponential_log_prob";
  check_pair(op, x, gamma, 1);
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Tensor out = Tensor::empty(Shape{n}, x.dtype());
  x.value().visit([&](const auto& xa) {
    using T = V<decltype(xa)>;
    const T* X = xa.data();
    const T* Gm = gamma.value().data<T>();
    T* O = out.data<T>();
    row_sums(n, d, O, 1.0, 0.0, [&](std::size_t r, auto& term) {
      auto gs = span(Gm + r * d, d);
      xt::noalias(term) = gs - xt::exp(gs) * span(X + r * d, d);
    });
  });
  return exponential_op.record({x, gamma}, std::move(out), [](const Tensor& g, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    const Tensor& gv = s.input_value(1);
    const Tensor lambda = kernels::map(gv, [](auto&& a) { return xt::exp(a); });
    if (s.needs(0)) s.add(0, scale_rows(kernels::map(lambda, [](auto&& a) { return -a; }), g));
    if (s.needs(1))
      s.add(1,
            scale_rows(kernels::map2(lambda, xv, [](auto&& l, auto&& xx) { return V<decltype(l)>(1) - l * xx; }), g));
  });
}

// ---------------------------------------------------------------------------------------------------
double continuous_bernoulli_log_norm(double r) {
  const double a = std::fabs(r);
  if (a < 1e-2) {  // log 2 + r^2/12 - 7 r^4/1440 + 31 r^6/90720 - 127 r^8/4838400
    const double q = r * r;
    return kLn2 + q * (1.0 / 12 + q * (-7.0 / 1440 + q * (31.0 / 90720 - q * 127.0 / 4838400)));
  }
  // log(|r| / tanh(|r|/2)), tanh(|r|/2) = (1 - e^-|r|) / (1 + e^-|r|)
  const double e = std::exp(-a);
  return std::log(a) - std::log1p(-e) + std::log1p(e);
}

double continuous_bernoulli_log_norm_grad(double r) {
  if (std::fabs(r) < 1e-2) {  // 1/r - 1/sinh r = r/6 - 7 r^3/360 + 31 r^5/15120 - 127 r^7/604800
    const double q = r * r;
    return r * (1.0 / 6 + q * (-7.0 / 360 + q * (31.0 / 15120 - q * 127.0 / 604800)));
  }
  return 1.0 / r - 1.0 / std::sinh(r);
}

namespace {
double softplus(double r) {
  return std::max(r, 0.0) + std::log1p(std::exp(-std::fabs(r)));
}
double sigmoid(double r) {
  const double e = std::exp(-std::fabs(r));
  return r >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}
}  // namespace

Variable continuous_bernoulli_log_prob(const Variable& x, const Variable& logits) {
  const char* op = "continuous_bernoulli_log_prob";
  check_pair(op, x, logits, 1);
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  Tensor out = Tensor::empty(Shape{n}, x.dtype());
  x.value().visit([&](const auto& xa) {
    using T = V<decltype(xa)>;
    const T* X = xa.data();
    const T* R = logits.value().data<T>();
    T* O = out.data<T>();
    parallel::for_rows(n, d * 8, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {
        double acc = 0;
        for (std::size_t j = 0; j < d; ++j) {
          const double rr = R[r * d + j], xx = X[r * d + j];
          acc += xx * rr - softplus(rr) + continuous_bernoulli_log_norm(rr);
        }
        O[r] = static_cast<T>(acc);
      }
    });
  });
  return cbernoulli_op.record({x, logits}, std::move(out), [](const Tensor& g, GradientSink& s) {
    const Tensor& xv = s.input_value(0);
    const Tensor& rv = s.input_value(1);
    if (s.needs(0)) s.add(0, scale_rows(rv, g));
    if (s.needs(1)) {
      Tensor dr = Tensor::empty(rv.shape(), rv.dtype());
      rv.visit([&](const auto& ra) {
        using T = V<decltype(ra)>;
        const T* R = ra.data();
        const T* X = xv.data<T>();
        T* D = dr.data<T>();
        parallel::for_blocks(ra.size(), [&](std::size_t b, std::size_t e) {
          for (std::size_t i = b; i < e; ++i)
            D[i] = static_cast<T>(X[i] - sigmoid(R[i]) + continuous_bernoulli_log_norm_grad(R[i]));
        });
      });
      s.add(1, scale_rows(dr, g));
    }
  });
}

// ---------------------------------------------------------------------------------------------------
Variable gaussian_kl_standard(const Variable& mu, const Variable& logvar) {
  const char* op = "gaussian_kl_standard";
  check_matrix(op, "mu", mu);
  kernels::check_same_dtype(op, mu.value(), logvar.value());
  if (mu.shape() != logvar.shape())
    throw ShapeError(std::string(op) + ": mu and logvar must have the same shape, got " + shapes(mu, logvar));
  const std::size_t n = mu.shape()[0], j = mu.shape()[1];
  Tensor out = Tensor::empty(Shape{n}, mu.dtype());
  mu.value().visit([&](const auto& ma) {
    using T = V<decltype(ma)>;
    const T* M = ma.data();
    const T* L = logvar.value().data<T>();
    T* O = out.data<T>();
    row_sums(n, j, O, 0.5, 0.0, [&](std::size_t r, auto& term) {
      auto ms = span(M + r * j, j);
      auto ls = span(L + r * j, j);
      xt::noalias(term) = ms * ms + xt::exp(ls) - T(1) - ls;
    });
  });
  return kl_op.record({mu, logvar}, std::move(out), [](const Tensor& g, GradientSink& s) {
    if (s.needs(0)) s.add(0, scale_rows(s.input_value(0), g));
    if (s.needs(1))
      s.add(1, scale_rows(kernels::map(s.input_value(1),
                                       [](auto&& l) {
                                         using T = V<decltype(l)>;
                                         return T(0.5) * (xt::exp(l) - T(1));
                                       }),
                          g));
  });
}

// ---------------------------------------------------------------------------------------------------
namespace {
// rows of a tiled [L*N, J] input against [N, J]; returns L
std::size_t tiled_samples(const char* op, const Shape& tiled, const Shape& base) {
  if (tiled.size() != 2 || base.size() != 2 || tiled[1] != base[1] || base[0] == 0 || tiled[0] % base[0] != 0)
    throw ShapeError(std::string(op) + ": " + shape_string(tiled) + " is not L samples of " + shape_string(base) +
                     " (expected [L*" + (base.size() == 2 ? std::to_string(base[0]) : "?") + "," +
                     (base.size() == 2 ? std::to_string(base[1]) : "?") + "])");
  return tiled[0] / base[0];
}

// out[n, j] = sum_l t[l*N + n, j]
template <class T>
void fold_samples(const T* t, std::size_t samples, std::size_t n, std::size_t j, T* out) {
  std::copy(t, t + n * j, out);
  for (std::size_t l = 1; l < samples; ++l) {
    const T* src = t + l * n * j;
#pragma omp simd
    for (std::size_t i = 0; i < n * j; ++i) out[i] += src[i];
  }
}
}  // namespace

Variable reparameterize(const Variable& mu, const Variable& logvar, const Tensor& eps) {
  const char* op = "reparameterize";
  check_matrix(op, "mu", mu);
  kernels::check_same_dtype(op, mu.value(), logvar.value());
  kernels::check_same_dtype(op, mu.value(), eps);
  if (mu.shape() != logvar.shape())
    throw ShapeError(std::string(op) + ": mu and logvar must have the same shape, got " + shapes(mu, logvar));
  tiled_samples(op, eps.shape(), mu.shape());
  const std::size_t nj = mu.size(), total = eps.size();
  Tensor z = Tensor::empty(eps.shape(), eps.dtype());
  mu.value().visit([&](const auto& ma) {
    using T = V<decltype(ma)>;
    const T* M = ma.data();
    const T* L = logvar.value().data<T>();
    const T* E = eps.data<T>();
    T* Z = z.data<T>();
    parallel::for_blocks(total, [&](std::size_t b, std::size_t e) {
      // blocks may straddle sample boundaries: walk them in pieces that map onto contiguous rows of mu
      for (std::size_t i = b; i < e;) {
        const std::size_t k = i % nj, len = std::min(e - i, nj - k);
        auto zs = span(Z + i, len);
        xt::noalias(zs) = span(M + k, len) + xt::exp(T(0.5) * span(L + k, len)) * span(E + i, len);
        i += len;
      }
    });
  });
  return reparam_op.record({mu, logvar}, std::move(z), [eps](const Tensor& g, GradientSink& s) {
    const Tensor& lv = s.input_value(1);
    const std::size_t nj = lv.size(), samples = g.size() / std::max<std::size_t>(1, nj);
    const std::size_t n = lv.shape()[0], j = lv.shape()[1];
    if (s.needs(0)) {
      Tensor dm = Tensor::empty(lv.shape(), lv.dtype());
      dm.visit([&](auto& a) {
        using T = V<decltype(a)>;
        fold_samples(g.data<T>(), samples, n, j, a.data());
      });
      s.add(0, std::move(dm));
    }
    if (s.needs(1)) {
      const Tensor ge = kernels::map2(g, eps, [](auto&& a, auto&& b) { return a * b; });
      Tensor dl = Tensor::empty(lv.shape(), lv.dtype());
      dl.visit([&](auto& a) {
        using T = V<decltype(a)>;
        fold_samples(ge.data<T>(), samples, n, j, a.data());
        xt::noalias(a) = a * (T(0.5) * xt::exp(T(0.5) * lv.array<T>()));
      });
      s.add(1, std::move(dl));
    }
  });
}

// ---------------------------------------------------------------------------------------------------
Variable diagonal_gaussian_log_prob(const Variable& z, const Variable& mu, const Variable& logvar) {
  const char* op = "diagonal_gaussian_log_prob";
  check_matrix(op, "mu", mu);
  kernels::check_same_dtype(op, z.value(), mu.value());
  kernels::check_same_dtype(op, mu.value(), logvar.value());
  if (mu.shape() != logvar.shape())
    throw ShapeError(std::string(op) + ": mu and logvar must have the same shape, got " + shapes(mu, logvar));
  tiled_samples(op, z.shape(), mu.shape());
  const std::size_t rows = z.shape()[0], n = mu.shape()[0], j = mu.shape()[1];
  Tensor out = Tensor::empty(Shape{rows}, z.dtype());
  z.value().visit([&](const auto& za) {
    using T = V<decltype(za)>;
    const T* Z = za.data();
    const T* M = mu.value().data<T>();
    const T* L = logvar.value().data<T>();
    T* O = out.data<T>();
    row_sums(rows, j, O, -0.5, kLog2Pi * static_cast<double>(j), [&](std::size_t r, auto& term) {
      const std::size_t b = (r % n) * j;
      auto ls = span(L + b, j);
      xt::noalias(term) = ls + xt::square(span(Z + r * j, j) - span(M + b, j)) * xt::exp(-ls);
    });
  });
  return diag_logp_op.record({z, mu, logvar}, std::move(out), [](const Tensor& g, GradientSink& s) {
    const Tensor& zv = s.input_value(0);
    const Tensor& mv = s.input_value(1);
    const Tensor& lv = s.input_value(2);
    const std::size_t rows = zv.shape()[0], n = mv.shape()[0], j = mv.shape()[1], samples = rows / n;
    // w = (z - mu) e^-lv * g_row ; dz = -w ; dmu = sum_l w ; dlv = sum_l g (0.5 (z-mu)^2 e^-lv - 0.5)
    Tensor w = Tensor::empty(zv.shape(), zv.dtype());
    Tensor q = Tensor::empty(zv.shape(), zv.dtype());
    zv.visit([&](const auto& za) {
      using T = V<decltype(za)>;
      const T* Z = za.data();
      const T* M = mv.data<T>();
      const T* L = lv.data<T>();
      const T* G = g.data<T>();
      T* W = w.data<T>();
      T* Q = q.data<T>();
      parallel::for_rows(rows, j, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) {
          const std::size_t b = (r % n) * j;
          const T gr = G[r];
          auto diff = span(Z + r * j, j) - span(M + b, j);
          auto ws = span(W + r * j, j);
          auto qs = span(Q + r * j, j);
          xt::noalias(ws) = gr * diff * xt::exp(-span(L + b, j));
          xt::noalias(qs) = T(0.5) * (ws * diff - gr);
        }
      });
    });
    if (s.needs(0)) s.add(0, kernels::map(w, [](auto&& a) { return -a; }));
    auto fold = [&](const Tensor& t) {
      Tensor out = Tensor::empty(mv.shape(), mv.dtype());
      out.visit([&](auto& a) {
        using T = V<decltype(a)>;
        fold_samples(t.data<T>(), samples, n, j, a.data());
      });
      return out;
    };
    if (s.needs(1)) s.add(1, fold(w));
    if (s.needs(2)) s.add(2, fold(q));
  });
}

// ---------------------------------------------------------------------------------------------------
namespace {
std::size_t sample_groups(const char* op, const Variable& v, std::size_t samples) {
  if (samples == 0) throw InvalidArgument(std::string(op) + ": samples must be >= 1, got 0");
  if (v.dim() != 1 || v.size() % samples != 0)
    throw ShapeError(std::string(op) + ": expected a 1-D input of L*N elements with L = " + std::to_string(samples) +
                     ", got " + shape_string(v.shape()));
  return v.size() / samples;
}
}  // namespace

Variable sample_mean(const Variable& v, std::size_t samples) {
  const std::size_t n = sample_groups("sample_mean", v, samples);
  Tensor out = Tensor::empty(Shape{n}, v.dtype());
  out.visit([&](auto& o) {
    using T = V<decltype(o)>;
    const T* p = v.value().data<T>();
    for (std::size_t i = 0; i < n; ++i) {
      double acc = 0;
      for (std::size_t l = 0; l < samples; ++l) acc += p[l * n + i];
      o.data()[i] = static_cast<T>(acc / static_cast<double>(samples));
    }
  });
  return sample_mean_op.record({v}, std::move(out), [samples](const Tensor& g, GradientSink& s) {
    const std::size_t n = g.size();
    Tensor dv = Tensor::empty(s.input_value(0).shape(), g.dtype());
    dv.visit([&](auto& d) {
      using T = V<decltype(d)>;
      const T* gg = g.data<T>();
      const T inv = T(1) / static_cast<T>(samples);
      for (std::size_t l = 0; l < samples; ++l)
        for (std::size_t i = 0; i < n; ++i) d.data()[l * n + i] = gg[i] * inv;
    });
    s.add(0, std::move(dv));
  });
}

Variable sample_log_mean_exp(const Variable& v, std::size_t samples) {
  const std::size_t n = sample_groups("sample_log_mean_exp", v, samples);
  Tensor out = Tensor::empty(Shape{n}, v.dtype());
  const double log_l = std::log(static_cast<double>(samples));
  out.visit([&](auto& o) {
    using T = V<decltype(o)>;
    const T* p = v.value().data<T>();
    for (std::size_t i = 0; i < n; ++i) {
      double m = -INFINITY;
      for (std::size_t l = 0; l < samples; ++l) m = std::max(m, static_cast<double>(p[l * n + i]));
      double acc = 0;
      if (std::isfinite(m))
        for (std::size_t l = 0; l < samples; ++l) acc += std::exp(static_cast<double>(p[l * n + i]) - m);
      o.data()[i] = static_cast<T>(std::isfinite(m) ? m + std::log(acc) - log_l : m);
    }
  });
  return sample_lme_op.record({v}, std::move(out), [samples, log_l](const Tensor& g, GradientSink& s) {
    const Tensor& vv = s.input_value(0);
    const Tensor& ov = s.output_value();
    const std::size_t n = g.size();
    Tensor dv = Tensor::empty(vv.shape(), g.dtype());
    dv.visit([&](auto& d) {
      using T = V<decltype(d)>;
      const T* gg = g.data<T>();
      const T* p = vv.data<T>();
      const T* o = ov.data<T>();
      for (std::size_t l = 0; l < samples; ++l)
        for (std::size_t i = 0; i < n; ++i) {
          const double wgt = std::isfinite(static_cast<double>(o[i]))
                                 ? std::exp(static_cast<double>(p[l * n + i]) - static_cast<double>(o[i]) - log_l)
                                 : 0.0;
          d.data()[l * n + i] = static_cast<T>(static_cast<double>(gg[i]) * wgt);
        }
    });
    s.add(0, std::move(dv));
  });
}

}  // namespace xgrad::nn
