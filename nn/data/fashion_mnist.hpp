#pragma once
// Fashion-MNIST (Zalando): 28x28 grey images of 10 clothing classes, 60000 training and 10000 test
// examples, as IDX files (gzip). Default location: Debian's package dataset-fashion-mnist.
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"

namespace xgrad::nn::data {

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct FashionMnistOptions {
  std::string directory = kFashionMnistDir;
  std::size_t limit = 0;   // keep only the first `limit` examples of each split (0 = all)
  double divisor = 255.0;  // pixels / divisor: 255 -> [0,1], 1 -> raw 0..255
  DType dtype = DType::float32;
};

struct FashionMnist {
  Dataset train, test;  // features [N, 784], labels 0..9
};

/// Loads both splits. A missing file raises a DataError naming its path and the Debian package.
FashionMnist load_fashion_mnist(const FashionMnistOptions& options = {});
/// One split: "train" or "t10k" files of `options.directory`.
Dataset load_fashion_mnist_split(bool train, const FashionMnistOptions& options = {});
/// "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
const std::vector<std::string>& fashion_mnist_class_names();

}  // namespace xgrad::nn::data
