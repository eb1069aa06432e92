#include "autograd/ops/normalization.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "autograd/kernels.hpp"
#include "autograd/op.hpp"
#include "autograd/parallel.hpp"

namespace xgrad {
namespace {
const Op batch_norm_op = define_op("batch_norm", 3, "per-channel normalisation of x [N,C,H,W] or [N,C], gamma, beta");
const Op layer_norm_op = define_op("layer_norm", 3, "normalisation over the trailing dims of x, gamma, beta");

// Per-channel (or per-row) statistics kept for the backward pass.
struct Stats {
  std::vector<double> mean, inv_std;
};

Variable affine_or(const Variable& v, const Shape& shape, double value, DType dtype) {
  return v.defined() ? v : constant(Tensor::full(shape, value, dtype));
}

void check_param(const char* op, const char* name, const Variable& x, const Variable& p, const Shape& shape) {
  if (!p.defined()) return;
  kernels::check_same_dtype(op, x.value(), p.value());
  if (p.shape() != shape)
    throw ShapeError(std::string(op) + ": " + name + " " + shape_string(p.shape()) + " must be " + shape_string(shape) +
                     " for x " + shape_string(x.shape()));
}

// x viewed as [n, c, s]; f(channel begin, channel end) over fixed blocks of channels.
template <class F>
void for_channels(std::size_t n, std::size_t c, std::size_t s, F f) {
  parallel::for_blocks(c, f, std::max<std::size_t>(1, parallel::kGrain / std::max<std::size_t>(1, n * s)));
}
}  // namespace

Variable batch_norm(const Variable& x, const Variable& gamma, const Variable& beta, Tensor& running_mean,
                    Tensor& running_var, const BatchNormOptions& o) {
  const char* op = "batch_norm";
  if (x.dim() != 2 && x.dim() != 4)
    throw ShapeError("batch_norm: x must be [N,C,H,W] or [N,C], got " + shape_string(x.shape()));
  const Shape& xs = x.shape();
  const std::size_t n = xs[0], c = xs[1], s = x.dim() == 4 ? xs[2] * xs[3] : 1, m = n * s;
  const Shape cs{c};
  check_param(op, "gamma", x, gamma, cs);
  check_param(op, "beta", x, beta, cs);
  for (const Tensor* t : {&running_mean, &running_var}) {
    if (!t->defined() || t->shape() != cs)
      throw ShapeError(std::string("batch_norm: ") + (t == &running_mean ? "running_mean " : "running_var ") +
                       (t->defined() ? shape_string(t->shape()) : std::string("(undefined)")) + " must be " +
                       shape_string(cs) + " for x " + shape_string(xs));
    if (t->dtype() != x.dtype())
      throw InvalidArgument(std::string("batch_norm: running statistics are ") + dtype_name(t->dtype()) + ", x is " +
                            dtype_name(x.dtype()));
  }
  if (!(o.eps > 0)) throw InvalidArgument("batch_norm: eps must be > 0, got " + std::to_string(o.eps));
  if (!(o.decay >= 0 && o.decay <= 1))
    throw InvalidArgument("batch_norm: decay must be in [0, 1], got " + std::to_string(o.decay));
  if (o.training && m == 0) throw ShapeError("batch_norm: no values per channel in x " + shape_string(xs));
  const Variable gv = affine_or(gamma, cs, 1.0, x.dtype()), bv = affine_or(beta, cs, 0.0, x.dtype());
  auto stats = std::make_shared<Stats>();
  stats->mean.resize(c), stats->inv_std.resize(c);
  Tensor y = Tensor::empty(xs, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T* in = x.value().data<T>();
    const T *ga = gv.value().data<T>(), *be = bv.value().data<T>();
    T *rm = running_mean.data<T>(), *rv = running_var.data<T>();
    T* out = Y.data();
    for_channels(n, c, s, [&](std::size_t c0, std::size_t c1) {
      for (std::size_t ch = c0; ch < c1; ++ch) {
        double mean = rm[ch], var = rv[ch];
        if (o.training) {
          double sum = 0, sq = 0;
          for (std::size_t b = 0; b < n; ++b)
            for (std::size_t i = 0; i < s; ++i) sum += static_cast<double>(in[(b * c + ch) * s + i]);
          mean = sum / static_cast<double>(m);
          for (std::size_t b = 0; b < n; ++b)
            for (std::size_t i = 0; i < s; ++i) {
              const double d = static_cast<double>(in[(b * c + ch) * s + i]) - mean;
              sq += d * d;
            }
          var = sq / static_cast<double>(m);
          rm[ch] = static_cast<T>(o.decay * rm[ch] + (1 - o.decay) * mean);
          rv[ch] = static_cast<T>(o.decay * rv[ch] + (1 - o.decay) * var);
        }
        const double inv = 1 / std::sqrt(var + o.eps);
        stats->mean[ch] = mean, stats->inv_std[ch] = inv;
        const double scale = ga[ch] * inv, shift = be[ch] - mean * scale;
        for (std::size_t b = 0; b < n; ++b)
          for (std::size_t i = 0; i < s; ++i) {
            const std::size_t at = (b * c + ch) * s + i;
            out[at] = static_cast<T>(in[at] * scale + shift);
          }
      }
    });
  });
  const bool training = o.training;
  return batch_norm_op.record({x, gv, bv}, std::move(y), [=](const Tensor& g, GradientSink& sink) {
    const Tensor& xv = sink.input_value(0);
    Tensor dx = sink.needs(0) ? Tensor::empty(xv.shape(), xv.dtype()) : Tensor();
    Tensor dgamma = Tensor::empty(cs, xv.dtype()), dbeta = Tensor::empty(cs, xv.dtype());
    xv.visit([&](const auto& X) {
      using T = kernels::value_of<decltype(X)>;
      const T *in = X.data(), *gr = g.data<T>(), *ga = sink.input_value(1).data<T>();
      T *dg = dgamma.data<T>(), *db = dbeta.data<T>();
      T* d = dx.defined() ? dx.data<T>() : nullptr;
      for_channels(n, c, s, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t ch = c0; ch < c1; ++ch) {
          const double mean = stats->mean[ch], inv = stats->inv_std[ch];
          double sg = 0, sgx = 0;
          for (std::size_t b = 0; b < n; ++b)
            for (std::size_t i = 0; i < s; ++i) {
              const std::size_t at = (b * c + ch) * s + i;
              sg += gr[at];
              sgx += gr[at] * ((in[at] - mean) * inv);
            }
          dg[ch] = static_cast<T>(sgx), db[ch] = static_cast<T>(sg);
          if (!d) continue;
          // dx = gamma inv (g - [mean(g) + xhat mean(g xhat)] in training)
          const double k = ga[ch] * inv, mg = training ? sg / double(m) : 0, mgx = training ? sgx / double(m) : 0;
          for (std::size_t b = 0; b < n; ++b)
            for (std::size_t i = 0; i < s; ++i) {
              const std::size_t at = (b * c + ch) * s + i;
              d[at] = static_cast<T>(k * (gr[at] - mg - (in[at] - mean) * inv * mgx));
            }
        }
      });
    });
    if (dx.defined()) sink.add(0, std::move(dx));
    if (sink.needs(1)) sink.add(1, std::move(dgamma));
    if (sink.needs(2)) sink.add(2, std::move(dbeta));
  });
}

Variable layer_norm(const Variable& x, const Variable& gamma, const Variable& beta, double eps) {
  if (!gamma.defined() && !beta.defined())
    throw InvalidArgument("layer_norm: gamma and beta are both undefined: the normalised shape is unknown (x " +
                          shape_string(x.shape()) + ")");
  const Shape ps = gamma.defined() ? gamma.shape() : beta.shape();
  const Shape& xs = x.shape();
  if (ps.empty() || ps.size() > xs.size() || !std::equal(ps.begin(), ps.end(), xs.end() - ps.size()))
    throw ShapeError("layer_norm: gamma/beta " + shape_string(ps) + " must be the trailing dims of x " +
                     shape_string(xs));
  check_param("layer_norm", "gamma", x, gamma, ps);
  check_param("layer_norm", "beta", x, beta, ps);
  if (!(eps > 0)) throw InvalidArgument("layer_norm: eps must be > 0, got " + std::to_string(eps));
  const std::size_t dim = shape_size(ps), rows = dim == 0 ? 0 : x.size() / dim;
  if (dim == 0) throw ShapeError("layer_norm: no values to normalise in x " + shape_string(xs));
  const Variable gv = affine_or(gamma, ps, 1.0, x.dtype()), bv = affine_or(beta, ps, 0.0, x.dtype());
  auto stats = std::make_shared<Stats>();
  stats->mean.resize(rows), stats->inv_std.resize(rows);
  Tensor y = Tensor::empty(xs, x.dtype());
  y.visit([&](auto& Y) {
    using T = kernels::value_of<decltype(Y)>;
    const T *in = x.value().data<T>(), *ga = gv.value().data<T>(), *be = bv.value().data<T>();
    T* out = Y.data();
    parallel::for_rows(rows, dim, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {
        const T* row = in + r * dim;
        double sum = 0, sq = 0;
        for (std::size_t i = 0; i < dim; ++i) sum += row[i];
        const double mean = sum / double(dim);
        for (std::size_t i = 0; i < dim; ++i) sq += (row[i] - mean) * (row[i] - mean);
        const double inv = 1 / std::sqrt(sq / double(dim) + eps);
        stats->mean[r] = mean, stats->inv_std[r] = inv;
        for (std::size_t i = 0; i < dim; ++i) out[r * dim + i] = static_cast<T>((row[i] - mean) * inv * ga[i] + be[i]);
      }
    });
  });
  return layer_norm_op.record({x, gv, bv}, std::move(y), [=](const Tensor& g, GradientSink& sink) {
    const Tensor& xv = sink.input_value(0);
    Tensor dx = sink.needs(0) ? Tensor::empty(xs, xv.dtype()) : Tensor();
    Tensor gx = Tensor::empty(xs, xv.dtype());  // g * xhat, summed into dgamma
    xv.visit([&](const auto& X) {
      using T = kernels::value_of<decltype(X)>;
      const T *in = X.data(), *gr = g.data<T>(), *ga = sink.input_value(1).data<T>();
      T* d = dx.defined() ? dx.data<T>() : nullptr;
      T* p = gx.data<T>();
      parallel::for_rows(rows, dim, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) {
          const double mean = stats->mean[r], inv = stats->inv_std[r];
          double sgh = 0, sghx = 0;
          for (std::size_t i = 0; i < dim; ++i) {
            const std::size_t at = r * dim + i;
            const double xhat = (in[at] - mean) * inv, gh = double(gr[at]) * ga[i];
            p[at] = static_cast<T>(gr[at] * xhat);
            sgh += gh, sghx += gh * xhat;
          }
          if (!d) continue;
          const double mg = sgh / double(dim), mgx = sghx / double(dim);
          for (std::size_t i = 0; i < dim; ++i) {
            const std::size_t at = r * dim + i;
            d[at] = static_cast<T>(inv * (double(gr[at]) * ga[i] - mg - (in[at] - mean) * inv * mgx));
          }
        }
      });
    });
    if (dx.defined()) sink.add(0, std::move(dx));
    if (sink.needs(1)) sink.add(1, kernels::reduce_to_shape(gx, ps));
    if (sink.needs(2)) sink.add(2, kernels::reduce_to_shape(g, ps));
  });
}

}  // namespace xgrad
