#include "autograd/tensor.hpp"

#include <malloc.h>

#include <cstdlib>
#include <sstream>

#include <xtensor/xio.hpp>

namespace xgrad {

namespace {
// glibc returns freed blocks >= 128 KiB (and trims the heap) to the OS; every tape clear then makes the
// next forward pass page-fault its buffers back in (~1 ms per MiB on this kind of VM, toolchain note 4).
// Keeping freed memory in the process makes buffer reuse effective. XGRAD_KEEP_SYSTEM_MALLOC=1 opts out.
const bool g_malloc_tuned = [] {
  if (const char* v = std::getenv("XGRAD_KEEP_SYSTEM_MALLOC"); v && *v && *v != '0') return false;
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return true;
}();
}  // namespace

const char* dtype_name(DType dtype) { return dtype == DType::float32 ? "float32" : "float64"; }

std::string shape_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

Tensor Tensor::empty(const Shape& shape, DType dtype) {
  if (dtype == DType::float32) return Tensor(Array<float>::from_shape(shape));
  return Tensor(Array<double>::from_shape(shape));
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) { return full(shape, 0.0, dtype); }

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  t.visit([&](auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    std::fill(a.data(), a.data() + a.size(), static_cast<T>(value));
  });
  return t;
}

Tensor Tensor::scalar(double value, DType dtype) { return full(Shape{}, value, dtype); }

Tensor Tensor::from(const Shape& shape, const std::vector<double>& values, DType dtype) {
  if (values.size() != shape_size(shape))
    throw ShapeError("Tensor::from: shape " + shape_string(shape) + " has " + std::to_string(shape_size(shape)) +
                     " elements but " + std::to_string(values.size()) + " values were given");
  Tensor t = empty(shape, dtype);
  t.visit([&](auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    for (std::size_t i = 0; i < values.size(); ++i) a.data()[i] = static_cast<T>(values[i]);
  });
  return t;
}

void Tensor::check_defined(const char* where) const {
  if (!defined()) throw GraphError(std::string(where) + ": the tensor is undefined (no storage)");
}

DType Tensor::dtype() const {
  check_defined("Tensor::dtype");
  return data_.index() == 1 ? DType::float32 : DType::float64;
}

const Shape& Tensor::shape() const {
  return visit([](const auto& a) -> const Shape& { return a.shape(); });
}

std::size_t Tensor::size() const {
  return visit([](const auto& a) { return a.size(); });
}

template <class T>
Array<T>& Tensor::array() {
  check_defined("Tensor::array");
  auto* a = std::get_if<Array<T>>(&data_);
  if (!a)
    throw InvalidArgument(std::string("Tensor::array: the tensor holds ") + dtype_name(dtype()) + ", not " +
                          dtype_name(dtype_of<T>()));
  return *a;
}

template <class T>
const Array<T>& Tensor::array() const {
  return const_cast<Tensor*>(this)->array<T>();
}

template Array<float>& Tensor::array<float>();
template Array<double>& Tensor::array<double>();
template const Array<float>& Tensor::array<float>() const;
template const Array<double>& Tensor::array<double>() const;

Tensor Tensor::to(DType target) const {
  if (dtype() == target) return *this;
  return visit([&](const auto& a) -> Tensor {
    if (target == DType::float32) {
      Array<float> out = Array<float>::from_shape(a.shape());
      std::copy(a.data(), a.data() + a.size(), out.data());
      return out;
    }
    Array<double> out = Array<double>::from_shape(a.shape());
    std::copy(a.data(), a.data() + a.size(), out.data());
    return out;
  });
}

Tensor Tensor::clone() const { return *this; }

Tensor Tensor::reshaped(const Shape& new_shape) const {
  if (shape_size(new_shape) != size())
    throw ShapeError("Tensor::reshaped: cannot reshape " + shape_string(shape()) + " to " + shape_string(new_shape));
  Tensor t = *this;
  t.visit([&](auto& a) { a.reshape(new_shape); });
  return t;
}

double Tensor::at(std::size_t i) const {
  return visit([&](const auto& a) -> double {
    if (i >= a.size())
      throw InvalidArgument("Tensor::at: flat index " + std::to_string(i) + " out of range for shape " +
                            shape_string(a.shape()));
    return static_cast<double>(a.data()[i]);
  });
}

void Tensor::set(std::size_t i, double value) {
  visit([&](auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    if (i >= a.size())
      throw InvalidArgument("Tensor::set: flat index " + std::to_string(i) + " out of range for shape " +
                            shape_string(a.shape()));
    a.data()[i] = static_cast<T>(value);
  });
}

double Tensor::item() const {
  if (size() != 1)
    throw InvalidArgument("Tensor::item: needs exactly one element, shape is " + shape_string(shape()));
  return at(0);
}

std::vector<double> Tensor::to_vector() const {
  return visit([](const auto& a) { return std::vector<double>(a.data(), a.data() + a.size()); });
}

std::string Tensor::str() const {
  if (!defined()) return "<undefined>";
  std::ostringstream os;
  visit([&](const auto& a) { os << a; });
  return os.str();
}

}  // namespace xgrad
