#pragma once
// NumPy .npy files (format 1.0-3.0) of little-endian float32 ('<f4') or float64 ('<f8') arrays, C or
// Fortran order (Fortran is transposed into row-major on read). Writes format 1.0, C order.
// Errors are DataErrors naming the file, the byte offset and what was expected.
#include <string>

#include "autograd/tensor.hpp"

namespace xgrad::nn::data {

/// The array with its dtype and shape as stored.
Tensor read_npy(const std::string& path);
/// Like read_npy, but requires the given dtype and shape (DataError naming both otherwise).
Tensor read_npy(const std::string& path, DType dtype, const Shape& shape);
void write_npy(const std::string& path, const Tensor& tensor);

}  // namespace xgrad::nn::data
