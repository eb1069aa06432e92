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
/// The user's own data (--data FILE): rows = examples, columns = the D features, read as
///   .npy: float32/float64, 2-D [N, D] or N-D [N, d1, d2, ...] flattened to D = d1*d2*...;
///   IDX (name containing "idx" or "ubyte", raw or .gz): pixels / 255, D = rows*cols;
///   otherwise CSV: ',' or ';' or tab (whichever the first line has), a header when the first line
///   has a non-numeric field.
/// The test rows are --test-data FILE (same width) or round(N * test_fraction) rows drawn with split_seed.
/// Throws InputError naming the file, row, column (and its name) and value for unreadable or
/// non-finite cells, an empty file or mismatching widths.
FashionData load_user_data(const DataSettings& data, nn::data::Binarization binarization, DType dtype);
/// One file of user data as an unlabelled [N, D] dataset (as load_user_data reads it).
nn::data::Dataset read_user_table(const std::string& path, DType dtype);

/// x binarised for evaluation as described above.
Tensor evaluation_features(const Tensor& x, nn::data::Binarization binarization);

}  // namespace xgrad::trainer
