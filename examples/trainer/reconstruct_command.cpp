// `xgrad-vae reconstruct`: test images beside their reconstructions.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/pictures.hpp"
#include "trainer/png.hpp"

namespace xgrad::trainer {

namespace {

/// reconstruct --data FILE: a picture when the rows are images (IDX, 3-D .npy), else reconstructions.csv:
/// row (0-based), then each column's value and its reconstruction (the mean of p(x|z) at z = mu(x)), in the file's
/// columns and units when the model has a column plan (standardisation undone, a one-hot group as its most
/// probable class code).
int reconstruct_user_data(const ModelUseSettings& use, const DataSettings& ds, const SampleSettings& sample,
                          LoadedVae& model) {
  const nn::data::ColumnPlan plan = model.columns();
  const ModelData md = read_data_for_model(ds, use.model, *model.vae, plan, model.binarization());
  const std::size_t n = std::min(sample.count, md.x.shape()[0]);
  const std::size_t d = plan.is_identity() ? md.x.shape()[1] : plan.source_width();
  const bool image = plan.is_identity() && md.table.image_rows * md.table.image_cols == d && d > 0;
  const std::vector<std::string>& names = plan.is_identity() ? md.table.columns : plan.source_names();
  const std::string path = output_path(use.out, use.model, image ? "reconstructions.png" : "reconstructions.csv");
  ensure_writable_directory(directory_of(path));
  use_threads(use.threads);
  try {
    if (image) {
      TileLayout layout;
      layout.tile_height = md.table.image_rows, layout.tile_width = md.table.image_cols;
      write_png(path, reconstructions_picture(*model.vae, md.x, n, sample.cols, layout));
    } else {
      const Tensor xs = row_range(md.x, 0, n);
      const Tensor x64 = plan.inverse(xs).to(DType::float64);
      const Tensor r64 = plan.inverse(reconstruct_at_mean(*model.vae, xs)).to(DType::float64);
      const double* xv = x64.data<double>();
      const double* rv = r64.data<double>();
      std::ostringstream csv;
      csv << "row";
      for (std::size_t j = 0; j < d; ++j) {
        const std::string name = j < names.size() ? names[j] : "x" + std::to_string(j + 1);
        csv << ',' << name << ',' << name << "_reconstructed";
      }
      csv << "\n";
      char buf[64];
      for (std::size_t i = 0; i < n; ++i) {
        csv << i;
        for (std::size_t j = 0; j < d; ++j) {
          std::snprintf(buf, sizeof buf, ",%.6g,%.6g", xv[i * d + j], rv[i * d + j]);
          csv << buf;
        }
        csv << "\n";
      }
      write_file_atomic(path, csv.str());
    }
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << n << " rows of " << ds.data_file << " and their reconstructions"
            << (image ? ", as " + std::to_string(md.table.image_rows) + "x" + std::to_string(md.table.image_cols) +
                            " images)\n"
                      : ": each column's value and its reconstruction)\n");
  return kExitOk;
}

}  // namespace

int reconstruct_command(const ModelUseSettings& use, const DataSettings& data_settings, const SampleSettings& sample) {
  LoadedVae model = load_vae(use.model);
  if (!data_settings.data_file.empty()) return reconstruct_user_data(use, data_settings, sample, model);
  const std::string path = output_path(use.out, use.model, "reconstructions.png");
  ensure_writable_directory(directory_of(path));
  use_threads(use.threads);
  const FashionData data = load_fashion_data(data_settings, false, model.binarization(), model.vae->options().dtype);
  const Image img = reconstructions_picture(*model.vae, data.test_x, sample.count, sample.cols);
  try {
    write_png(path, img);
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << std::min(sample.count, data.test.size())
            << " test images and their reconstructions)\n";
  return kExitOk;
}

}  // namespace xgrad::trainer
