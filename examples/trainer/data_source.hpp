#pragma once
// The trainer's data: Fashion-MNIST train/test splits (pixels / 255 in [0,1], labels 0..9) with the
// --limit / --test-limit subsets, and the binarisation of the evaluated test images:
//   none: grey levels as they are; static: x > 0.5; dynamic: ONE fixed Bernoulli(x) draw with
//   kTestBinarizationSeed, so every evaluation of every model sees the same binary test set.
// (Training batches under dynamic binarisation are redrawn every time, by nn::data::BatchIterator.)
#include <cstdint>

#include "autograd/tensor.hpp"
#include "nn/data/dataset.hpp"
#include "trainer/settings.hpp"

namespace xgrad::trainer {

inline constexpr std::uint64_t kTestBinarizationSeed = 20240517;

struct FashionData {
  nn::data::Dataset train;  // empty unless requested
  nn::data::Dataset test;   // grey levels
  Tensor test_x;            // the test features as evaluated (binarised as configured)
};

/// Loads the requested splits in `dtype`. Throws InputError (naming the file and the Debian package
/// dataset-fashion-mnist) when the dataset is missing or unreadable.
FashionData load_fashion_data(const DataSettings& data, bool with_train, nn::data::Binarization binarization,
                              DType dtype);
/// x binarised for evaluation as described above.
Tensor evaluation_features(const Tensor& x, nn::data::Binarization binarization);

}  // namespace xgrad::trainer
