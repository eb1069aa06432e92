#pragma once
// The report of `xgrad-vae anomaly --data FILE` (anomaly.md) and its pictures:
//   - what was scored: the data file, the model, the number of rows (or images, when the rows have an image shape),
//     and the two scores' definitions: DL4J's reconstruction log-probability (1/n) sum_l log p(x|z_l), z_l ~ q(z|x),
//     and the importance-weighted log p(x) ~ log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x); both are higher for
//     more typical rows, and the anomaly score is their negative;
//   - with labels (1 = anomaly): AUROC and average precision of each anomaly score (ranking.hpp) and the ROC curves;
//   - the `top` most typical (highest score) and least typical (lowest) rows by their 0-based row index, and for
//     image-shaped rows a PNG of them.
#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "trainer/image.hpp"

namespace xgrad::trainer {

/// The rows with the `k` highest scores (highest first) and the `k` lowest (lowest first); equal scores in row
/// order. k is cut to the number of rows.
struct TypicalRows {
  std::vector<std::size_t> most, least;
};
TypicalRows typical_rows(const std::vector<double>& score, std::size_t k);

struct AnomalyReportInputs {
  std::string data_file, model,
      model_description;  // e.g. "gaussian(identity), latent 4, 200 epochs, binarisation none"
  std::string command_line;
  bool images = false;               // the rows are images: the report says "images", not "rows"
  std::vector<double> recon, logpx;  // per row: reconstruction log-probability and log p(x)
  std::size_t recon_samples = 0, k = 0;
  std::vector<int> labels;     // empty, or one 0/1 per row (1 = anomaly)
  std::string labels_source;   // e.g. "--labels labels.txt"
  bool rank_by_logpx = false;  // the typical rows by log p(x), else by the reconstruction log-probability
  std::size_t top = 10;
  std::string scores_file, roc_file, typical_file;  // names of the files beside the report ("" = none)
};

/// The Markdown text; throws InvalidArgument when the per-row vectors differ in length.
std::string anomaly_report_markdown(const AnomalyReportInputs& in);
/// ROC curves of both anomaly scores (-recon, -logpx) against labels, with the chance diagonal.
Image roc_picture(const std::vector<double>& recon, const std::vector<double>& logpx, const std::vector<int>& labels);
/// The typical rows of x [N, height*width] as two rows of tiles ("most typical", "least typical"), shown as grey
/// levels: as they are when every value of x is in [0, 1], else scaled by x's minimum and maximum.
Image typical_picture(const Tensor& x, const TypicalRows& rows, std::size_t height, std::size_t width);

}  // namespace xgrad::trainer
