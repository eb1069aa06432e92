// conv2d and conv_transpose2d forward + backward at the conv VAE's shapes (batch 100, float32), and one training
// step (forward, backward, Adam) of examples/cnn_classifier's network at its batch size (64), on random data.
//   conv_ops [--threads 1,2] [--rounds 5] [--reps 10]
// Thread counts alternate within each round; prints one line per case and thread count:
//   xgrad case=NAME threads=T ms_median=... ms_min=... ms_max=...
// bench/conv_ops_torch.py prints the same lines for PyTorch, bench/conv_dnnl for oneDNN's primitives.
// Inputs that are data (x of the first conv, the transposed conv's output layer input is a layer's output) get a
// gradient except the first conv's x, as inside a network.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "autograd/xgrad.hpp"
#include "common/fashion_cnn.hpp"
#include "conv_bench_args.hpp"

using namespace xgrad;

namespace {
struct Case {
  std::string name;
  std::function<void()> step;
  std::size_t steps_per_call = 1;  // training steps one call of `step` takes (the figure printed is per step)
};

double time_ms(const std::function<void()>& f, int reps) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps;
}

}  // namespace

int main(int argc, char** argv) {
  const ConvBenchArgs args = parse_conv_bench_args(argc, argv, "conv_ops");
  const std::vector<int>& threads = args.threads;
  const int rounds = args.rounds, reps = args.reps;
  Generator gen(1);
  const std::size_t n = 100;
  const Variable x1 = constant(gen.normal({n, 1, 28, 28})), x2 = parameter(gen.normal({n, 32, 14, 14}));
  const Variable x3 = parameter(gen.normal({n, 64, 7, 7}));
  const Variable w1 = parameter(gen.normal({32, 1, 4, 4})), w2 = parameter(gen.normal({64, 32, 4, 4}));
  const Variable b32 = parameter(gen.normal({32})), b64 = parameter(gen.normal({64})), b1 = parameter(gen.normal({1}));
  const Conv2dOptions co{{2, 2}, {1, 1}};
  ConvTranspose2dOptions to;
  to.stride = {2, 2}, to.padding = {1, 1};
  const auto fwd_bwd = [](const Variable& y) { y.backward(Tensor::full(y.shape(), 1.0)); };

  const auto cnn = examples::make_fashion_cnn();
  const std::size_t cnn_steps = 5, cnn_batch = examples::fashion_cnn_batch_size;
  std::vector<int> labels(cnn_steps * cnn_batch);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int>(i % 10);
  const nn::data::Dataset cnn_data(gen.uniform({cnn_steps * cnn_batch, 784}), labels, 10);
  nn::FitOptions fit;
  fit.batch_size = cnn_batch;

  std::vector<Case> cases = {
      {"conv2d_1x28x28_32x14x14", [&] { fwd_bwd(conv2d(x1, w1, b32, co)); }},
      {"conv2d_32x14x14_64x7x7", [&] { fwd_bwd(conv2d(x2, w2, b64, co)); }},
      {"convT_64x7x7_32x14x14", [&] { fwd_bwd(conv_transpose2d(x3, w2, b32, to)); }},
      {"convT_32x14x14_1x28x28", [&] { fwd_bwd(conv_transpose2d(x2, w1, b1, to)); }},
      // one fit() epoch of cnn_steps minibatches; divided below so the figure is per step
      {"cnn_classifier_step", [&] { cnn->fit(cnn_data, fit); }, cnn_steps},
  };
  std::vector<std::vector<double>> ms(cases.size() * threads.size());
  for (int r = 0; r < rounds; ++r)
    for (std::size_t t = 0; t < threads.size(); ++t) {
      set_num_threads(threads[t]);
      for (std::size_t c = 0; c < cases.size(); ++c) {
        cases[c].step();  // warm-up
        const std::size_t per_call = cases[c].steps_per_call;
        const int case_reps = per_call > 1 ? std::max(1, reps / 5) : reps;
        ms[c * threads.size() + t].push_back(time_ms(cases[c].step, case_reps) / static_cast<double>(per_call));
      }
    }
  for (std::size_t c = 0; c < cases.size(); ++c)
    for (std::size_t t = 0; t < threads.size(); ++t) {
      auto v = ms[c * threads.size() + t];
      std::sort(v.begin(), v.end());
      std::printf("xgrad case=%s threads=%d ms_median=%.4f ms_min=%.4f ms_max=%.4f\n", cases[c].name.c_str(),
                  threads[t], v[v.size() / 2], v.front(), v.back());
    }
}
