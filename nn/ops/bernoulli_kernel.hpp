#pragma once
// One row of the Bernoulli log-likelihood with logits, vectorised with xsimd (its own file: GCC 12 warns
// falsely inside the AVX-512 intrinsics of xsimd's float log, GCC bug 105593, so only this file is exempt).
#include <cstddef>

namespace xgrad::nn {

/// Returns sum_j [x_j r_j - softplus(r_j)] over the d columns (accumulated in double) and, when g is not
/// null, writes g_j = x_j - sigmoid(r_j). T is float or double.
template <class T>
T bernoulli_logits_row(const T* x, const T* r, T* g, std::size_t d);

}  // namespace xgrad::nn
