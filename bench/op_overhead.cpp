// Per-op framework overhead (issue 2): a chain of `links` x  x = tanh(x * 1.0001 + 0.001)  (3 ops per
// link: mul_scalar, add_scalar, tanh) on an NxN float32 input that requires a gradient, then
// sum().backward(). The same chain as ../shared/bench/overhead.py runs in PyTorch; run both in one go:
//   op_overhead [--links 1000] [--reps 9] [--threads 1] [--sizes 1,128]
//   /usr/bin/python3 /work/shared/bench/overhead.py --threads 1
// Prints medians over `reps` repetitions (after 2 warm-ups), microseconds per op (3 * links ops):
//   xgrad_overhead size=1x1 threads=1 ops=3000 fwd_us_per_op=... bwd_us_per_op=... fwdbwd_us_per_op=...
//   nograd_us_per_op=... reps=9
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/xgrad.hpp"

using namespace xgrad;

namespace {
using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Variable chain(Variable x, int links) {
  for (int i = 0; i < links; ++i) x = xgrad::tanh(x * 1.0001 + 0.001);
  return x;
}

void run(std::size_t n, int links, int reps, int threads) {
  const Tensor x0 = Tensor::full({n, n}, 0.1);
  std::vector<double> fw, bw, tot, ng;
  double checksum = 0;
  for (int r = 0; r < reps + 2; ++r) {  // the first 2 are warm-up
    Variable x = parameter(x0);
    const auto t0 = Clock::now();
    Variable y = sum(chain(x, links));
    const auto t1 = Clock::now();
    y.backward();
    const auto t2 = Clock::now();
    Variable z;
    const auto t3 = Clock::now();
    {
      NoGradGuard no_grad;
      z = chain(constant(x0), links);
    }
    const auto t4 = Clock::now();
    checksum += x.grad().at(0) + z.value().at(0);
    if (r >= 2) {
      fw.push_back(seconds(t0, t1));
      bw.push_back(seconds(t1, t2));
      tot.push_back(seconds(t0, t2));
      ng.push_back(seconds(t3, t4));
    }
  }
  const double ops = 3.0 * links;
  auto us = [&](const std::vector<double>& v) { return median(v) / ops * 1e6; };
  std::printf(
      "xgrad_overhead size=%zux%zu threads=%d ops=%d fwd_us_per_op=%.3f bwd_us_per_op=%.3f fwdbwd_us_per_op=%.3f "
      "nograd_us_per_op=%.3f reps=%d checksum=%.6g\n",
      n, n, threads, 3 * links, us(fw), us(bw), us(tot), us(ng), reps, checksum);
  std::fflush(stdout);
}
}  // namespace

int main(int argc, char** argv) {
  int links = 1000, reps = 9, threads = 1;
  std::string sizes = "1,128";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--links" && has_value) {
      links = std::atoi(argv[++i]);
    } else if (a == "--reps" && has_value) {
      reps = std::atoi(argv[++i]);
    } else if (a == "--threads" && has_value) {
      threads = std::atoi(argv[++i]);
    } else if (a == "--sizes" && has_value) {
      sizes = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--links 1000] [--reps 9] [--threads 1] [--sizes 1,128]\n", argv[0]);
      return 2;
    }
  }
  if (links < 1 || reps < 1 || threads < 1) {
    std::fprintf(stderr, "op_overhead: --links, --reps and --threads must be >= 1\n");
    return 2;
  }
  set_num_threads(threads);
  std::stringstream ss(sizes);
  for (std::string s; std::getline(ss, s, ',');) run(static_cast<std::size_t>(std::stoul(s)), links, reps, threads);
  return 0;
}
