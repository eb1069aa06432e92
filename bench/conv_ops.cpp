// conv2d and conv_transpose2d forward + backward (dx, dw, db) at the conv VAE's shapes, batch 100, float32, with 1
// and 2 threads. Prints the median time of each over interleaved rounds (the thread counts alternate per round).
// The PyTorch side (bench/conv_ops_torch.py) is not written yet: see bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "autograd/xgrad.hpp"

using namespace xgrad;

namespace {
struct Case {
  std::string name;
  std::function<void()> step;
};

double time_ms(const std::function<void()>& f, int reps) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps;
}
}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::stoi(argv[1]) : 7, reps = 10;
  Generator gen(1);
  const std::size_t n = 100;
  const Variable x1 = parameter(gen.normal({n, 1, 28, 28})), x2 = parameter(gen.normal({n, 32, 14, 14}));
  const Variable x3 = parameter(gen.normal({n, 64, 7, 7}));
  const Variable w1 = parameter(gen.normal({32, 1, 4, 4})), w2 = parameter(gen.normal({64, 32, 4, 4}));
  const Variable b32 = parameter(gen.normal({32})), b64 = parameter(gen.normal({64})), b1 = parameter(gen.normal({1}));
  const Conv2dOptions co{{2, 2}, {1, 1}};
  ConvTranspose2dOptions to;
  to.stride = {2, 2}, to.padding = {1, 1};
  const auto fwd_bwd = [](const Variable& y) { y.backward(Tensor::full(y.shape(), 1.0)); };
  std::vector<Case> cases = {
      {"conv2d [1,28,28]->[32,14,14] k4 s2 p1", [&] { fwd_bwd(conv2d(x1, w1, b32, co)); }},
      {"conv2d [32,14,14]->[64,7,7] k4 s2 p1", [&] { fwd_bwd(conv2d(x2, w2, b64, co)); }},
      {"conv_transpose2d [64,7,7]->[32,14,14]", [&] { fwd_bwd(conv_transpose2d(x3, w2, b32, to)); }},
      {"conv_transpose2d [32,14,14]->[1,28,28]", [&] { fwd_bwd(conv_transpose2d(x2, w1, b1, to)); }},
  };
  std::vector<std::vector<double>> ms(cases.size() * 2);
  for (int r = 0; r < rounds; ++r)
    for (int t : {1, 2}) {
      set_num_threads(t);
      for (std::size_t c = 0; c < cases.size(); ++c) {
        cases[c].step();  // warm-up
        ms[c * 2 + (t - 1)].push_back(time_ms(cases[c].step, reps));
      }
    }
  std::printf("%-42s %12s %12s %8s\n", "fwd+bwd, batch 100, float32", "1 thread ms", "2 threads ms", "speedup");
  for (std::size_t c = 0; c < cases.size(); ++c) {
    double med[2];
    for (int t = 0; t < 2; ++t) {
      auto v = ms[c * 2 + t];
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      med[t] = v[v.size() / 2];
    }
    std::printf("%-42s %12.3f %12.3f %8.2f\n", cases[c].name.c_str(), med[0], med[1], med[0] / med[1]);
  }
}
