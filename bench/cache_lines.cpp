// What it costs a core to update memory the other core touched last (why blas.cpp keeps each weight
// matrix's rows with one core). Two threads pinned to CPUs 0 and 1; the one on CPU 0 runs an Adam-like update
// (m, v and w, 392k floats each = one 784x500 weight) after the thread on CPU 1 has
//   none:  not touched w since the last update,
//   read:  read every element of w (as a forward GEMM does),
//   wrote: written every element of w.
// Prints the median update time of each case and its ratio to `none`:
//   cache_lines case=read update_us=... ratio_to_local=...
//   cache_lines [--elements 392000] [--reps 50]
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {
void pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0)
    throw std::runtime_error("cache_lines: cannot pin a thread to CPU " + std::to_string(cpu));
}

volatile float g_sink;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 392000;
  int reps = 50;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("cache_lines: option " + k + " needs a value");
    if (k == "--elements")
      n = std::stoul(argv[++i]);
    else if (k == "--reps")
      reps = std::stoi(argv[++i]);
    else
      throw std::invalid_argument("cache_lines: unknown option " + k);
  }
  if (std::thread::hardware_concurrency() < 2) {
    std::printf("# cache_lines: needs 2 CPUs\n");
    return 0;
  }
  std::vector<float> w(n, 1.f), m(n, 0.f), v(n, 0.f);
  pin_to(0);
  const char* names[] = {"none", "read", "wrote"};
  double local = 0;
  for (int kind = 0; kind < 3; ++kind) {
    std::vector<double> times;
    for (int r = 0; r < reps; ++r) {
      if (kind > 0) {
        std::thread other([&] {
          pin_to(1);
          float s = 0;
          if (kind == 1)
            for (std::size_t i = 0; i < n; ++i) s += w[i];
          else
            for (std::size_t i = 0; i < n; ++i) w[i] += 1e-7f;
          g_sink = s;
        });
        other.join();
      }
      const auto t0 = std::chrono::steady_clock::now();
      for (std::size_t i = 0; i < n; ++i) {
        m[i] = 0.9f * m[i] + 0.1f;
        v[i] = 0.999f * v[i] + 0.001f;
        w[i] -= 1e-3f * m[i] / (v[i] + 1e-8f);
      }
      times.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    const double t = median(times);
    if (kind == 0) local = t;
    std::printf("cache_lines case=%s elements=%zu update_us=%.1f ratio_to_local=%.2f\n", names[kind], n, t, t / local);
  }
  return 0;
}
