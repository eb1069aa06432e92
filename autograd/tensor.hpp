#pragma once
// Tensor: a materialised, dtype-tagged xtensor array (float32 for training, float64 for gradient
// checks). Row-major, contiguous. Values are never lazy expressions.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <variant>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/errors.hpp"

namespace xgrad {

enum class DType { float32, float64 };

const char* dtype_name(DType dtype);

template <class T>
using Array = xt::xarray<T>;
using Shape = Array<float>::shape_type;

/// "[2,3]"
std::string shape_string(const Shape& shape);
std::size_t shape_size(const Shape& shape);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() { return DType::float32; }
template <>
constexpr DType dtype_of<double>() { return DType::float64; }

class Tensor {
 public:
  /// An undefined tensor (no storage); defined() is false.
  Tensor() = default;
  Tensor(Array<float> values) : data_(std::move(values)) {}   // NOLINT(implicit)
  Tensor(Array<double> values) : data_(std::move(values)) {}  // NOLINT(implicit)

  /// Uninitialised storage of the given shape.
  static Tensor empty(const Shape& shape, DType dtype = DType::float32);
  static Tensor zeros(const Shape& shape, DType dtype = DType::float32);
  static Tensor full(const Shape& shape, double value, DType dtype = DType::float32);
  /// A 0-d tensor (shape {}, one element).
  static Tensor scalar(double value, DType dtype = DType::float32);
  /// Row-major values with the given shape; values.size() must equal the shape's size.
  static Tensor from(const Shape& shape, const std::vector<double>& values, DType dtype = DType::float32);

  bool defined() const { return data_.index() != 0; }
  DType dtype() const;
  const Shape& shape() const;
  std::size_t dim() const { return shape().size(); }
  std::size_t size() const;

  template <class T>
  Array<T>& array();
  template <class T>
  const Array<T>& array() const;
  template <class T>
  T* data() { return array<T>().data(); }
  template <class T>
  const T* data() const { return array<T>().data(); }

  /// Calls f(Array<T>&) with the stored array (T = float or double).
  template <class F>
  decltype(auto) visit(F&& f) {
    check_defined("Tensor::visit");
    if (auto* a = std::get_if<Array<float>>(&data_)) return f(*a);
    return f(std::get<Array<double>>(data_));
  }
  template <class F>
  decltype(auto) visit(F&& f) const {
    check_defined("Tensor::visit");
    if (auto* a = std::get_if<Array<float>>(&data_)) return f(*a);
    return f(std::get<Array<double>>(data_));
  }

  Tensor to(DType dtype) const;
  Tensor clone() const;
  /// The same values with another shape of the same size.
  Tensor reshaped(const Shape& shape) const;
  /// Element at a flat (row-major) index, as double.
  double at(std::size_t flat_index) const;
  void set(std::size_t flat_index, double value);
  /// The single element of a size-1 tensor.
  double item() const;
  std::vector<double> to_vector() const;
  /// Multi-line text of the values (for printing small tensors).
  std::string str() const;

 private:
  void check_defined(const char* where) const;
  std::variant<std::monostate, Array<float>, Array<double>> data_;
};

extern template Array<float>& Tensor::array<float>();
extern template Array<double>& Tensor::array<double>();
extern template const Array<float>& Tensor::array<float>() const;
extern template const Array<double>& Tensor::array<double>() const;

}  // namespace xgrad
