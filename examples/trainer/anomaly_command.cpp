// `xgrad-vae anomaly`: as Deeplearning4j's VaeMNISTAnomaly example, score every test image (DL4J's
// reconstruction log-probability, or the importance-weighted log p(x)), rank the images of each class by
// score, and show per class the most typical (highest score) and least typical (lowest score) images.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
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
namespace {

/// anomaly --data FILE: every row's reconstruction log-probability and importance-weighted log p(x), as CSV
/// (index,recon_logprob,logpx[,label]); with --labels, AUROC and average precision of -score for label 1.
int anomaly_user_data(const ModelUseSettings& use, const DataSettings& ds, const AnomalySettings& an,
                      LoadedVae& model) {
  nn::VariationalAutoencoder& vae = *model.vae;
  const std::string path = output_path(use.out, use.model, "anomaly_scores.csv");
  use_threads(use.threads);
  const ModelData md = read_data_for_model(ds, use.model, vae, model.binarization());
  const Tensor& x = md.x;
  const std::size_t n = x.shape()[0];
  std::vector<int> labels;
  if (md.table.has_labels) {
    if (!an.labels_file.empty())
      throw UsageError("anomaly: give the labels as --label-column or as --labels, not both");
    labels = md.table.data.labels();
    for (std::size_t i = 0; i < n; ++i)
      if (labels[i] != 0 && labels[i] != 1)
        throw InputError(ds.data_file + ": data row " + std::to_string(i + 1) + ", label column '" + ds.label_column +
                         "': value " + std::to_string(labels[i]) + " is not 0 or 1 (1 = anomaly)");
  } else if (!an.labels_file.empty()) {
    std::ifstream in(an.labels_file);
    if (!in) throw InputError("cannot open --labels file '" + an.labels_file + "'");
    std::string line;
    std::size_t row = 0;
    while (std::getline(in, line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      ++row;
      const auto b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
      const std::string v = line.substr(b, e - b + 1);
      if (v != "0" && v != "1")
        throw InputError(an.labels_file + ": row " + std::to_string(row) + ": value '" + v + "' is not 0 or 1");
      labels.push_back(v == "1");
    }
    if (labels.size() != n)
      throw InputError(an.labels_file + ": " + std::to_string(labels.size()) + " labels, but " + ds.data_file +
                       " has " + std::to_string(n) + " rows");
  }
  ensure_writable_directory(directory_of(path));
  Progress progress(Progress::mode_from(use.progress));
  const std::vector<double> recon = recon_log_probs(vae, x, an.recon_samples, use.batch_size, use.seed, &progress);
  const std::vector<double> logpx = log_likelihoods(
      vae, x, an.k, std::max<std::size_t>(1, std::min<std::size_t>(use.batch_size, 20)), use.seed, &progress);
  progress.finish(n, "");
  std::ostringstream csv;
  csv << "index,recon_logprob,logpx" << (labels.empty() ? "" : ",label") << "\n";
  char buf[64];
  for (std::size_t i = 0; i < n; ++i) {
    csv << i;
    std::snprintf(buf, sizeof buf, ",%.6f,%.6f", recon[i], logpx[i]);
    csv << buf;
    if (!labels.empty()) csv << ',' << labels[i];
    csv << "\n";
  }
  try {
    write_file_atomic(path, csv.str());
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << n << " rows: reconstruction log-probability with " << an.recon_samples
            << " samples, log p(x) with k = " << an.k << ")\n";
  if (!labels.empty()) {
    std::vector<double> a_recon(n), a_logpx(n);  // anomaly score: the negative log-probability
    for (std::size_t i = 0; i < n; ++i) a_recon[i] = -recon[i], a_logpx[i] = -logpx[i];
    std::snprintf(buf, sizeof buf, "%.4f", auroc(a_recon, labels));
    std::cout << "AUROC (label 1 = anomaly): reconstruction log-probability " << buf;
    std::snprintf(buf, sizeof buf, "%.4f", auroc(a_logpx, labels));
    std::cout << ", log p(x) " << buf;
    std::snprintf(buf, sizeof buf, "%.4f", average_precision(a_recon, labels));
    std::cout << "; average precision " << buf;
    std::snprintf(buf, sizeof buf, "%.4f", average_precision(a_logpx, labels));
    std::cout << ", " << buf << "\n";
  }
  return kExitOk;
}

}  // namespace

int anomaly_command(const ModelUseSettings& use, const DataSettings& data_settings, const AnomalySettings& an) {
  LoadedVae model = load_vae(use.model);
  nn::VariationalAutoencoder& vae = *model.vae;
  if (vae.has_loss_function())
    throw UsageError("anomaly: the model uses a loss function (" + vae.distribution().describe() +
                     "), which has no log-probability to rank by");
  if (!data_settings.data_file.empty()) return anomaly_user_data(use, data_settings, an, model);
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
