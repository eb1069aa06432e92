// VAE training-step benchmark (issue 6): forward + backward + Adam update of xgrad's
// VariationalAutoencoder, float32, the two models of ../shared/bench (kw, dl4j), Bernoulli likelihood
// on [0,1] pixels, one reparameterised sample. Prints key=value lines like torch_vae.py:
//   xgrad config=kw batch=100 threads=2 step_ms_median=... step_ms_min=... step_ms_max=... samples_per_s=...
// and, with --memory, peak/current resident memory over 5 epochs and bytes per tape node.
//   vae_step [--config kw|dl4j|all] [--batch 16,100,256] [--threads 1,2] [--steps 50] [--reps 7]
//            [--warmup 20] [--memory] [--epoch-examples 60000] [--gemm auto,openblas,dnnl]
// --gemm times every step once per GEMM backend (autograd/gemm_backend.hpp; default: the one XGRAD_GEMM chose);
// every line names its backend (gemm=...).
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "autograd/blas.hpp"
#include "autograd/xgrad.hpp"
#include "bench_cli.hpp"
#include "nn/layers/vae.hpp"
#include "nn/optim/optimizers.hpp"
#include "vae_models.hpp"

using namespace xgrad;

namespace {

struct Args {
  std::vector<std::string> configs{"kw", "dl4j"};
  std::vector<std::size_t> batches{16, 100, 256};
  std::vector<int> threads{1, 2};
  int steps = 0;  // 0 = by batch size
  int reps = 7;
  int warmup = 20;
  bool memory = false;
  std::size_t epoch_examples = 60000;
  std::vector<blas::Backend> gemms{blas::backend()};
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&] { return bench::option_value(argc, argv, i, "vae_step"); };
    if (k == "--config") {
      const std::string v = next();
      a.configs = v == "all" ? std::vector<std::string>{"kw", "dl4j"} : bench::split_list(v);
    } else if (k == "--batch") {
      a.batches.clear();
      for (auto& s : bench::split_list(next())) a.batches.push_back(std::stoul(s));
    } else if (k == "--threads") {
      a.threads.clear();
      for (auto& s : bench::split_list(next())) a.threads.push_back(std::stoi(s));
    } else if (k == "--steps") {
      a.steps = std::stoi(next());
    } else if (k == "--reps") {
      a.reps = std::stoi(next());
    } else if (k == "--warmup") {
      a.warmup = std::stoi(next());
    } else if (k == "--memory") {
      a.memory = true;
    } else if (k == "--gemm") {
      a.gemms.clear();
      for (auto& s : bench::split_list(next())) a.gemms.push_back(blas::parse_backend(s));
    } else if (k == "--epoch-examples") {
      a.epoch_examples = std::stoul(next());
    } else {
      throw InvalidArgument("vae_step: unknown option " + k);
    }
  }
  return a;
}

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Tensor rows(const Tensor& data, std::size_t begin, std::size_t count) {
  Tensor out = Tensor::empty({count, data.shape()[1]});
  const float* p = data.data<float>() + begin * data.shape()[1];
  std::copy(p, p + count * data.shape()[1], out.data<float>());
  return out;
}

void train_step(nn::VariationalAutoencoder& vae, nn::Optimizer& opt, const Tensor& batch) {
  Variable loss = vae.pretrain_loss(constant(batch));
  loss.backward();
  opt.step();
  opt.zero_grad();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void time_steps(const Args& a) {
  for (const auto& config : a.configs)
    for (std::size_t batch : a.batches)
      for (int t : a.threads)
        for (blas::Backend gemm : a.gemms) {
          blas::set_backend(gemm);
          set_num_threads(t);
          nn::VariationalAutoencoder vae(bench::vae_model(config));
          nn::Adam opt(vae.named_parameters());
          const int steps = a.steps > 0 ? a.steps : (batch <= 16 ? 100 : batch <= 100 ? 50 : 20);
          const std::size_t n_batches = 64;
          Tensor data = bench::vae_data(batch * n_batches, 1);
          std::vector<Tensor> batches;
          for (std::size_t b = 0; b < n_batches; ++b) batches.push_back(rows(data, b * batch, batch));
          for (int i = 0; i < a.warmup; ++i) train_step(vae, opt, batches[i % n_batches]);
          std::vector<double> per_step;
          for (int r = 0; r < a.reps; ++r) {
            const double t0 = now_ms();
            for (int i = 0; i < steps; ++i) train_step(vae, opt, batches[i % n_batches]);
            per_step.push_back((now_ms() - t0) / steps);
          }
          const double med = median(per_step);
          std::printf(
              "xgrad config=%s batch=%zu threads=%d gemm=%s step_ms_median=%.3f step_ms_min=%.3f step_ms_max=%.3f "
              "samples_per_s=%.0f steps=%d reps=%d\n",
              config.c_str(), batch, t, blas::backend_name(gemm), med,
              *std::min_element(per_step.begin(), per_step.end()), *std::max_element(per_step.begin(), per_step.end()),
              batch / med * 1000.0, steps, a.reps);
          std::fflush(stdout);
        }
}

double rss_mib() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4096.0 / (1024.0 * 1024.0);
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

void memory(const Args& a) {
  set_num_threads(a.threads.empty() ? 2 : a.threads.back());
  const std::size_t batch = 100;
  const double base = rss_mib();
  Tensor data = bench::vae_data(a.epoch_examples, 2);
  nn::VariationalAutoencoder vae(bench::vae_model("kw"));
  nn::Adam opt(vae.named_parameters());
  const double dataset_mib = data.size() * 4.0 / (1 << 20);
  const double params_mib = vae.parameter_count() * 4.0 / (1 << 20);
  // The budget: dataset + parameters + their gradients + Adam's m and v + one batch's activations and
  // their gradients. Activations per example: x, every hidden layer's pre-activation and activation, mu,
  // log sigma^2, eps, z, logits.
  const auto o = bench::vae_model("kw");
  std::size_t act = 2 * o.n_in + 4 * o.n_out;
  for (std::size_t h : o.encoder_layer_sizes) act += 2 * h;
  for (std::size_t h : o.decoder_layer_sizes) act += 2 * h;
  const double batch_mib = 2.0 * batch * act * 4.0 / (1 << 20);
  const double budget_mib = dataset_mib + 4 * params_mib + batch_mib;
  for (int epoch = 1; epoch <= 5; ++epoch) {
    for (std::size_t b = 0; b + batch <= a.epoch_examples; b += batch) train_step(vae, opt, rows(data, b, batch));
    std::printf(
        "xgrad_memory config=kw batch=%zu epoch=%d rss_mib=%.1f peak_rss_mib=%.1f base_rss_mib=%.1f "
        "dataset_mib=%.1f params_mib=%.2f adam_state_mib=%.2f batch_activations_and_grads_mib=%.2f "
        "budget_mib=%.1f peak_over_budget=%.2f\n",
        batch, epoch, rss_mib(), peak_rss_mib(), base, dataset_mib, params_mib, 2 * params_mib, batch_mib, budget_mib,
        (peak_rss_mib() - base) / budget_mib);
    std::fflush(stdout);
  }
  // bytes per tape node: heap growth while recording a chain of tiny ops (values included)
  Variable x = parameter(Tensor::full({1, 1}, 0.1f));
  const std::size_t before = mallinfo2().uordblks;
  Variable y = x;
  const int links = 10000;
  for (int i = 0; i < links; ++i) y = tanh(y * 1.0001 + 0.001);
  const std::size_t after = mallinfo2().uordblks;
  std::printf("xgrad_tape nodes=%zu bytes_per_node=%.0f (1x1 float values included)\n", current_tape().size(),
              double(after - before) / current_tape().size());
  sum(y).backward();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    if (a.memory)
      memory(a);
    else
      time_steps(a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vae_step: %s\n", e.what());
    return 2;
  }
  return 0;
}
