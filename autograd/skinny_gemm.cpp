#include "autograd/skinny_gemm.hpp"

#include <algorithm>
#include <vector>

namespace xgrad::blas {
namespace {
template <class T>
T dot(const T* x, const T* y, std::size_t n) {
  T s = 0;
#pragma omp simd reduction(+ : s)
  for (std::size_t p = 0; p < n; ++p) s += x[p] * y[p];
  return s;
}

// The rows of op(X) (rows x cols) as a contiguous copy; only ever of the small operand (at most 4 rows).
template <class T>
std::vector<T> rows_of(bool trans, const T* x, std::size_t ld, std::size_t rows, std::size_t cols) {
  std::vector<T> out(rows * cols);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t q = 0; q < cols; ++q) out[r * cols + q] = trans ? x[q * ld + r] : x[r * ld + q];
  return out;
}
}  // namespace

template <class T>
void scale_rows(T* c, std::size_t m, std::size_t n, std::size_t ldc, T beta) {
  for (std::size_t i = 0; i < m; ++i) {
    T* row = c + i * ldc;
    if (beta == T(0)) {
      std::fill(row, row + n, T(0));
    } else if (beta != T(1)) {
#pragma omp simd
      for (std::size_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
}
template void scale_rows<float>(float*, std::size_t, std::size_t, std::size_t, float);
template void scale_rows<double>(double*, std::size_t, std::size_t, std::size_t, double);

bool is_skinny(std::size_t m, std::size_t n, std::size_t k) {
  return m > 0 && n > 0 && k > 0 && std::min(m, n) <= kSkinnyWidth;
}

template <class T>
void skinny_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a, std::size_t lda,
                 const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (n <= kSkinnyWidth) {                                    // n columns of C
    const std::vector<T> bcols = rows_of(!tb, b, ldb, n, k);  // column j of op(B), contiguous
    if (!ta) {                                                // C(i,j) = dot(A row i, op(B) column j)
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          T& cij = c[i * ldc + j];
          const T prod = alpha * dot(a + i * lda, bcols.data() + j * k, k);
          cij = beta == T(0) ? prod : beta * cij + prod;
        }
    } else {  // A stored [k, m]: accumulate column j of C over the rows p of A, read once
      std::vector<T> acc(n * m, T(0));
      for (std::size_t p = 0; p < k; ++p) {
        const T* ap = a + p * lda;
        for (std::size_t j = 0; j < n; ++j) {
          const T s = bcols[j * k + p];
          T* accj = acc.data() + j * m;
#pragma omp simd
          for (std::size_t i = 0; i < m; ++i) accj[i] += s * ap[i];
        }
      }
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          T& cij = c[i * ldc + j];
          cij = beta == T(0) ? alpha * acc[j * m + i] : beta * cij + alpha * acc[j * m + i];
        }
    }
  } else {                                                   // m <= kSkinnyWidth: m rows of C
    const std::vector<T> arows = rows_of(ta, a, lda, m, k);  // row i of op(A), contiguous
    scale_rows(c, m, n, ldc, beta);
    if (!tb) {  // C row i += alpha op(A)(i,p) B row p: each row of B read once for the m rows of C
      for (std::size_t p = 0; p < k; ++p) {
        const T* bp = b + p * ldb;
        for (std::size_t i = 0; i < m; ++i) {
          const T s = alpha * arows[i * k + p];
          T* row = c + i * ldc;
#pragma omp simd
          for (std::size_t j = 0; j < n; ++j) row[j] += s * bp[j];
        }
      }
    } else {  // B stored [n, k]: C(i,j) += alpha dot(op(A) row i, B row j)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t i = 0; i < m; ++i) c[i * ldc + j] += alpha * dot(arows.data() + i * k, b + j * ldb, k);
    }
  }
}

template void skinny_gemm<float>(bool, bool, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t,
                                 const float*, std::size_t, float, float*, std::size_t);
template void skinny_gemm<double>(bool, bool, std::size_t, std::size_t, std::size_t, double, const double*, std::size_t,
                                  const double*, std::size_t, double, double*, std::size_t);

}  // namespace xgrad::blas
