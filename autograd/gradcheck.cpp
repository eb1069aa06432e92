#include "autograd/gradcheck.hpp"

#include <cmath>
#include <sstream>

#include "autograd/random.hpp"
#include "autograd/tape.hpp"

namespace xgrad {
namespace {
Shape unravel(std::size_t flat, const Shape& shape) {
  Shape idx(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
    flat = shape[d] == 0 ? 0 : flat / shape[d];
  }
  return idx;
}

double projected(const Variable& y, const Tensor& w) {
  double s = 0;
  const auto& yv = y.value().array<double>();
  const auto& wv = w.array<double>();
  for (std::size_t i = 0; i < yv.size(); ++i) s += yv.data()[i] * wv.data()[i];
  return s;
}
}  // namespace

GradcheckResult gradcheck(const GradcheckFunction& f, const std::vector<Tensor>& inputs, GradcheckOptions opt) {
  TapeScope scope;
  std::vector<Variable> vars;
  for (const Tensor& t : inputs) vars.push_back(parameter(t.to(DType::float64)));
  Variable y = f(vars);
  if (y.dtype() != DType::float64)
    throw InvalidArgument("gradcheck: the function returned " + std::string(dtype_name(y.dtype())) +
                          " for float64 inputs; compute in the inputs' dtype");
  Generator gen(opt.seed);
  const Tensor w = gen.uniform(y.shape(), 0.5, 1.5, DType::float64);
  if (!y.requires_grad())
    throw GraphError("gradcheck: the output does not depend differentiably on any input (requires_grad is false)");
  y.backward(w);
  std::vector<Tensor> analytic;
  for (const Variable& v : vars)
    analytic.push_back(v.has_grad() ? v.grad() : Tensor::zeros(v.shape(), DType::float64));

  GradcheckResult r;
  double worst = -1;
  for (std::size_t k = 0; k < vars.size(); ++k) {
    Tensor& x = vars[k].mutable_value();
    const std::size_t n = x.size();
    const std::size_t stride =
        opt.max_elements_per_input == 0 || n <= opt.max_elements_per_input ? 1 : n / opt.max_elements_per_input;
    for (std::size_t i = 0; i < n; i += stride) {
      const double x0 = x.at(i);
      double lp, lm;
      {
        NoGradGuard ng;
        x.set(i, x0 + opt.eps);
        lp = projected(f(vars), w);
        x.set(i, x0 - opt.eps);
        lm = projected(f(vars), w);
        x.set(i, x0);
      }
      const double num = (lp - lm) / (2 * opt.eps);
      const double ana = analytic[k].at(i);
      const double abs_err = std::fabs(ana - num);
      const double denom = std::max(std::fabs(ana), std::fabs(num));
      const double rel = denom > 0 ? abs_err / denom : 0.0;
      const bool pass = abs_err <= opt.atol || rel <= opt.rtol;
      ++r.checked;
      // rank failures above passes, then by relative error
      const double score = (pass ? 0.0 : 10.0) + std::min(rel, 9.0);
      if (score > worst) {
        worst = score;
        r.input = k;
        r.flat_index = i;
        r.index = unravel(i, x.shape());
        r.analytic = ana;
        r.numeric = num;
        r.abs_error = abs_err;
        r.rel_error = rel;
      }
      if (!pass) r.ok = false;
    }
  }
  std::ostringstream os;
  os.precision(10);
  os << "gradcheck " << (r.ok ? "passed" : "FAILED") << " (" << r.checked << " elements): worst input " << r.input
     << " at " << shape_string(r.index) << ": analytic " << r.analytic << ", numeric " << r.numeric << ", abs error "
     << r.abs_error << ", rel error " << r.rel_error;
  r.message = os.str();
  return r;
}

}  // namespace xgrad
