#include "autograd/blas.hpp"

#include <cblas.h>

#include <algorithm>
#include <memory>

#include "autograd/parallel.hpp"
#include "autograd/skinny_gemm.hpp"

extern "C" int blas_thread_shutdown_(void) __attribute__((weak));  // OpenBLAS (pthreads build)

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

// One block's product: the skinny loops when a dimension is tiny, else single-threaded OpenBLAS.
template <class T>
void product(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a, std::size_t lda,
             const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (is_skinny(m, n, k)) return skinny_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  const auto I = [](std::size_t v) { return static_cast<int>(v); };
  call(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, I(m), I(n), I(k), alpha, a, I(lda), b, I(ldb),
       beta, c, I(ldc));
}

// Number of blocks for m*n*k multiply-adds: a function of the shape only, never of the thread count. A large
// operand is cut in two even in a small product, as the optimizers cut it (parallel::kLargeOperand), but a
// product under 1 MFLOP stays whole: two blocks of it cost more than they save (the dl4j model's 256x2 heads
// at batch 256: 20-25 us per product either way, and the step 1.5-5 % faster whole).
std::size_t block_count(std::size_t m, std::size_t n, std::size_t k) {
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const std::size_t largest = std::max({m * k, k * n, m * n});
  if (flops < 1e6) return 1;
  if (flops < 4e6) return largest >= parallel::kLargeOperand ? 2 : 1;
  return flops < 32e6 ? 2 : 4;
}

// How C = op(A) op(B) is cut into blocks. Each block reads (or, for C, writes) contiguous storage rows of the
// largest of A, B and C, so a large operand - typically a weight matrix, read by the forward product and by the
// input gradient, written by the weight gradient and the optimizer - is touched by the same blocks (and, with
// TBB's static partition, the same core) in every product: a core that writes cache lines the other core has
// read pays a coherence round trip per line (measured: a 392k-float update 4.7x slower, bench/README.md).
enum class Split { c_rows, c_columns, depth };

Split choose_split(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, Keep keep) {
  if (keep == Keep::largest) {
    const double a = double(m) * double(k), b = double(k) * double(n), c = double(m) * double(n);
    keep = c >= a && c >= b ? Keep::c : b >= a ? Keep::b : Keep::a;  // ties: no partial products
  }
  switch (keep) {
    case Keep::b:
      return tb ? Split::c_columns : Split::depth;  // storage rows of B: op(B)'s columns or rows
    case Keep::a:
      return ta ? Split::depth : Split::c_rows;  // storage rows of A: op(A)'s columns or rows
    default:
      return Split::c_rows;
  }
}

std::size_t extent(Split split, std::size_t m, std::size_t n, std::size_t k) {
  return split == Split::c_rows ? m : split == Split::c_columns ? n : k;
}

template <class T>
void partitioned_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                      std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Keep keep) {
  const std::size_t wanted = block_count(m, n, k);
  Split split = choose_split(ta, tb, m, n, k, keep);
  if (extent(split, m, n, k) / 16 < wanted) split = n >= m ? Split::c_columns : Split::c_rows;  // too thin to cut
  const std::size_t len = extent(split, m, n, k);
  // At most two depth blocks: each further one costs an m x n partial product written and summed.
  const std::size_t cap = split == Split::depth ? 2 : 4;
  const std::size_t blocks = std::min({wanted, cap, std::max<std::size_t>(1, len / 16)});
  // Equal blocks (2 threads take half the work each); column blocks start at multiples of the AVX-512 width.
  const std::size_t align = split == Split::c_columns ? 16 : 1;
  const auto start = [&](std::size_t blk) {
    return blk >= blocks ? len : (len * blk / blocks + align / 2) / align * align;
  };
  // A depth split sums partial products: block 0 into C (with beta), the others into their own m x n buffer.
  const bool summed = split == Split::depth && blocks > 1;
  const std::unique_ptr<T[]> partial(summed ? new T[(blocks - 1) * m * n] : nullptr);  // written before read
  parallel::for_blocks(
      blocks,
      [&](std::size_t b0, std::size_t b1) {
        for (std::size_t blk = b0; blk < b1; ++blk) {
          const std::size_t lo = start(blk), hi = start(blk + 1);
          switch (split) {
            case Split::c_columns:
              product(ta, tb, m, hi - lo, k, alpha, a, lda, tb ? b + lo * ldb : b + lo, ldb, beta, c + lo, ldc);
              break;
            case Split::c_rows:
              product(ta, tb, hi - lo, n, k, alpha, ta ? a + lo : a + lo * lda, lda, b, ldb, beta, c + lo * ldc, ldc);
              break;
            case Split::depth: {
              T* out = blk == 0 ? c : partial.get() + (blk - 1) * m * n;
              product(ta, tb, m, n, hi - lo, alpha, ta ? a + lo * lda : a + lo, lda, tb ? b + lo : b + lo * ldb, ldb,
                      blk == 0 ? beta : T(0), out, blk == 0 ? ldc : n);
              break;
            }
          }
        }
      },
      1);
  if (!summed) return;
  parallel::for_rows(m, n, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t i = r0; i < r1; ++i)
      for (std::size_t blk = 1; blk < blocks; ++blk) {
        const T* src = partial.get() + (blk - 1) * m * n + i * n;
        T* dst = c + i * ldc;
        for (std::size_t j = 0; j < n; ++j) dst[j] += src[j];
      }
  });
}
}  // namespace

void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t lda,
          const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc, Keep keep) {
  partitioned_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, keep);
}

void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a, std::size_t lda,
          const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc, Keep keep) {
  partitioned_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, keep);
}

void keep_openblas_serial() {
  openblas_set_num_threads(1);
  // OpenBLAS starts its pool at load and the idle pool threads spin (sched_yield) for about 0.1 s before they
  // sleep: on two cores that halves a short program's second core. xgrad never uses the pool, so stop it
  // (OpenBLAS restarts it if a caller later asks it for threads). Weak: OpenMP builds of OpenBLAS lack it.
  if (blas_thread_shutdown_) blas_thread_shutdown_();
}

}  // namespace xgrad::blas
