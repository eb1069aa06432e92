#include "trainer/anomaly_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "autograd/errors.hpp"
#include "nn/data/dataset.hpp"
#include "trainer/plot.hpp"
#include "trainer/ranking.hpp"
#include "trainer/tile_grid.hpp"

namespace xgrad::trainer {
namespace {

std::string fixed(double v, int decimals = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::vector<double> negated(const std::vector<double>& v) {
  std::vector<double> out(v.size());
  std::transform(v.begin(), v.end(), out.begin(), [](double a) { return -a; });
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const char* kReconName = "reconstruction log-probability";
const char* kLogpxName = "log p(x)";

}  // namespace

TypicalRows typical_rows(const std::vector<double>& score, std::size_t k) {
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  k = std::min(k, order.size());
  TypicalRows t;
  t.most.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  t.least.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k));
  return t;
}

Image roc_picture(const std::vector<double>& recon, const std::vector<double>& logpx, const std::vector<int>& labels) {
  const std::vector<double> a_recon = negated(recon), a_logpx = negated(logpx);
  const RocCurve r = roc_curve(a_recon, labels), l = roc_curve(a_logpx, labels);
  LinePlot p;
  p.title = "ROC curve (label 1 = anomaly)";
  p.xlabel = "false positive rate";
  p.ylabel = "true positive rate";
  p.width = 640;
  p.height = 600;
  p.legend_bottom = true;
  p.series = {{std::string(kReconName) + " (AUROC " + fixed(auroc(a_recon, labels), 3) + ")", r.false_positive_rate,
               r.true_positive_rate, palette_color(0), false},
              {std::string(kLogpxName) + " (AUROC " + fixed(auroc(a_logpx, labels), 3) + ")", l.false_positive_rate,
               l.true_positive_rate, palette_color(1), false},
              {"chance", {0.0, 1.0}, {0.0, 1.0}, palette_color(7), false}};
  return render(p);
}

Image typical_picture(const Tensor& x, const TypicalRows& rows, std::size_t height, std::size_t width) {
  const Tensor x64 = x.to(DType::float64);
  const std::vector<double> v = x64.to_vector();
  const auto [lo_it, hi_it] = std::minmax_element(v.begin(), v.end());
  const double lo = v.empty() ? 0 : *lo_it, hi = v.empty() ? 1 : *hi_it;
  Tensor shown = x64;
  if (lo < 0 || hi > 1) {
    std::vector<double> s(v.size());
    const double w = hi > lo ? hi - lo : 1;
    std::transform(v.begin(), v.end(), s.begin(), [&](double a) { return (a - lo) / w; });
    shown = Tensor::from(x64.shape(), s, DType::float64);
  }
  TileLayout layout;
  layout.tile_height = height;
  layout.tile_width = width;
  layout.scale =
      std::max<std::size_t>(2, (56 + std::max(height, width) - 1) / std::max<std::size_t>(1, std::max(height, width)));
  return tile_rows({{"most typical", {nn::data::gather_rows(shown, rows.most)}},
                    {"least typical", {nn::data::gather_rows(shown, rows.least)}}},
                   {}, layout);
}

std::string anomaly_report_markdown(const AnomalyReportInputs& in) {
  const std::size_t n = in.recon.size();
  if (in.logpx.size() != n || (!in.labels.empty() && in.labels.size() != n))
    throw InvalidArgument("anomaly_report_markdown: " + std::to_string(n) + " reconstruction log-probabilities, " +
                          std::to_string(in.logpx.size()) + " log p(x) and " + std::to_string(in.labels.size()) +
                          " labels");
  const std::string unit = in.images ? "image" : "row", units = unit + "s";
  std::ostringstream md;
  md << "# xgrad-vae anomaly report\n\n";
  md << "Scored " << n << " " << (n == 1 ? unit : units) << " of `" << in.data_file << "` with the model `" << in.model
     << "` (" << in.model_description << ").\n\n";
  if (!in.command_line.empty()) md << "Command: `" << in.command_line << "`\n\n";

  md << "## Scores\n\n";
  md << "Two scores per " << unit << ", both log-probabilities in nats (higher = more typical of the training data; "
     << "the anomaly score is the negative):\n\n";
  md << "- **" << kReconName << "** (DL4J's `reconstructionLogProbability`, n = " << in.recon_samples
     << " samples): (1/n) sum_l log p(x | z_l) with z_l ~ q(z|x). It ignores the prior p(z), so it is not a "
        "likelihood.\n";
  md << "- **" << kLogpxName << "**, importance-weighted with k = " << in.k
     << " samples: log (1/k) sum_i p(x | z_i) p(z_i) / q(z_i | x) with z_i ~ q(z|x), an estimate of the log-likelihood "
        "whose expectation is a lower bound on log p(x) that tightens as k grows (k = 1: the ELBO).\n\n";
  md << "| score | mean | min | median | max |\n|---|---:|---:|---:|---:|\n";
  for (const auto& [name, s] : {std::pair{kReconName, &in.recon}, std::pair{kLogpxName, &in.logpx}})
    if (n > 0)
      md << "| " << name << " | " << fixed(std::accumulate(s->begin(), s->end(), 0.0) / static_cast<double>(n), 3)
         << " | " << fixed(*std::min_element(s->begin(), s->end()), 3) << " | " << fixed(median(*s), 3) << " | "
         << fixed(*std::max_element(s->begin(), s->end()), 3) << " |\n";
  md << "\n";
  if (!in.scores_file.empty())
    md << "Every " << unit << "'s scores: `" << in.scores_file << "` (columns index,recon_logprob,logpx"
       << (in.labels.empty() ? "" : ",label") << "; index = the 0-based " << unit << " of the data file"
       << (in.images ? "" : ", not counting a header line") << ").\n\n";

  if (!in.labels.empty()) {
    const std::size_t pos = static_cast<std::size_t>(std::count(in.labels.begin(), in.labels.end(), 1));
    const std::vector<double> a_recon = negated(in.recon), a_logpx = negated(in.logpx);
    md << "## Detection\n\n";
    md << "Labels: " << in.labels_source << ": " << pos << " anomalies (label 1) and " << n - pos << " normal " << units
       << " (label 0). Each anomaly score (the negated log-probability) ranks the " << units
       << "; AUROC = P(a random anomaly scores higher than a random normal " << unit
       << ", ties counting 1/2), average precision = sum over the thresholds of (recall step) x precision.\n\n";
    md << "| anomaly score | AUROC | average precision |\n|---|---:|---:|\n";
    md << "| -" << kReconName << " | " << fixed(auroc(a_recon, in.labels)) << " | "
       << fixed(average_precision(a_recon, in.labels)) << " |\n";
    md << "| -" << kLogpxName << " | " << fixed(auroc(a_logpx, in.labels)) << " | "
       << fixed(average_precision(a_logpx, in.labels)) << " |\n";
    md << "| chance | 0.5000 | " << fixed(static_cast<double>(pos) / static_cast<double>(n)) << " |\n\n";
    if (!in.roc_file.empty()) md << "![ROC curves](" << in.roc_file << ")\n\n";
  }

  const std::vector<double>& rank_score = in.rank_by_logpx ? in.logpx : in.recon;
  const TypicalRows t = typical_rows(rank_score, in.top);
  const std::string by = in.rank_by_logpx ? kLogpxName : kReconName;
  md << "## Most and least typical " << units << "\n\n";
  md << "By " << by << " (`--score`), the " << t.most.size() << " highest and the " << t.least.size() << " lowest; "
     << unit << " = the 0-based index in the data file, as in the scores file.\n\n";
  for (const auto& [title, rows] : {std::pair{"Most typical (highest " + by + ")", &t.most},
                                    std::pair{"Least typical (lowest " + by + ")", &t.least}}) {
    md << "**" << title << "**\n\n| rank | " << unit << " | " << kReconName << " | " << kLogpxName << " |"
       << (in.labels.empty() ? "" : " label |") << "\n|---:|---:|---:|---:|" << (in.labels.empty() ? "" : "---:|")
       << "\n";
    for (std::size_t r = 0; r < rows->size(); ++r) {
      const std::size_t i = (*rows)[r];
      md << "| " << r + 1 << " | " << i << " | " << fixed(in.recon[i], 3) << " | " << fixed(in.logpx[i], 3) << " |";
      if (!in.labels.empty()) md << " " << in.labels[i] << " |";
      md << "\n";
    }
    md << "\n";
  }
  if (!in.typical_file.empty())
    md << "![The most typical (top row) and least typical (bottom row) " << units << "](" << in.typical_file
       << ")\n\n(shown as the data file holds them, scored as the model sees them: binarised when it was trained "
          "on binarised data)\n\n";
  return md.str();
}

}  // namespace xgrad::trainer
