#pragma once
// Blocks of [N,C] matrices as plain tensors (no tape): the layouts of reconstruction distributions
// ([mu | log sigma^2], composite parts) are consecutive column ranges; L samples per example are L
// stacked copies of the rows.
#include <cstddef>

#include "autograd/tensor.hpp"

namespace xgrad::nn {

/// Columns [begin, end) of a 2-D tensor, as a new [N, end-begin] tensor. Throws ShapeError when out of range.
Tensor take_columns(const Tensor& t, std::size_t begin, std::size_t end);
/// Writes src [N,k] into columns [begin, begin+k) of dst [N,C] (same dtype, same N).
void put_columns(Tensor& dst, std::size_t begin, const Tensor& src);
/// [L*N, C]: L copies of t [N,C] stacked (row l*N+n = row n).
Tensor tile_rows(const Tensor& t, std::size_t copies);

}  // namespace xgrad::nn
