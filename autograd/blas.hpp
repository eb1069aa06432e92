#pragma once
// GEMM, row-major, transposes as flags (no copies), into a pre-sized output:
//   C = alpha * op(A) * op(B) + beta * C,  op(X) = X or X^T.
// Each block below runs single-threaded on the library gemm_backend.hpp picks by its shape: oneDNN's sgemm for
// most float blocks (when built with it), xgrad's skinny loops for a C a few columns wide, OpenBLAS otherwise and
// for double; XGRAD_GEMM=auto|openblas|dnnl or set_backend forces one.
// The product is cut into 1 to max_blocks() blocks by its shape - rows or columns of C, or the depth k with the
// partial products summed in block order - each slicing the storage rows of the largest operand (or the kept
// one, except that a depth cut gives way to rows of C once C is over 4x the kept operand); the blocks
// run as TBB tasks (parallel::for_blocks), each a single-threaded library call, so the result is
// bit-identical for any thread count (OpenBLAS's and oneDNN's own threading is not) and a weight matrix stays with the
// same core in every product and in the optimizer (bench/README.md). Kept in its own translation unit: <cblas.h>
// clashes with xtensor-blas (toolchain note 6). gemm_batch runs several products' blocks in one parallel region, each
// block optionally followed by a `finish` callback on its part of C (an epilogue such as bias + activation, applied
// while the block is in cache).
#include <cstddef>
#include <functional>
#include <vector>

#include "autograd/gemm_backend.hpp"

namespace xgrad::blas {

/// The operand whose storage rows the blocks slice: the weight matrix, when the caller knows it (dense: b in
/// the forward product and the input gradient, c for the weight gradient); by default the largest one.
enum class Keep { largest, a, b, c };

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
          Keep keep = Keep::largest);
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
          std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc,
          Keep keep = Keep::largest);

/// One product on the calling thread, never cut (one single-threaded call of the library the backend picks): for
/// callers that run their own fixed partition in parallel, such as the convolutions' chunks of the batch
/// (ops/conv.cpp).
void gemm_serial(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                 std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc);
void gemm_serial(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
                 std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc);

/// Rows [row_begin, row_end) and columns [col_begin, col_end) of a product's C.
struct Region {
  std::size_t row_begin, row_end, col_begin, col_end;
};

/// One product C = alpha * op(A) * op(B) + beta * C of a gemm_batch (fields as in gemm). `finish`, if set, is
/// called once for each region of a partition of C (never empty), as soon as that region holds its final value,
/// on the thread that wrote it; regions of one product may be finished concurrently.
template <class T>
struct Product {
  bool trans_a = false, trans_b = false;
  std::size_t m = 0, n = 0, k = 0;
  T alpha = 1;
  const T* a = nullptr;
  std::size_t lda = 0;
  const T* b = nullptr;
  std::size_t ldb = 0;
  T beta = 0;
  T* c = nullptr;
  std::size_t ldc = 0;
  Keep keep = Keep::largest;
  std::function<void(const Region&)> finish;
};

/// One product, with its finish.
void gemm(const Product<float>& product);
void gemm(const Product<double>& product);
/// Every product's blocks (cut as gemm cuts them) in one parallel region: one wait for all instead of one per
/// product. The blocks are dealt in order of their position within their product, so each thread keeps to the
/// same part of every operand as in a lone gemm. A product's C must not overlap another's operands or C.
void gemm_batch(const std::vector<Product<float>>& products);
void gemm_batch(const std::vector<Product<double>>& products);

/// The most blocks a product of at least 32 MFLOP is cut into: the machine's hardware threads, clamped to 2..4,
/// fixed for the process so that results do not depend on set_num_threads (OpenBLAS's last bits depend on
/// where a product is cut). set_max_blocks (2, 3 or 4) changes it; tests use it to reach every cut.
std::size_t max_blocks();
void set_max_blocks(std::size_t n);

/// Sets OpenBLAS's own pool back to one thread (xgrad's blocks are the parallelism); set_num_threads calls it.
void keep_openblas_serial();

}  // namespace xgrad::blas
