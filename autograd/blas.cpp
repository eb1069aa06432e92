#include "autograd/blas.hpp"

#include <cblas.h>

#include <algorithm>

#include "autograd/parallel.hpp"

namespace xgrad::blas {
namespace {
// OpenBLAS always runs single-threaded inside xgrad's own fixed partition (below): its threaded sgemm
// gives different last bits for 1 and 2 threads, and two thread pools would oversubscribe the cores.
const bool kOpenBlasSerial = (keep_openblas_serial(), true);

void call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha, const double* a, int lda,
          const double* b, int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Number of blocks of C for m*n*k multiply-adds: a function of the shape only, never of the thread count.
std::size_t block_count(std::size_t m, std::size_t n, std::size_t k) {
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  return flops < 8e6 ? 1 : flops < 32e6 ? 2 : 4;
}

template <class T>
void partitioned_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                      std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  const CBLAS_TRANSPOSE opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
  const auto I = [](std::size_t v) { return static_cast<int>(v); };
  const bool split_columns = n >= m;  // blocks of C's columns (slices of B) or of its rows (slices of A)
  const std::size_t len = split_columns ? n : m;
  const std::size_t blocks = std::min(block_count(m, n, k), std::max<std::size_t>(1, len / 16));
  const std::size_t per = ((len + blocks - 1) / blocks + 15) / 16 * 16;  // multiples of the AVX-512 width
  parallel::for_blocks(
      blocks,
      [&](std::size_t b0, std::size_t b1) {
        for (std::size_t blk = b0; blk < b1; ++blk) {
          const std::size_t lo = blk * per, hi = std::min(len, lo + per);
          if (lo >= hi) continue;
          if (split_columns)
            call(opa, opb, I(m), I(hi - lo), I(k), alpha, a, I(lda), tb ? b + lo * ldb : b + lo, I(ldb), beta, c + lo,
                 I(ldc));
          else
            call(opa, opb, I(hi - lo), I(n), I(k), alpha, ta ? a + lo : a + lo * lda, I(lda), b, I(ldb), beta,
                 c + lo * ldc, I(ldc));
        }
      },
      1);
}
}  // namespace

void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
          const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  partitioned_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a, std::size_t lda,
          const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc) {
  partitioned_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void keep_openblas_serial() {
  openblas_set_num_threads(1);
}

}  // namespace xgrad::blas
