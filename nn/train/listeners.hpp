#pragma once
// Training listeners, called by Network::fit and Network::pretrain (DL4J's TrainingListener role):
// on_fit_start (once per fit/pretrain_layer call), on_iteration (after every optimizer step, with the
// minibatch score), on_epoch_end (after each epoch, with the epoch's mean score), on_fit_end.
// A listener may ask the network to stop after the current epoch (Network::request_stop).
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"

namespace xgrad::nn {

class Network;

struct FitInfo {
  std::string phase;        // "fit" or "pretrain layer <i>"
  std::size_t first_epoch;  // index of the first epoch this call runs (continues from earlier calls)
  std::size_t epochs;       // epochs this call runs
  std::size_t num_batches;  // per epoch
  std::size_t examples;     // per epoch
};

struct IterationInfo {
  std::size_t epoch;      // epoch index (0-based, counted across fit calls)
  std::size_t iteration;  // optimizer steps so far in this phase, including this one
  std::size_t batch;      // 0-based index of this batch in its epoch
  std::size_t num_batches;
  std::size_t batch_size;  // examples in this batch
  double score;            // the minibatch objective (mean loss + regularisation)
};

struct EpochInfo {
  std::size_t epoch;
  std::size_t iteration;
  double mean_score;  // example-weighted mean of the epoch's minibatch scores
  double seconds;
  std::size_t examples;
};

class TrainingListener {
 public:
  virtual ~TrainingListener() = default;
  virtual void on_fit_start(Network&, const FitInfo&) {}
  virtual void on_iteration(Network&, const IterationInfo&) {}
  virtual void on_epoch_end(Network&, const EpochInfo&) {}
  virtual void on_fit_end(Network&) {}
};

/// Prints "iteration <i> (epoch <e>): score <s>" every n iterations and keeps every reported score.
class ScoreEveryN : public TrainingListener {
 public:
  explicit ScoreEveryN(std::size_t n, std::ostream* out = nullptr /* std::cout */);
  void on_iteration(Network&, const IterationInfo& info) override;
  /// (iteration, score) of every report.
  const std::vector<std::pair<std::size_t, double>>& history() const { return history_; }

 private:
  std::size_t n_;
  std::ostream* out_;
  std::vector<std::pair<std::size_t, double>> history_;
};

/// Seconds as "m:ss" or "h:mm:ss" (rounded); "?" when not finite or negative (an unknown ETA).
std::string format_clock(double seconds);

/// One line per epoch: "epoch 2/5 [=====>    ] 312/600 loss 0.4213 18250 samples/s ETA 0:03" (epochs
/// counted across fit calls, so a resumed run shows "epoch 5/6"; loss = the epoch's running mean).
/// On a terminal (stdout is a tty) the line is redrawn in place with '\r'; otherwise (a file, a pipe,
/// CI) a plain line is printed every `plain_every` of the epoch's batches (and at its end).
class ProgressBar : public TrainingListener {
 public:
  enum class Mode { automatic, terminal, plain };
  explicit ProgressBar(std::ostream* out = nullptr /* std::cout */, Mode mode = Mode::automatic,
                       double plain_every = 0.25);
  void on_fit_start(Network&, const FitInfo& info) override;
  void on_iteration(Network&, const IterationInfo& info) override;
  void on_epoch_end(Network&, const EpochInfo& info) override;
  bool terminal() const { return terminal_; }

 private:
  std::string line(const IterationInfo& info, bool final) const;
  std::ostream* out_;
  bool terminal_;
  double plain_every_;
  FitInfo fit_{};
  std::chrono::steady_clock::time_point epoch_start_;
  double score_sum_ = 0;
  std::size_t examples_ = 0, next_report_ = 0;
  IterationInfo last_{};
};

/// Appends one CSV row per epoch: phase,epoch,iteration,train_score,validation_score,seconds,examples_per_second
/// (validation_score is empty without a validation set). The file is truncated at construction unless
/// `append` (then the header is written only to an empty file). Flushed after every row.
class CsvMetricsLog : public TrainingListener {
 public:
  explicit CsvMetricsLog(const std::string& path, const data::Dataset* validation = nullptr, bool append = false);
  void on_fit_start(Network&, const FitInfo& info) override;
  void on_epoch_end(Network& net, const EpochInfo& info) override;

 private:
  std::string path_;
  const data::Dataset* validation_;
  std::ofstream out_;
  std::string phase_;
};

/// Stops training when the validation score (Network::score, lower is better) has not improved by more
/// than min_delta for `patience` consecutive epochs. With restore_best the parameters of the best epoch
/// are put back when the fit ends.
class EarlyStopping : public TrainingListener {
 public:
  EarlyStopping(const data::Dataset& validation, std::size_t patience, double min_delta = 0, bool restore_best = true);
  void on_fit_start(Network&, const FitInfo&) override;
  void on_epoch_end(Network& net, const EpochInfo& info) override;
  void on_fit_end(Network& net) override;
  double best_score() const { return best_score_; }
  std::size_t best_epoch() const { return best_epoch_; }
  bool stopped() const { return stopped_; }
  /// Validation score after every epoch.
  const std::vector<double>& scores() const { return scores_; }

 private:
  const data::Dataset& validation_;
  std::size_t patience_;
  double min_delta_;
  bool restore_best_;
  double best_score_ = 0;
  std::size_t best_epoch_ = 0, bad_epochs_ = 0;
  bool stopped_ = false, have_best_ = false;
  std::vector<double> scores_;
  std::vector<Tensor> best_params_;
};

/// Every n epochs saves the whole training state (Network::save: configuration, parameters, optimizer
/// state, epoch/iteration counters, data-iterator and layer random-generator states) to `path`, atomically.
/// "{epoch}" in the path is replaced by the number of completed epochs (otherwise the file is overwritten).
/// Network::load(path) followed by fit with the same options continues exactly as an uninterrupted run.
/// During pretraining the file holds the parameters after every n pretraining epochs (pretraining itself
/// restarts its epoch count when called again).
class Checkpoint : public TrainingListener {
 public:
  Checkpoint(std::string path, std::size_t every_n_epochs = 1);
  void on_fit_start(Network&, const FitInfo& info) override;
  void on_epoch_end(Network& net, const EpochInfo& info) override;
  /// Paths written so far.
  const std::vector<std::string>& saved() const { return saved_; }

 private:
  std::string path_;
  std::size_t every_;
  bool fit_phase_ = true;
  std::vector<std::string> saved_;
};

}  // namespace xgrad::nn
