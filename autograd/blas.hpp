#pragma once
// GEMM on OpenBLAS's CBLAS, row-major, transposes as flags (no copies), into a pre-sized output:
//   C = alpha * op(A) * op(B) + beta * C,  op(X) = X or X^T.
// Kept in its own translation unit: <cblas.h> clashes with xtensor-blas (toolchain note 6).
#include <cstddef>

namespace xgrad::blas {

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc);
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
          std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc);

/// OpenBLAS's own thread pool size (process-global). Use xgrad::set_num_threads instead.
void set_threads(int n);

}  // namespace xgrad::blas
