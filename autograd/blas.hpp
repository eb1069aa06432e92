#pragma once
// GEMM on OpenBLAS's CBLAS, row-major, transposes as flags (no copies), into a pre-sized output:
//   C = alpha * op(A) * op(B) + beta * C,  op(X) = X or X^T.
// The product is cut into 1, 2 or 4 blocks by the shape alone - rows or columns of C, or the depth k with the
// partial products summed in block order - each slicing the storage rows of the largest operand; the blocks
// run as TBB tasks (parallel::for_blocks), each a single-threaded OpenBLAS call, so the result is
// bit-identical for any thread count (OpenBLAS's own threading is not) and a weight matrix stays with the same
// core in every product and in the optimizer (bench/README.md).
// Kept in its own translation unit: <cblas.h> clashes with xtensor-blas (toolchain note 6).
#include <cstddef>

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

/// Sets OpenBLAS's own pool back to one thread (xgrad's blocks are the parallelism); set_num_threads calls it.
void keep_openblas_serial();

}  // namespace xgrad::blas
