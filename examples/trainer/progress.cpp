#include "trainer/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "nn/train/listeners.hpp"

namespace xgrad::trainer {

Progress::Mode Progress::mode_from(const std::string& setting) {
  if (setting == "bar") return Mode::bar;
  if (setting == "lines") return Mode::lines;
  if (setting == "none") return Mode::none;
  return isatty(STDOUT_FILENO) ? Mode::bar : Mode::lines;
}

Progress::Progress(Mode mode, std::ostream* out) : mode_(mode), out_(out ? out : &std::cout) {}

void Progress::start(const std::string& title, std::size_t total) {
  title_ = title;
  total_ = total;
  next_quarter_ = 1;
  start_ = last_draw_ = std::chrono::steady_clock::now();
  last_width_ = 0;
}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::clock(double seconds) {
  return nn::format_clock(seconds);
}

std::string Progress::line(std::size_t done, std::size_t items, const std::string& fields, bool final) const {
  const double t = elapsed();
  std::string s = title_;
  if (!final && mode_ == Mode::bar) {
    const int width = 24;
    const int filled = total_ ? static_cast<int>(width * done / total_) : width;
    s += " [" + std::string(filled, '=') + (filled < width ? ">" : "") +
         std::string(width - filled - (filled < width ? 1 : 0), ' ') + "]";
  }
  s += " " + std::to_string(done) + "/" + std::to_string(total_);
  if (!fields.empty()) s += "  " + fields;
  char buf[96];
  const double rate = t > 0 ? items / t : 0.0;
  std::snprintf(buf, sizeof buf, "  %.0f %s/s", rate, unit_.c_str());
  s += buf;
  if (final)
    s += "  " + clock(t);
  else
    s += "  ETA " + (done > 0 ? clock(t * (static_cast<double>(total_) - done) / done) : std::string("?"));
  return s;
}

void Progress::update(std::size_t done, std::size_t items, const std::string& fields) {
  if (mode_ == Mode::none) return;
  if (mode_ == Mode::lines) {
    if (total_ >= 4 && done < total_ && done * 4 >= next_quarter_ * total_) {
      while (done * 4 >= next_quarter_ * total_) ++next_quarter_;
      *out_ << line(done, items, fields, false) << std::endl;
    }
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::string s = line(done, items, fields, false);
  const std::size_t w = s.size();
  if (w < last_width_) s += std::string(last_width_ - w, ' ');
  last_width_ = w;
  *out_ << '\r' << s << std::flush;
}

void Progress::finish(std::size_t items, const std::string& fields) {
  std::string s = line(total_, items, fields, true);
  if (mode_ == Mode::bar) {
    if (s.size() < last_width_) s += std::string(last_width_ - s.size(), ' ');
    *out_ << '\r';
  }
  *out_ << s << std::endl;
}

}  // namespace xgrad::trainer
