#include "nn/data/fashion_mnist.hpp"

#include <sys/stat.h>

#include "autograd/errors.hpp"
#include "nn/data/idx.hpp"

namespace xgrad::nn::data {

namespace {
std::string existing(const std::string& dir, const std::string& name) {
  // Debian ships the .gz files; accept an uncompressed copy too.
  const std::string gz = dir + "/" + name + ".gz";
  struct stat st {};
  if (::stat(gz.c_str(), &st) == 0) return gz;
  const std::string raw = dir + "/" + name;
  if (::stat(raw.c_str(), &st) == 0) return raw;
  throw DataError("Fashion-MNIST: " + gz +
                  " not found. Install Debian's copy with `apt-get install "
                  "dataset-fashion-mnist` (files go to " +
                  std::string(kFashionMnistDir) + "), or point the data directory at a folder holding " + name + ".gz");
}
}  // namespace

Dataset load_fashion_mnist_split(bool train, const FashionMnistOptions& options) {
  const std::string prefix = train ? "train" : "t10k";
  const std::string image_path = existing(options.directory, prefix + "-images-idx3-ubyte");
  const std::string label_path = existing(options.directory, prefix + "-labels-idx1-ubyte");
  IdxImages images = read_idx_images(image_path);
  std::vector<std::uint8_t> labels = read_idx_labels(label_path);
  if (images.count != labels.size())
    throw DataError("Fashion-MNIST: " + image_path + " holds " + std::to_string(images.count) + " images but " +
                    label_path + " holds " + std::to_string(labels.size()) + " labels");
  if (images.rows != 28 || images.cols != 28)
    throw DataError(image_path + ": byte 8: images are " + std::to_string(images.rows) + "x" +
                    std::to_string(images.cols) + ", expected 28x28 (Fashion-MNIST)");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] > 9)
      throw DataError(label_path + ": byte " + std::to_string(8 + i) + ": label " + std::to_string(labels[i]) +
                      ", expected 0..9");
  if (options.limit > 0 && options.limit < images.count) {
    images.count = options.limit;
    images.pixels.resize(options.limit * images.rows * images.cols);
    labels.resize(options.limit);
  }
  return Dataset(images_to_tensor(images, options.divisor, options.dtype),
                 std::vector<int>(labels.begin(), labels.end()), 10);
}

FashionMnist load_fashion_mnist(const FashionMnistOptions& options) {
  return {load_fashion_mnist_split(true, options), load_fashion_mnist_split(false, options)};
}

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

}  // namespace xgrad::nn::data
