#include "autograd/parallel.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <tbb/global_control.h>

#include "autograd/blas.hpp"
#include "autograd/errors.hpp"

namespace xgrad {
namespace {
std::mutex g_mutex;
std::unique_ptr<tbb::global_control> g_control;
int g_threads = 0;

int default_threads() {
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}
}  // namespace

void set_num_threads(int n) {
  if (n < 1) throw InvalidArgument("set_num_threads: n must be >= 1, got " + std::to_string(n));
  std::lock_guard<std::mutex> lock(g_mutex);
  g_control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<std::size_t>(n));
  blas::keep_openblas_serial();
  g_threads = n;
}

int num_threads() {
  int n = g_threads;
  if (n == 0) {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_threads == 0) g_threads = default_threads();
    n = g_threads;
  }
  return n;
}

}  // namespace xgrad
