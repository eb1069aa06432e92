#pragma once
// Sliding-window geometry shared by the convolutions and the pooling ops (one spatial axis).
#include <algorithm>
#include <cstddef>
#include <string>

namespace xgrad::detail {

/// One spatial axis of a sliding window: output index i reads input rows i*stride - padding + u*dilation, u < kernel.
struct WindowAxis {
  std::size_t in = 0, kernel = 1, stride = 1, padding = 0, extra_end_padding = 0, dilation = 1;
  std::size_t extent() const { return dilation * (kernel - 1) + 1; }  // the dilated kernel's span
  std::size_t padded() const { return in + 2 * padding + extra_end_padding; }
};

/// The offsets j in [0, count) with 0 <= j*step + offset - padding < in, as [lo, hi): a kernel offset's valid output
/// positions (step = stride, offset = u*dilation) or an output position's valid kernel offsets (step = dilation,
/// offset = i*stride).
struct Span {
  std::size_t lo, hi;
};
inline Span valid_span(std::size_t count, std::size_t in, std::size_t step, std::size_t offset, std::size_t padding) {
  const std::size_t lo = offset >= padding ? 0 : (padding - offset + step - 1) / step;
  const std::size_t hi = std::min(count, in + padding <= offset ? 0 : (in + padding - offset + step - 1) / step);
  return {std::min(lo, hi), hi};
}

/// floor((in + 2p + e - d*(k-1) - 1) / s) + 1. Throws InvalidArgument naming `op` when kernel, stride or dilation is
/// 0, and ShapeError when the dilated window is larger than the padded input (an output size below 1); `what`
/// names the shapes ("x [1,3,4,4], w [2,3,5,5]") and `axis` the axis ("rows"/"columns").
std::size_t window_output_size(const char* op, const std::string& what, const char* axis, const WindowAxis& a);

}  // namespace xgrad::detail
