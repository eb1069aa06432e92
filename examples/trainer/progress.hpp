#pragma once
// Progress of a task of known length (an epoch's minibatches, the images of an evaluation):
//   epoch 3/10 [=========>         ] 312/600  -ELBO 251.32  rec 231.05  KL 20.27  20150 img/s  ETA 0:05
// bar: redrawn in place with '\r' (at most ~10 times a second), for a terminal; lines: a plain line at
// every quarter of the task and at its end, for files and pipes; none: only the final line.
#include <chrono>
#include <iosfwd>
#include <string>

namespace xgrad::trainer {

class Progress {
 public:
  enum class Mode { bar, lines, none };
  /// "auto" (bar when stdout is a terminal, else lines), "bar", "lines", "none".
  static Mode mode_from(const std::string& setting);

  explicit Progress(Mode mode, std::ostream* out = nullptr /* std::cout */);
  /// Starts a task of `total` steps.
  void start(const std::string& title, std::size_t total);
  /// After step `done` of total, `items` processed so far (for items/s), `fields` the current figures.
  void update(std::size_t done, std::size_t items, const std::string& fields);
  /// Ends the task with a final line (title, fields, elapsed time and items/s).
  void finish(std::size_t items, const std::string& fields);
  /// Seconds since start().
  double elapsed() const;
  /// The items' name in the rate ("img" by default: "img/s"; "rows" for tabular data).
  void set_unit(const std::string& unit) { unit_ = unit; }

  /// "1:05" (m:ss) or "1:02:03" (h:mm:ss).
  static std::string clock(double seconds);

 private:
  std::string line(std::size_t done, std::size_t items, const std::string& fields, bool final) const;
  Mode mode_;
  std::ostream* out_;
  std::string title_;
  std::size_t total_ = 0, next_quarter_ = 1;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::size_t last_width_ = 0;
  std::string unit_ = "img";
};

}  // namespace xgrad::trainer
