// Uses the installed xgrad: a forward pass, backward, and a gradient check; exit 0 when all agree.
#include <cmath>
#include <cstdio>

#include <autograd/xgrad.hpp>  // installed under <prefix>/include/xgrad

int main() {
  using namespace xgrad;
  Variable x = parameter(Tensor::from({3}, {0.5, -1.0, 2.0}, DType::float64));
  Variable y = sum(tanh(x) * x);  // dy/dx = tanh x + x (1 - tanh^2 x)
  y.backward();
  double worst = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const double v = x.value().at(i), t = std::tanh(v);
    worst = std::fmax(worst, std::fabs(x.grad().at(i) - (t + v * (1 - t * t))));
  }
  const GradcheckResult r = gradcheck(
      [](const std::vector<Variable>& v) { return softplus(matmul(v[0], v[1])); },
      {Tensor::from({2, 2}, {1, 2, 3, 4}, DType::float64), Tensor::from({2, 1}, {0.1, -0.2}, DType::float64)});
  std::printf("xgrad consumer: y = %.6f, max gradient error %.3g, %s\n", y.item(), worst, r.message.c_str());
  return worst < 1e-12 && r.ok ? 0 : 1;
}
