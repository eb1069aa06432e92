#pragma once
// report.md of a training run (the examples called images, or rows for tabular data): what was trained (settings
// table), the final figures (train/test negative ELBO with its reconstruction and KL terms, bits/dim of the test bound,
// time, speed), the per-epoch table, and the pictures, with a note on what the numbers mean.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trainer/metrics.hpp"

namespace xgrad::trainer {

struct ReportInputs {
  nlohmann::json settings;   // effective config (config.json)
  std::string architecture;  // e.g. "784-256-[16]-256-784, bernoulli(sigmoid)"
  std::size_t parameters = 0;
  std::size_t train_images = 0, test_images = 0;
  std::vector<EpochMetrics> metrics;
  double total_seconds = 0;      // whole run (training, evaluation, pictures)
  double images_per_second = 0;  // training throughput
  int threads = 1;
  std::vector<std::pair<std::string, std::string>> pictures;  // (file name, caption)
  std::string command_line;
  std::string data_description = "Fashion-MNIST";  // what was trained on
  std::size_t dims = 784;                          // D, for bits/dim
  bool images = true;                              // the examples are images ("images"), else table rows ("rows")
};

/// The Markdown text.
std::string report_markdown(const ReportInputs& in);
/// Writes it to `path` atomically.
void write_report(const std::string& path, const ReportInputs& in);

}  // namespace xgrad::trainer
