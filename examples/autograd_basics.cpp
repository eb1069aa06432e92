// Teaches the autograd engine in three steps: (1) scalars — build y = f(x), call backward(), read
// dy/dx; (2) tensors — a tiny softmax classifier with broadcasting, gradients of a loss with respect to
// matrices, and one gradient-descent step; (3) a gradient check — compare backward() with central
// differences in float64. Run: autograd_basics [--short]   (exits 0 when every check holds)
#include <cmath>
#include <cstdio>
#include <cstring>

#include "autograd/xgrad.hpp"

using namespace xgrad;

namespace {
bool check(bool ok, const char* what) {
  std::printf("  [%s] %s\n", ok ? "ok" : "FAILED", what);
  return ok;
}
}  // namespace

int main(int argc, char** argv) {
  const bool short_run = argc > 1 && std::strcmp(argv[1], "--short") == 0;
  bool ok = true;

  // ---- 1. Scalars -------------------------------------------------------------------------------
  std::printf("1. scalars\n");
  Variable x = parameter(Tensor::scalar(3.0, DType::float64));  // a leaf that wants a gradient
  Variable y = x * x + 2.0 * x;                                 // y = x^2 + 2x, recorded on the tape
  y.backward();                                                 // dy/dx = 2x + 2
  std::printf("  x = %g, y = x^2 + 2x = %g, dy/dx = %g\n", x.item(), y.item(), x.grad().item());
  ok &= check(y.item() == 15.0 && x.grad().item() == 8.0, "dy/dx = 2x + 2 = 8");

  Variable u = parameter(Tensor::scalar(0.5, DType::float64));
  Variable v = log(1.0 + exp(u)) * u;  // chain and product rule: v' = sigmoid(u) u + log(1 + e^u)
  v.backward();
  const double expected = u.item() / (1 + std::exp(-u.item())) + std::log1p(std::exp(u.item()));
  std::printf("  v = u log(1 + e^u) at u = 0.5: dv/du = %.12f (by hand %.12f)\n", u.grad().item(), expected);
  ok &= check(std::fabs(u.grad().item() - expected) < 1e-14, "chain rule matches the hand derivative");

  // ---- 2. Tensors -------------------------------------------------------------------------------
  std::printf("2. tensors: softmax regression on 8 points, 3 features, 2 classes\n");
  Generator gen(42);
  const Tensor features = gen.normal({8, 3});  // float32, the training dtype
  Tensor labels = Tensor::zeros({8, 2});       // one-hot: class 1 when feature 0 > 0
  for (std::size_t i = 0; i < 8; ++i) labels.set(i * 2 + (features.at(i * 3) > 0 ? 1 : 0), 1.0);
  Variable W = parameter(gen.normal({3, 2}, 0.0, 0.1));
  Variable b = parameter(Tensor::zeros({2}));  // broadcast over the 8 rows
  auto loss_fn = [&] {                         // mean cross-entropy: -mean_i sum_k t_ik log softmax(XW + b)_ik
    Variable logits = dense(constant(features), W, b);
    return -mean(sum(log_softmax(logits, 1) * constant(labels), 1));
  };
  Variable loss = loss_fn();
  loss.backward();  // gradients land in W.grad() [3,2] and b.grad() [2]
  std::printf("  loss %.5f, dL/dW %s, dL/db %s\n", loss.item(), shape_string(W.grad().shape()).c_str(),
              shape_string(b.grad().shape()).c_str());
  const int steps = short_run ? 5 : 50;
  double last = loss.item();
  for (int step = 0; step < steps; ++step) {
    {
      NoGradGuard no_grad;  // parameter updates are not recorded
      for (Variable* p : {&W, &b}) p->mutable_value() = (constant(p->value()) - 0.5 * constant(p->grad())).value();
    }
    W.zero_grad();
    b.zero_grad();
    Variable l = loss_fn();
    l.backward();
    last = l.item();
  }
  std::printf("  after %d gradient steps: loss %.5f\n", steps, last);
  ok &= check(last < loss.item(), "gradient descent lowers the loss");

  // ---- 3. A gradient check -----------------------------------------------------------------------
  std::printf("3. gradient check (float64 central differences)\n");
  const GradcheckResult r =
      gradcheck([](const std::vector<Variable>& in) { return sum(softplus(matmul(in[0], in[1])) * in[2]); },
                {gen.normal({4, 3}, 0, 1, DType::float64), gen.normal({3, 2}, 0, 1, DType::float64),
                 gen.normal({2}, 0, 1, DType::float64)});
  std::printf("  %s\n", r.message.c_str());
  ok &= check(r.ok, "backward() agrees with finite differences");

  std::printf("%s\n", ok ? "all checks passed" : "SOME CHECKS FAILED");
  return ok ? 0 : 1;
}
