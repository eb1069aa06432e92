#include "nn/train/listeners.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "autograd/errors.hpp"
#include "nn/train/network.hpp"

namespace xgrad::nn {

std::string format_clock(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long>(std::lround(seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// ---- ScoreEveryN

ScoreEveryN::ScoreEveryN(std::size_t n, std::ostream* out) : n_(n), out_(out ? out : &std::cout) {
  if (n_ == 0) throw InvalidArgument("ScoreEveryN: n must be >= 1");
}

void ScoreEveryN::on_iteration(Network&, const IterationInfo& info) {
  if (info.iteration % n_ != 0) return;
  history_.emplace_back(info.iteration, info.score);
  *out_ << "iteration " << info.iteration << " (epoch " << info.epoch << "): score " << info.score << "\n";
  out_->flush();
}

// ---- ProgressBar

ProgressBar::ProgressBar(std::ostream* out, Mode mode, double plain_every)
    : out_(out ? out : &std::cout), plain_every_(plain_every) {
  if (!(plain_every > 0 && plain_every <= 1))
    throw InvalidArgument("ProgressBar: plain_every must be in (0, 1], got " + std::to_string(plain_every));
  terminal_ = mode == Mode::terminal || (mode == Mode::automatic && out_ == &std::cout && ::isatty(STDOUT_FILENO));
}

void ProgressBar::on_fit_start(Network&, const FitInfo& info) {
  fit_ = info;
  score_sum_ = 0;
  examples_ = 0;
  next_report_ = 0;
  epoch_start_ = std::chrono::steady_clock::now();
}

std::string ProgressBar::line(const IterationInfo& info, bool final) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
  const std::size_t done = info.batch + 1;
  const double rate = elapsed > 0 ? static_cast<double>(examples_) / elapsed : 0;
  const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(info.num_batches - done) : 0;
  const int width = 24;
  const int filled = static_cast<int>(width * done / std::max<std::size_t>(info.num_batches, 1));
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(width, ' ');
  char buf[256];
  const std::string phase = fit_.phase == "fit" ? "" : fit_.phase + " ";
  std::snprintf(buf, sizeof buf, "%sepoch %zu/%zu [%s] %zu/%zu loss %.4f %.0f samples/s %s %s", phase.c_str(),
                info.epoch + 1, fit_.first_epoch + fit_.epochs, bar.c_str(), done, info.num_batches,
                examples_ ? score_sum_ / static_cast<double>(examples_) : 0.0, rate, final ? "time" : "ETA",
                format_clock(final ? elapsed : eta).c_str());
  return buf;
}

void ProgressBar::on_iteration(Network&, const IterationInfo& info) {
  if (info.batch == 0) {
    epoch_start_ = std::chrono::steady_clock::now();
    score_sum_ = 0;
    examples_ = 0;
    next_report_ = 0;
  }
  score_sum_ += info.score * static_cast<double>(info.batch_size);
  examples_ += info.batch_size;
  last_ = info;
  if (terminal_) {
    *out_ << "\r" << line(info, false) << "\033[K";
    out_->flush();
    return;
  }
  const std::size_t done = info.batch + 1;
  if (done >= next_report_ && done < info.num_batches) {
    if (next_report_ > 0) *out_ << line(info, false) << "\n";
    const auto step = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(plain_every_ * static_cast<double>(info.num_batches))));
    next_report_ = (done / step + 1) * step;
    out_->flush();
  }
}

void ProgressBar::on_epoch_end(Network&, const EpochInfo& info) {
  if (examples_ == 0) return;
  IterationInfo end = last_;
  end.epoch = info.epoch;
  *out_ << (terminal_ ? "\r" : "") << line(end, true) << (terminal_ ? "\033[K\n" : "\n");
  out_->flush();
}

// ---- CsvMetricsLog

CsvMetricsLog::CsvMetricsLog(const std::string& path, const data::Dataset* validation, bool append)
    : path_(path), validation_(validation) {
  bool empty = true;
  if (append) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    empty = !in || in.tellg() == 0;
  }
  out_.open(path, append ? std::ios::app : std::ios::trunc);
  if (!out_) throw DataError("CsvMetricsLog: cannot open " + path + " for writing");
  if (empty) out_ << "phase,epoch,iteration,train_score,validation_score,seconds,examples_per_second\n";
  out_.flush();
}

void CsvMetricsLog::on_fit_start(Network&, const FitInfo& info) {
  phase_ = info.phase;
}

void CsvMetricsLog::on_epoch_end(Network& net, const EpochInfo& info) {
  std::string val;
  if (validation_) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", net.score(*validation_));
    val = buf;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s,%zu,%zu,%.9g,%s,%.3f,%.1f\n", phase_.c_str(), info.epoch + 1, info.iteration,
                info.mean_score, val.c_str(), info.seconds,
                info.seconds > 0 ? static_cast<double>(info.examples) / info.seconds : 0.0);
  out_ << buf;
  out_.flush();
  if (!out_) throw DataError("CsvMetricsLog: write to " + path_ + " failed");
}

// ---- EarlyStopping

EarlyStopping::EarlyStopping(const data::Dataset& validation, std::size_t patience, double min_delta, bool restore_best)
    : validation_(validation), patience_(patience), min_delta_(min_delta), restore_best_(restore_best) {
  if (patience_ == 0) throw InvalidArgument("EarlyStopping: patience must be >= 1");
  if (!(min_delta_ >= 0)) throw InvalidArgument("EarlyStopping: min_delta must be >= 0");
}

void EarlyStopping::on_fit_start(Network&, const FitInfo&) {
  have_best_ = false;
  stopped_ = false;
  bad_epochs_ = 0;
  scores_.clear();
  best_params_.clear();
}

void EarlyStopping::on_epoch_end(Network& net, const EpochInfo& info) {
  const double s = net.score(validation_);
  scores_.push_back(s);
  if (!have_best_ || s < best_score_ - min_delta_) {
    have_best_ = true;
    best_score_ = s;
    best_epoch_ = info.epoch;
    bad_epochs_ = 0;
    if (restore_best_) {
      best_params_.clear();
      for (const auto& v : net.parameters()) best_params_.push_back(v.value());
    }
    return;
  }
  if (++bad_epochs_ >= patience_) {
    stopped_ = true;
    net.request_stop();
  }
}

void EarlyStopping::on_fit_end(Network& net) {
  if (!restore_best_ || best_params_.empty()) return;
  auto params = net.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].mutable_value() = best_params_[i];
}

// ---- Checkpoint

Checkpoint::Checkpoint(std::string path, std::size_t every_n_epochs) : path_(std::move(path)), every_(every_n_epochs) {
  if (every_ == 0) throw InvalidArgument("Checkpoint: every_n_epochs must be >= 1");
}

void Checkpoint::on_fit_start(Network&, const FitInfo& info) {
  fit_phase_ = info.phase == "fit";
}

void Checkpoint::on_epoch_end(Network& net, const EpochInfo& info) {
  // fit counts epochs across calls (the training state); a pretraining phase counts its own.
  const std::size_t done = fit_phase_ ? net.training_state().epoch : info.epoch + 1;
  if (done == 0 || done % every_ != 0) return;
  std::string path = path_;
  const auto at = path.find("{epoch}");
  if (at != std::string::npos) path.replace(at, 7, std::to_string(done));
  net.save(path);
  saved_.push_back(path);
}

}  // namespace xgrad::nn
