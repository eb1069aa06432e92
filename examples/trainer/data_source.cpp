#include "trainer/data_source.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "autograd/random.hpp"
#include "nn/data/csv.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/data/idx.hpp"
#include "nn/data/npy.hpp"
#include "trainer/column_ref.hpp"
#include "trainer/distribution_spec.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/tabular_layout.hpp"

namespace xgrad::trainer {

Tensor evaluation_features(const Tensor& x, nn::data::Binarization binarization) {
  switch (binarization) {
    case nn::data::Binarization::fixed:
      return nn::data::binarize(x, 0.5);
    case nn::data::Binarization::dynamic: {
      Generator gen(kTestBinarizationSeed);
      return nn::data::sample_binarize(x, gen);
    }
    default:
      return x;
  }
}

FashionData load_fashion_data(const DataSettings& data, bool with_train, nn::data::Binarization binarization,
                              DType dtype) {
  FashionData out;
  try {
    nn::data::FashionMnistOptions opt;
    opt.directory = data.data_dir;
    opt.dtype = dtype;
    if (with_train) {
      opt.limit = data.limit;
      out.train = nn::data::load_fashion_mnist_split(true, opt);
    }
    opt.limit = data.test_limit;
    out.test = nn::data::load_fashion_mnist_split(false, opt);
  } catch (const std::exception& e) {
    throw InputError(std::string("cannot load the dataset: ") + e.what());
  }
  out.test_x = evaluation_features(out.test.features(), binarization);
  return out;
}

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

/// " (element [a, b] of a 4x5 row)" for flat column j of an N-D array's rows, "" for 2-D rows.
std::string element_text(std::size_t j, const Shape& item) {
  if (item.size() < 2) return "";
  std::vector<std::size_t> at(item.size());
  for (std::size_t k = item.size(); k-- > 0;) at[k] = j % item[k], j /= item[k];
  std::string a, dims;
  for (std::size_t k = 0; k < item.size(); ++k) {
    a += (k ? ", " : "") + std::to_string(at[k]);
    dims += (k ? "x" : "") + std::to_string(item[k]);
  }
  return " (element [" + a + "] of a " + dims + " row)";
}

}  // namespace

nn::data::CsvOptions csv_options(const DataSettings& data) {
  nn::data::CsvOptions o;
  const std::string& d = data.delimiter;
  o.delimiter = d == "auto"        ? 0
                : d == "tab"       ? '\t'
                : d == "space"     ? ' '
                : d == "semicolon" ? ';'
                : d == "comma"     ? ','
                                   : d[0];
  o.header = data.header == "yes"  ? nn::data::CsvHeader::present
             : data.header == "no" ? nn::data::CsvHeader::absent
                                   : nn::data::CsvHeader::detect;
  return o;
}

UserTable read_user_table(const std::string& path, DType dtype, const std::string& label_column,
                          const nn::data::CsvOptions& csv) {
  std::vector<std::string> names;
  Tensor x;
  UserTable out;
  try {
    const bool npy = ends_with(path, ".npy") || ends_with(path, ".npy.gz");
    if (npy || path.find("idx") != std::string::npos || path.find("ubyte") != std::string::npos) {
      // uint8 .npy and ubyte IDX alike: value / 255 (pixels in [0,1]); the other types as stored
      x = npy ? nn::data::read_npy_as(path, DType::float64) : nn::data::read_idx(path, DType::float64).values;
      const std::size_t n = x.dim() == 0 ? 0 : x.shape()[0];
      if (x.dim() == 1) x = x.reshaped({n, 1});  // a 1-D array: one column
      out.item_shape.assign(x.shape().begin() + 1, x.shape().end());
      if (x.dim() == 3) out.image_rows = x.shape()[1], out.image_cols = x.shape()[2];
      if (x.dim() > 2) x = x.reshaped({n, x.size() / std::max<std::size_t>(n, 1)});
      x = x.to(dtype);
    } else {
      nn::data::CsvOptions opt = csv;
      opt.dtype = dtype;
      nn::data::CsvTable t = nn::data::read_csv(path, opt);
      names = t.columns;
      x = t.values;
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(std::string("cannot read --data: ") + e.what());
  }
  if (x.dim() != 2 || x.shape()[0] == 0 || x.shape()[1] == 0) throw InputError(path + ": no data rows");
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  const Tensor x64 = x.to(DType::float64);
  const double* v = x64.data<double>();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j)
      if (!std::isfinite(v[i * d + j]))
        throw InputError(path + ": data row " + std::to_string(i + 1) + ", column " +
                         nn::data::csv_column_text(j, names) + element_text(j, out.item_shape) + ": value " +
                         number_text(v[i * d + j]) + " is not finite");
  if (label_column.empty()) {
    out.data = nn::data::Dataset(x);
    out.columns = names;
    return out;
  }
  const std::size_t label = find_column(path, "--label-column", label_column, names, d);
  std::vector<int> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double l = v[i * d + label];
    if (!(l >= 0 && l == std::floor(l) && l < 1e9))
      throw InputError(path + ": data row " + std::to_string(i + 1) + ", label column " +
                       nn::data::csv_column_text(label, names) + ": value " + number_text(l) +
                       " is not a non-negative integer label");
    labels[i] = static_cast<int>(l);
  }
  std::vector<std::size_t> keep;
  for (std::size_t j = 0; j < d; ++j)
    if (j != label) keep.push_back(j);
  if (keep.empty()) throw InputError(path + ": only the label column, no features");
  Tensor features = Tensor::empty({n, keep.size()}, DType::float64);
  double* f = features.data<double>();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < keep.size(); ++k) f[i * keep.size() + k] = v[i * d + keep[k]];
  for (std::size_t k = 0; k < keep.size() && !names.empty(); ++k) out.columns.push_back(names[keep[k]]);
  out.data = nn::data::Dataset(features.to(dtype), std::move(labels));
  out.has_labels = true;
  out.image_rows = out.image_cols = 0;  // a row without one column is no longer the image
  out.item_shape.clear();
  return out;
}

namespace {

// plan.apply with its DataError (a class code outside the fitted ones) as the trainer's InputError.
Tensor apply_plan(const nn::data::ColumnPlan& plan, const Tensor& x, const std::string& what) {
  try {
    return plan.apply(x, what);
  } catch (const DataError& e) {
    throw InputError(e.what());
  }
}

// The dataset with its features mapped through the plan, labels kept.
nn::data::Dataset through_plan(const nn::data::Dataset& d, const nn::data::ColumnPlan& plan, const std::string& what) {
  const Tensor x = apply_plan(plan, d.features(), what);
  return d.has_labels() ? nn::data::Dataset(x, d.labels()) : nn::data::Dataset(x);
}

// A table's features in the plan's source order (by header name when both have names).
Tensor in_source_order(const UserTable& t, const nn::data::ColumnPlan& plan, const std::string& what) {
  try {
    return plan.to_source_order(t.data.features(), t.columns, what);
  } catch (const DataError& e) {
    throw InputError(e.what());
  }
}

}  // namespace

void check_support(const nn::ReconstructionDistribution& distribution, const Tensor& x,
                   const nn::data::ColumnPlan& plan, const std::string& path, const std::string& against) {
  try {
    distribution.validate(x);
  } catch (const nn::SupportError& e) {
    throw InputError(path + ": data row " + std::to_string(e.row() + 1) + ", column " + plan.column_text(e.column()) +
                     ": value " + number_text(e.value()) + " " + e.problem() + " (" + e.distribution() + " of " +
                     against + ")");
  }
}

ModelData read_data_for_model(const DataSettings& data, const std::string& model_path, nn::VariationalAutoencoder& vae,
                              const nn::data::ColumnPlan& plan, nn::data::Binarization binarization) {
  ModelData out;
  out.table = read_user_table(data.data_file, vae.options().dtype, data.label_column, csv_options(data));
  const Tensor source = in_source_order(out.table, plan, data.data_file + " (for the model " + model_path + ")");
  out.x = evaluation_features(apply_plan(plan, source, data.data_file), binarization);
  if (out.x.shape()[1] != vae.n_in())
    throw InputError(data.data_file + ": " + std::to_string(out.x.shape()[1]) + " columns, but the model " +
                     model_path + " was trained on " + std::to_string(vae.n_in()));
  check_support(vae.distribution(), out.x, plan, data.data_file, "the model " + model_path);
  return out;
}

FashionData load_user_data(const DataSettings& data, const std::string& distribution,
                           nn::data::Binarization binarization, DType dtype) {
  FashionData out;
  UserTable table = read_user_table(data.data_file, dtype, data.label_column, csv_options(data));
  const std::size_t width = table.data.dim();
  TabularLayout layout = tabular_layout(distribution, data.data_file, table.columns, width, data.standardize == "yes");
  try {
    layout.plan.fit_codes(table.data.features(), data.data_file);
  } catch (const DataError& e) {
    throw InputError(e.what());
  }
  out.plan = layout.plan;
  out.model_spec = layout.model_spec();
  if (out.plan.is_identity())
    out.image_rows = table.image_rows, out.image_cols = table.image_cols;
  else
    out.image_rows = out.image_cols = 0;  // reordered, scaled or expanded columns are no image
  const nn::DistributionPtr model_distribution =
      make_distribution(out.model_spec, out.plan.is_identity() ? width : out.plan.width());
  // The support, by file row and column, before the split. Standardised columns are real, so scales fitted on all
  // rows serve this check as well as the training rows' scales would.
  const auto check_file = [&](const Tensor& source, const std::string& path) {
    nn::data::ColumnPlan scaled = out.plan;
    scaled.fit_scales(source);
    Tensor x = apply_plan(scaled, source, path);
    try {
      x = evaluation_features(x, binarization);
    } catch (const DataError& e) {
      throw InputError(path + ": " + e.what());
    }
    check_support(*model_distribution, x, scaled, path, "--distribution '" + distribution + "'");
  };
  check_file(table.data.features(), data.data_file);
  nn::data::Dataset all = std::move(table.data);
  nn::data::Dataset test_file;
  if (!data.test_data_file.empty()) {
    UserTable t = read_user_table(data.test_data_file, dtype, data.label_column, csv_options(data));
    if (t.data.dim() != width)
      throw InputError(data.test_data_file + ": " + std::to_string(t.data.dim()) + " columns, but --data " +
                       data.data_file + " has " + std::to_string(width));
    const Tensor source =
        out.plan.is_identity() ? t.data.features() : in_source_order(t, out.plan, data.test_data_file);
    check_file(source, data.test_data_file);
    test_file = t.data.has_labels() ? nn::data::Dataset(source, t.data.labels()) : nn::data::Dataset(source);
  }
  if (!data.test_data_file.empty()) {
    out.train = std::move(all);
    out.test = std::move(test_file);
  } else {
    if (all.size() < 2)
      throw InputError(data.data_file + ": " + std::to_string(all.size()) + " row; a train/test split needs 2 or more");
    auto [train, test] = nn::data::train_validation_split(all, data.test_fraction, data.split_seed, true);
    if (train.size() == 0 || test.size() == 0)
      throw InputError(data.data_file + ": " + std::to_string(all.size()) + " rows are too few for --test-fraction " +
                       number_text(data.test_fraction));
    out.train = std::move(train);
    out.test = std::move(test);
  }
  if (data.limit > 0) out.train = out.train.head(data.limit);
  if (data.test_limit > 0) out.test = out.test.head(data.test_limit);
  out.plan.fit_scales(out.train.features());  // standardisation: the training rows' mean and std
  out.train = through_plan(out.train, out.plan, data.data_file);
  out.test = through_plan(out.test, out.plan, data.test_data_file.empty() ? data.data_file : data.test_data_file);
  out.test_x = evaluation_features(out.test.features(), binarization);
  return out;
}

}  // namespace xgrad::trainer
