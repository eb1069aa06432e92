#include "autograd/ops/window.hpp"

#include "autograd/errors.hpp"

namespace xgrad::detail {

std::size_t window_output_size(const char* op, const std::string& what, const char* axis, const WindowAxis& a) {
  const auto n = [](std::size_t v) { return std::to_string(v); };
  if (a.kernel == 0 || a.stride == 0 || a.dilation == 0)
    throw InvalidArgument(std::string(op) + ": " + what + ": " +
                          (a.kernel == 0   ? "kernel"
                           : a.stride == 0 ? "stride"
                                           : "dilation") +
                          " along the " + axis + " is 0 (must be >= 1)");
  if (a.extent() > a.padded())
    throw ShapeError(std::string(op) + ": " + what + ": the kernel along the " + axis + " (" + n(a.kernel) +
                     ", dilation " + n(a.dilation) + ": extent " + n(a.extent()) +
                     ") is larger than the padded input (" + n(a.in) + " + padding " + n(a.padding) + " + " +
                     n(a.padding + a.extra_end_padding) + " = " + n(a.padded()) +
                     "): the output size would be below 1");
  return (a.padded() - a.extent()) / a.stride + 1;
}

}  // namespace xgrad::detail
