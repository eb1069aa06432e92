#pragma once
// The trainer's data: Fashion-MNIST train/test splits (pixels / 255 in [0,1], labels 0..9) with the
// --limit / --test-limit subsets, and the binarisation of the evaluated test images:
//   none: grey levels as they are; static: x > 0.5; dynamic: ONE fixed Bernoulli(x) draw with
//   kTestBinarizationSeed, so every evaluation of every model sees the same binary test set.
// (Training batches under dynamic binarisation are redrawn every time, by nn::data::BatchIterator.)
#include <cstdint>

#include "autograd/tensor.hpp"
#include "nn/data/column_plan.hpp"
#include "nn/data/csv.hpp"
#include "nn/data/dataset.hpp"
#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/vae.hpp"
#include "trainer/settings.hpp"

namespace xgrad::trainer {

inline constexpr std::uint64_t kTestBinarizationSeed = 20240517;

struct FashionData {
  nn::data::Dataset train;  // empty unless requested
  nn::data::Dataset test;   // grey levels
  Tensor test_x;            // the test features as evaluated (binarised as configured)
  /// The rows' image shape; 0 x 0 for user data without one (a CSV) or whose columns a plan changed.
  std::size_t image_rows = 28, image_cols = 28;
  /// User data: the file's columns -> the model's (fitted: codes on every --data row, scales on the training
  /// rows; train and test above are already mapped), and the spec by counts the model's distribution is built from.
  nn::data::ColumnPlan plan;
  std::string model_spec;
};

/// Fashion-MNIST's rows: 1 x 28 x 28 images.
inline const nn::ImageShape kFashionImage{1, 28, 28};
/// The rows' image shape {1, rows, cols}, or {0, 0, 0} when they are no images.
inline nn::ImageShape image_of(const FashionData& data) {
  return data.image_rows && data.image_cols ? nn::ImageShape{1, data.image_rows, data.image_cols} : nn::ImageShape{};
}

/// Loads the requested splits in `dtype`. Throws InputError (naming the file and the Debian package
/// dataset-fashion-mnist) when the dataset is missing or unreadable.
FashionData load_fashion_data(const DataSettings& data, bool with_train, nn::data::Binarization binarization,
                              DType dtype);
/// The user's own data (--data FILE): rows = examples, columns = the D features, read as
/// With data.label_column, that column (read_user_table) is the labels and not a feature.
///   .npy (or .npy.gz): float32/float64 as stored, uint8 as value / 255 (like IDX ubyte pixels);
///   IDX (name containing "idx" or "ubyte", raw or .gz): any rank and element type (magic 0x08 ubyte as
///   value / 255; 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double as stored);
///   both: 1-D [N] is one column, 2-D [N, D] as is, N-D [N, d1, d2, ...] flattened to D = d1*d2*...
///   (row-major) with the item shape [d1, d2, ...] remembered (3-D: an image of d1 x d2 pixels);
///   otherwise CSV (nn/data/csv.hpp) with csv_options(data): --delimiter (auto = sniffed from the first
///   line) and --header (auto = a first line with a non-numeric field is the header).
/// The test rows are --test-data FILE (same width; by header name in any order when the columns are listed by
/// name) or round(N * test_fraction) rows drawn with split_seed.
/// `distribution` is the --distribution spec, laid over the table's columns (tabular_layout.hpp); with
/// data.standardize "yes" its real-line parts are standardised.
/// Throws InputError naming the file, row, column (and its name) and value for unreadable or non-finite cells,
/// an empty file, mismatching widths, a bad class code, or a value outside its part's support (every row of
/// both files is checked, numbered as in the file); UsageError for a spec that does not fit the columns.
FashionData load_user_data(const DataSettings& data, const std::string& distribution,
                           nn::data::Binarization binarization, DType dtype);
/// One file of user data as load_user_data reads it.
struct UserTable {
  nn::data::Dataset data;                      // [N, D] features; labelled by the label column when one is given
  std::vector<std::string> columns;            // the D feature columns' names (CSV header), empty without one
  std::size_t image_rows = 0, image_cols = 0;  // the image shape (IDX, 3-D .npy), 0 when the rows are no images
  Shape item_shape;                            // one row's shape in an .npy / IDX file ([D] for 2-D), else empty
  bool has_labels = false;
};
/// `label_column` ("" = none): a column's header name or its 1-based index; that column is removed from
/// the features and read as integer labels >= 0. Throws InputError naming the file and column when it
/// does not exist, or the row and value when a label is not a non-negative integer.
UserTable read_user_table(const std::string& path, DType dtype, const std::string& label_column = "",
                          const nn::data::CsvOptions& csv = {});
/// The CSV options of --delimiter (auto, comma, semicolon, tab, space or the character) and --header (auto, yes, no).
nn::data::CsvOptions csv_options(const DataSettings& data);

/// evaluate / reconstruct / anomaly --data: the file read as train --data reads it, its columns put through the
/// model's plan (LoadedVae::columns(): by header name when the model has names), `x` binarised as the model was
/// trained. Throws InputError naming the file and the model when a column is missing or the width is not the
/// model's, or naming the file's row and column when a value lies outside the model's distribution's support.
struct ModelData {
  UserTable table;
  Tensor x;
};
ModelData read_data_for_model(const DataSettings& data, const std::string& model_path, nn::VariationalAutoencoder& vae,
                              const nn::data::ColumnPlan& plan, nn::data::Binarization binarization);
/// distribution.validate(x) of model columns, a SupportError rethrown as InputError "<path>: data row R, column C
/// ('name'): value V <problem> (<distribution> of <against>)" with the plan's source column.
void check_support(const nn::ReconstructionDistribution& distribution, const Tensor& x,
                   const nn::data::ColumnPlan& plan, const std::string& path, const std::string& against);

/// x binarised for evaluation as described above.
Tensor evaluation_features(const Tensor& x, nn::data::Binarization binarization);

}  // namespace xgrad::trainer
