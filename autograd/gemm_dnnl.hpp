#pragma once
// One oneDNN sgemm on the calling thread: C = alpha * op(A) * op(B) + beta * C, row-major, op(X) = X or X^T.
// Debian's oneDNN runs on OpenMP; the call sets the calling thread's OpenMP team size to 1 for its duration
// (and restores it), so oneDNN never starts an OpenMP pool beside TBB's and its result does not depend on
// OMP_NUM_THREADS. oneDNN's own checks (e.g. lda < k for op(A) = A) throw InvalidArgument naming the shape; without
// oneDNN in the build (gemm_backend.hpp: has_dnnl) every call throws InvalidArgument.
#include <cstddef>

namespace xgrad::blas {

void dnnl_gemm_serial(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
                      const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                      std::size_t ldc);

}  // namespace xgrad::blas
