// GEMM backends side by side (issue 18), float32, row-major, in one process:
//   gemm_limit lib=L threads=T n=2048 gflops_median=...   the FLOP limit: C = A B, 2048^3
//   gemm_step config=C batch=B threads=T lib=L ms_median=... gflops=...   the products of one VAE training step
// L = openblas_own / dnnl_own: the library alone with its own threads (OpenBLAS pthreads, oneDNN OpenMP);
// xgrad_auto / xgrad_openblas / xgrad_dnnl: blas::gemm with that backend (fixed blocks, one single-threaded
// call per block, TBB). The step's products are those of ../shared/bench/gemm_bound.cpp's "brief" layout
// (W stored [in, out]): forward X W, weight gradient X^T dY, input gradient dY W^T except for the first layer.
//   gemm_backends [--threads 1,2] [--square 2048] [--config kw,dl4j] [--batch 16,100,256] [--reps 7]
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/blas.hpp"
#include "autograd/errors.hpp"
#include "autograd/parallel.hpp"
#ifdef XGRAD_BENCH_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif

using namespace xgrad;

namespace {
struct Shape {
  bool ta, tb;
  std::size_t m, n, k;
};
struct Layer {
  std::size_t in, out;
};

std::vector<Layer> layers(const std::string& config) {
  if (config == "kw") return {{784, 500}, {500, 20}, {500, 20}, {20, 500}, {500, 784}};
  if (config == "dl4j") return {{784, 256}, {256, 256}, {256, 2}, {256, 2}, {2, 256}, {256, 256}, {256, 784}};
  throw InvalidArgument("gemm_backends: unknown config '" + config + "' (kw, dl4j)");
}

std::vector<Shape> step_products(const std::string& config, std::size_t batch) {
  const std::vector<Layer> ls = layers(config);
  std::vector<Shape> out;
  for (const Layer& l : ls) out.push_back({false, false, batch, l.out, l.in});
  for (std::size_t i = ls.size(); i-- > 0;) {
    out.push_back({true, false, ls[i].in, ls[i].out, batch});
    if (i > 0) out.push_back({false, true, batch, ls[i].in, ls[i].out});
  }
  return out;
}

// Operands of one product, each its own buffer (as in a step: no operand is shared between products).
struct Buffers {
  Shape s;
  std::vector<float> a, b, c;
};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(item);
  return out;
}

using Gemm = std::function<void(const Shape&, const float*, const float*, float*)>;

void openblas_own(const Shape& s, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans, int(s.m), int(s.n),
              int(s.k), 1.0f, a, int(s.ta ? s.m : s.k), b, int(s.tb ? s.k : s.n), 0.0f, c, int(s.n));
}
#ifdef XGRAD_BENCH_DNNL
void dnnl_own(const Shape& s, const float* a, const float* b, float* c) {
  dnnl_sgemm(s.ta ? 'T' : 'N', s.tb ? 'T' : 'N', dnnl_dim_t(s.m), dnnl_dim_t(s.n), dnnl_dim_t(s.k), 1.0f, a,
             dnnl_dim_t(s.ta ? s.m : s.k), b, dnnl_dim_t(s.tb ? s.k : s.n), 0.0f, c, dnnl_dim_t(s.n));
}
#endif
void xgrad_gemm(const Shape& s, const float* a, const float* b, float* c) {
  blas::gemm(s.ta, s.tb, s.m, s.n, s.k, 1.0f, a, s.ta ? s.m : s.k, b, s.tb ? s.k : s.n, 0.0f, c, s.n);
}

struct Lib {
  std::string name;
  Gemm gemm;
  blas::Backend backend = blas::Backend::automatic;
};

// Sets the library's threads: its own pool for *_own, else xgrad's TBB threads (OpenBLAS and OpenMP at 1).
void use_threads(const Lib& lib, int threads) {
  const bool own = lib.name.find("_own") != std::string::npos;
  openblas_set_num_threads(own && lib.name[0] == 'o' ? threads : 1);
  omp_set_num_threads(own && lib.name[0] == 'd' ? threads : 1);
  set_num_threads(threads);
  if (!own) {
    blas::keep_openblas_serial();
    blas::set_backend(lib.backend);
  }
}

std::vector<float> random_floats(std::size_t n, std::mt19937& g) {
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  std::vector<float> v(n);
  for (float& x : v) x = u(g);
  return v;
}
}  // namespace

int main(int argc, char** argv) try {
  std::vector<int> threads{1, 2};
  std::vector<std::string> configs{"kw", "dl4j"};
  std::vector<std::size_t> batches{16, 100, 256};
  std::size_t square = 2048;
  int reps = 7;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) throw InvalidArgument("gemm_backends: option " + k + " needs a value");
    const std::string v = argv[++i];
    if (k == "--threads") {
      threads.clear();
      for (auto& s : split(v)) threads.push_back(std::stoi(s));
    } else if (k == "--square") {
      square = std::stoul(v);
    } else if (k == "--config") {
      configs = split(v);
    } else if (k == "--batch") {
      batches.clear();
      for (auto& s : split(v)) batches.push_back(std::stoul(s));
    } else if (k == "--reps") {
      reps = std::stoi(v);
    } else {
      throw InvalidArgument("gemm_backends: unknown option " + k);
    }
  }
  std::vector<Lib> libs = {{"openblas_own", openblas_own}};
#ifdef XGRAD_BENCH_DNNL
  libs.push_back({"dnnl_own", dnnl_own});
#endif
  libs.push_back({"xgrad_openblas", xgrad_gemm, blas::Backend::openblas});
  if (blas::has_dnnl()) libs.push_back({"xgrad_dnnl", xgrad_gemm, blas::Backend::dnnl});
  libs.push_back({"xgrad_auto", xgrad_gemm, blas::Backend::automatic});
  std::printf("# OpenBLAS %s core=%s; xgrad blocks at most %zu; oneDNN in xgrad: %s\n", openblas_get_config(),
              openblas_get_corename(), blas::max_blocks(), blas::has_dnnl() ? "yes" : "no");
  std::mt19937 g(42);
  for (int t : threads) {
    if (square > 0) {
      const std::size_t n = square;
      const std::vector<float> a = random_floats(n * n, g), b = random_floats(n * n, g);
      std::vector<float> c(n * n);
      const Shape s{false, false, n, n, n};
      for (const Lib& lib : libs) {
        use_threads(lib, t);
        lib.gemm(s, a.data(), b.data(), c.data());
        std::vector<double> gflops;
        for (int r = 0; r < reps; ++r) {
          const double t0 = now_s();
          lib.gemm(s, a.data(), b.data(), c.data());
          gflops.push_back(2.0 * double(n) * double(n) * double(n) / (now_s() - t0) / 1e9);
        }
        std::printf("gemm_limit lib=%s threads=%d n=%zu gflops_median=%.1f gflops_max=%.1f reps=%d\n", lib.name.c_str(),
                    t, n, median(gflops), *std::max_element(gflops.begin(), gflops.end()), reps);
        std::fflush(stdout);
      }
    }
    for (const std::string& config : configs)
      for (std::size_t batch : batches) {
        std::vector<Buffers> bufs;
        double flops = 0;
        for (const Shape& s : step_products(config, batch)) {
          bufs.push_back({s, random_floats(s.m * s.k, g), random_floats(s.k * s.n, g), std::vector<float>(s.m * s.n)});
          flops += 2.0 * double(s.m) * double(s.n) * double(s.k);
        }
        const int steps = batch <= 16 ? 200 : batch <= 100 ? 50 : 20;
        for (const Lib& lib : libs) {
          use_threads(lib, t);
          const auto step = [&] {
            for (Buffers& b : bufs) lib.gemm(b.s, b.a.data(), b.b.data(), b.c.data());
          };
          for (int w = 0; w < 10; ++w) step();
          std::vector<double> ms;
          for (int r = 0; r < reps; ++r) {
            const double t0 = now_s();
            for (int i = 0; i < steps; ++i) step();
            ms.push_back((now_s() - t0) / steps * 1e3);
          }
          const double med = median(ms);
          std::printf("gemm_step config=%s batch=%zu threads=%d lib=%s ms_median=%.4f gflops=%.1f step_gflop=%.6f\n",
                      config.c_str(), batch, t, lib.name.c_str(), med, flops / med / 1e6, flops / 1e9);
          std::fflush(stdout);
        }
      }
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "gemm_backends: %s\n", e.what());
  return 1;
}
