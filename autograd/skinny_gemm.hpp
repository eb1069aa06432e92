#pragma once
// GEMM for products whose C has at most kSkinnyWidth rows or columns (a 2-unit latent layer's weight gradients
// and the products into and out of it):
//   C = alpha * op(A) * op(B) + beta * C, row-major, op(X) = X or X^T; C is not read when beta == 0.
// OpenBLAS packs the large operand into panels even when the other one is a sliver; these loops stream it
// once (batch 256, [256,256] operands: 1.4-2x faster). A thin depth k alone stays with OpenBLAS, which is
// faster there than these loops.
#include <cstddef>

namespace xgrad::blas {

constexpr std::size_t kSkinnyWidth = 4;

/// C[m, n] (leading dimension ldc) = beta * C, and 0 where beta == 0 whatever C held: a product's beta
/// part, alone when the depth is empty.
template <class T>
void scale_rows(T* c, std::size_t m, std::size_t n, std::size_t ldc, T beta);

/// True when min(m, n) <= kSkinnyWidth (and the product is not empty).
bool is_skinny(std::size_t m, std::size_t n, std::size_t k);

template <class T>
void skinny_gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                 std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

}  // namespace xgrad::blas
