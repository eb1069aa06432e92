#pragma once
// Fashion-MNIST for the examples: the first `short_limit` images of each split with --short (what the tests
// run), else the first `full_limit` (0 = all).
#include "example_args.hpp"
#include "nn/data/fashion_mnist.hpp"

namespace xgrad::examples {

inline nn::data::FashionMnist load_fashion_mnist(const ExampleArgs& args, std::size_t short_limit = 2000,
                                                 std::size_t full_limit = 0) {
  nn::data::FashionMnistOptions options;
  options.limit = args.short_mode ? short_limit : full_limit;
  return nn::data::load_fashion_mnist(options);
}

}  // namespace xgrad::examples
