// `xgrad-vae anomaly`: as Deeplearning4j's VaeMNISTAnomaly example, score every test image (DL4J's
// reconstruction log-probability, or the importance-weighted log p(x)), rank the images of each class by
// score, and show per class the most typical (highest score) and least typical (lowest score) images.
// With --data FILE: both scores of every row, the report anomaly.md with AUROC / average precision / ROC curves when
// labelled, and the most and least typical rows (anomaly_report.hpp).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "nn/data/fashion_mnist.hpp"
#include "trainer/anomaly_report.hpp"
#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/png.hpp"
#include "trainer/ranking.hpp"
#include "trainer/tile_grid.hpp"

namespace xgrad::trainer {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The 0/1 labels (1 = anomaly) of the n rows: the label column or the --labels file (one per line, blank lines
/// only at its end), or none. Throws InputError naming the file, row and value of a label that is not 0 or 1, a
/// count that is not n, or labels of one class only.
std::vector<int> read_labels(const DataSettings& ds, const AnomalySettings& an, const ModelData& md,
                             std::string& source) {
  const std::size_t n = md.x.shape()[0];
  std::vector<int> labels;
  if (md.table.has_labels) {
    source = "column '" + ds.label_column + "' of `" + ds.data_file + "`";
    labels = md.table.data.labels();
    for (std::size_t i = 0; i < n; ++i)
      if (labels[i] != 0 && labels[i] != 1)
        throw InputError(ds.data_file + ": data row " + std::to_string(i + 1) + ", label column '" + ds.label_column +
                         "': value " + std::to_string(labels[i]) + " is not 0 or 1 (1 = anomaly)");
  } else if (!an.labels_file.empty()) {
    source = "`" + an.labels_file + "`";
    std::ifstream in(an.labels_file);
    if (!in) throw InputError("cannot open --labels file '" + an.labels_file + "'");
    std::string line;
    std::size_t blank_line = 0;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      const auto b = line.find_first_not_of(" \t\r");
      if (b == std::string::npos) {
        if (blank_line == 0) blank_line = number;
        continue;
      }
      const std::string v = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
      if (blank_line != 0)
        throw InputError(an.labels_file + ": line " + std::to_string(blank_line) +
                         " is blank, but more labels follow (one 0/1 per line)");
      if (v != "0" && v != "1")
        throw InputError(an.labels_file + ": line " + std::to_string(number) + " (label row " +
                         std::to_string(labels.size() + 1) + "): value '" + v + "' is not 0 or 1 (1 = anomaly)");
      labels.push_back(v == "1");
    }
    if (labels.size() != n)
      throw InputError(an.labels_file + ": " + std::to_string(labels.size()) + " labels, but " + ds.data_file +
                       " has " + std::to_string(n) + " rows");
  }
  const std::size_t anomalies = static_cast<std::size_t>(std::count(labels.begin(), labels.end(), 1));
  if (!labels.empty() && (anomalies == 0 || anomalies == n))
    throw InputError(
        (md.table.has_labels ? ds.data_file + ": label column '" + ds.label_column + "'" : an.labels_file) + ": all " +
        std::to_string(n) + " labels are " + (anomalies == 0 ? "0" : "1") +
        "; AUROC and average precision need both 1 (anomaly) and 0 (normal)");
  return labels;
}

/// anomaly --data FILE: every row's reconstruction log-probability and importance-weighted log p(x) as CSV
/// (index,recon_logprob,logpx[,label]), and the report anomaly.md (anomaly_report.hpp) with anomaly_roc.png when
/// labelled and anomaly_typical.png when the rows are images, all in one directory: --out when it is one,
/// else --out's directory (--out FILE.csv) or the model's.
int anomaly_user_data(const ModelUseSettings& use, const DataSettings& ds, const AnomalySettings& an, LoadedVae& model,
                      const std::string& command_line) {
  nn::VariationalAutoencoder& vae = *model.vae;
  if (!ds.label_column.empty() && !an.labels_file.empty())
    throw UsageError("anomaly: give the labels as --label-column or as --labels, not both");
  const bool csv_given = ends_with(use.out, ".csv");
  const std::string dir = use.out.empty() ? directory_of(use.model) : csv_given ? directory_of(use.out) : use.out;
  const std::string path = csv_given ? use.out : (fs::path(dir) / "anomaly_scores.csv").string();
  use_threads(use.threads);
  const ModelData md = read_data_for_model(ds, use.model, vae, model.columns(), model.binarization());
  const Tensor& x = md.x;
  const std::size_t n = x.shape()[0], d = x.shape()[1];
  const bool images = md.table.image_rows * md.table.image_cols == d && d > 0;
  AnomalyReportInputs report;
  report.labels = read_labels(ds, an, md, report.labels_source);
  const std::vector<int>& labels = report.labels;
  ensure_writable_directory(dir);
  Progress progress(Progress::mode_from(use.progress));
  if (!images) progress.set_unit("rows");
  report.recon = recon_log_probs(vae, x, an.recon_samples, use.batch_size, use.seed, &progress);
  progress.finish(n, "");
  report.logpx = log_likelihoods(vae, x, an.k, std::max<std::size_t>(1, std::min<std::size_t>(use.batch_size, 20)),
                                 use.seed, &progress);
  progress.finish(n, "");
  const std::vector<double>&recon = report.recon, &logpx = report.logpx;
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
  report.data_file = ds.data_file;
  report.model = use.model;
  report.model_description = vae.distribution().describe() + ", latent " + std::to_string(vae.n_out()) + ", " +
                             std::to_string(model.epochs_completed()) +
                             (model.epochs_completed() == 1 ? " epoch" : " epochs") + ", binarisation " +
                             nn::data::binarization_name(model.binarization());
  report.command_line = command_line;
  report.images = images;
  report.recon_samples = an.recon_samples;
  report.k = an.k;
  report.rank_by_logpx = an.score == "logpx";
  report.top = an.top;
  report.scores_file = fs::path(path).filename().string();
  const std::string report_path = (fs::path(dir) / "anomaly.md").string();
  std::vector<std::string> written{path};
  try {
    write_file_atomic(path, csv.str());
    if (!labels.empty()) {
      report.roc_file = "anomaly_roc.png";
      written.push_back((fs::path(dir) / report.roc_file).string());
      write_png(written.back(), roc_picture(recon, logpx, labels));
    }
    if (images) {
      report.typical_file = "anomaly_typical.png";
      written.push_back((fs::path(dir) / report.typical_file).string());
      const TypicalRows t = typical_rows(report.rank_by_logpx ? logpx : recon, an.top);
      write_png(written.back(), typical_picture(md.table.data.features(), t, md.table.image_rows, md.table.image_cols));
    }
    write_file_atomic(report_path, anomaly_report_markdown(report));
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  const std::string unit = images ? "images" : "rows";
  std::cout << "wrote " << path << " (" << n << " " << unit << ": reconstruction log-probability with "
            << an.recon_samples << " samples, log p(x) with k = " << an.k << ")\n";
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
  std::cout << "wrote " << report_path;
  for (std::size_t i = 1; i < written.size(); ++i) std::cout << (i == 1 ? " with " : ", ") << written[i];
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

int anomaly_command(const ModelUseSettings& use, const DataSettings& data_settings, const AnomalySettings& an,
                    const std::string& command_line) {
  LoadedVae model = load_vae(use.model);
  nn::VariationalAutoencoder& vae = *model.vae;
  if (vae.has_loss_function())
    throw UsageError("anomaly: the model uses a loss function (" + vae.distribution().describe() +
                     "), which has no log-probability to rank by");
  if (!data_settings.data_file.empty()) return anomaly_user_data(use, data_settings, an, model, command_line);
  if (!an.labels_file.empty()) throw UsageError("anomaly: --labels needs --data (the labels of the data file's rows)");
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
