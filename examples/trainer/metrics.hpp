#pragma once
// Per-epoch training metrics and their CSV file (metrics.csv). All losses are in nats per image:
//   neg_elbo = recon + kl, recon = -E_q[log p(x|z)] (the reconstruction term), kl = KL(q(z|x) || N(0,I))
// (with beta != 1 or KL warm-up the training loss weights kl differently; neg_elbo is always the true
// negative ELBO). train_* are means over the epoch's minibatches while training (NaN when the objective
// is IWAE: its loss is train_loss); test_* are measured after the epoch. Columns:
//   epoch,train_loss,train_neg_elbo,train_recon,train_kl,test_neg_elbo,test_recon,test_kl,kl_weight,seconds
#include <string>
#include <vector>

namespace xgrad::trainer {

struct EpochMetrics {
  std::size_t epoch = 0;  // 1-based
  double train_loss = 0;  // the minimised objective (incl. beta, regularisation)
  double train_neg_elbo = 0, train_recon = 0, train_kl = 0;
  double test_neg_elbo = 0, test_recon = 0, test_kl = 0;
  double kl_weight = 1;
  double seconds = 0;  // training time of the epoch (test evaluation excluded)
};

/// The header line (without newline).
const std::string& metrics_csv_header();
/// Writes header and rows to `path` atomically (temporary file, then rename); throws DataError.
void write_metrics_csv(const std::string& path, const std::vector<EpochMetrics>& rows);
/// Reads a file written by write_metrics_csv; throws DataError naming the file and line.
std::vector<EpochMetrics> read_metrics_csv(const std::string& path);

}  // namespace xgrad::trainer
