#pragma once
// NumPy .npy files (format 1.0-3.0) of little-endian float32 ('<f4'), float64 ('<f8') or uint8 ('|u1')
// arrays, C or Fortran order (Fortran is transposed into row-major on read). Writes format 1.0, C order.
// uint8 arrays are read as value / 255 by default, the way IDX ubyte images are (images_to_tensor), so
// the same pixels give the same numbers from either format.
// Errors are DataErrors naming the file, the byte offset and what was expected.
#include <string>

#include "autograd/tensor.hpp"

namespace xgrad::nn::data {

/// The array with its dtype and shape as stored (float32/float64; a uint8 file is a DataError: use read_npy_as).
Tensor read_npy(const std::string& path);
/// Any of the three dtypes converted to `dtype` (shape as stored); uint8 values are divided by uint8_divisor
/// (255: [0, 1]; 1: the codes 0..255 as they are).
Tensor read_npy_as(const std::string& path, DType dtype, double uint8_divisor = 255.0);
/// Like read_npy, but requires the given dtype and shape (DataError naming both otherwise).
Tensor read_npy(const std::string& path, DType dtype, const Shape& shape);
void write_npy(const std::string& path, const Tensor& tensor);

}  // namespace xgrad::nn::data
