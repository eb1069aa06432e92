// `xgrad-vae anomaly`: as Deeplearning4j's VaeMNISTAnomaly example, score every test image (DL4J's
// reconstruction log-probability, or the importance-weighted log p(x)), rank the images of each class by
// score, and show per class the most typical (highest score) and least typical (lowest score) images.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "nn/data/fashion_mnist.hpp"
#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/png.hpp"
#include "trainer/tile_grid.hpp"

namespace xgrad::trainer {

int anomaly_command(const ModelUseSettings& use, const DataSettings& data_settings, const AnomalySettings& an) {
  LoadedVae model = load_vae(use.model);
  nn::VariationalAutoencoder& vae = *model.vae;
  if (vae.has_loss_function())
    throw UsageError("anomaly: the model uses a loss function (" + vae.distribution().describe() +
                     "), which has no log-probability to rank by");
  const std::string path = output_path(use.out, use.model, "anomaly.png");
  use_threads(use.threads);
  const FashionData data = load_fashion_data(data_settings, false, model.binarization(), vae.options().dtype);
  ensure_writable_directory(directory_of(path));
  const Tensor& x = data.test_x;
  const std::size_t n = x.shape()[0];

  Progress progress(Progress::mode_from(use.progress));
  const bool logpx = an.score == "logpx";
  const std::vector<double> score =
      logpx ? log_likelihoods(vae, x, an.k, std::max<std::size_t>(1, std::min<std::size_t>(use.batch_size, 20)),
                              use.seed, &progress)
            : recon_log_probs(vae, x, an.recon_samples, use.batch_size, use.seed, &progress);
  progress.finish(n, "");

  const auto& names = nn::data::fashion_mnist_class_names();
  const std::vector<int>& labels = data.test.labels();
  std::vector<TileRow> rows;
  std::ostringstream csv;
  csv << "index,label,class,score,rank_in_class\n";
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < n; ++i)
      if (labels[i] == static_cast<int>(c)) idx.push_back(i);
    if (idx.empty()) continue;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    for (std::size_t r = 0; r < idx.size(); ++r)
      csv << idx[r] << ',' << c << ',' << names[c] << ',' << score[idx[r]] << ',' << r + 1 << "\n";
    const std::size_t k = std::min(an.per_class, idx.size());
    std::vector<std::size_t> best(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k));
    std::vector<std::size_t> worst(idx.end() - static_cast<std::ptrdiff_t>(k), idx.end());
    std::reverse(worst.begin(), worst.end());  // least typical first
    // shown in grey levels (easier to judge by eye than a binary draw); scored as the model sees them
    const Tensor& shown = data.test.features();
    rows.push_back({names[c], {nn::data::gather_rows(shown, best), nn::data::gather_rows(shown, worst)}});
  }
  const std::string what = logpx ? "log p(x)" : "reconstruction log-probability";
  const Image img = tile_rows(rows, {"most typical", "least typical"}, TileLayout{});
  const std::string csv_path = std::filesystem::path(path).replace_extension(".csv").string();
  try {
    write_png(path, img);
    write_file_atomic(csv_path, csv.str());
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (per class the " << an.per_class << " most and least typical test images by "
            << what << ") and " << csv_path << " (every test image's score and rank in its class)\n";
  return kExitOk;
}

}  // namespace xgrad::trainer
