#pragma once
// Conformance checker for reconstruction distributions, built-in or a user's own:
//   config      distribution_from_config(d.config()) rebuilds it (it is registered) with the same config
//   shapes      log_prob -> [N], mean and sample -> [N,D]
//   gradient    float64 gradcheck of log_prob(x, raw) in raw (and x, for continuous data), x drawn from d
//   normalised  D = 1: the density integrates to 1 over the support (tanh-sinh quadrature, split at the
//               mean), or sums to 1 over the discrete values / one-hot rows; skipped for loss functions
//   mean        the mean of `samples` draws is within `mean_sigmas` standard errors of mean(raw)
//               (loss functions: sample == mean)
//   validate    samples pass validate(); an out-of-support value (or NaN) raises DataError naming its row
//               and column
// Composite distributions are checked whole for config/shapes/gradient/validate and part by part for the
// density and the mean. Usage:  auto report = check_conformance(MyLaplace());  if (!report.ok) ... report.str()
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"

namespace xgrad::nn {

struct ConformanceOptions {
  std::size_t rows = 4;                   // N of the gradient, shape and validate checks
  std::size_t columns = 3;                // D (and K for one-hot groups)
  double raw_low = -1.5, raw_high = 1.5;  // raw parameters are drawn uniformly from this range
  std::size_t parameter_sets = 3;         // raw rows tried by the normalisation and mean checks
  double integral_tolerance = 1e-6;       // |integral - 1|
  std::size_t samples = 20000;            // draws for the mean check
  double mean_sigmas = 5.0;               // allowed distance of the sample mean, in standard errors
  std::uint64_t seed = 20240601;
  GradcheckOptions gradcheck{1e-6, 1e-5, 1e-8, 12345, 0};  // DL4J checks distributions at rtol 1e-6..1e-5
};

struct ConformanceReport {
  bool ok = true;
  std::vector<std::string> lines;  // "PASS <check>: ..." / "FAIL <check>: ..."
  std::string str() const;         // all lines, newline-separated
};

/// PASS/FAIL lines of a report under construction; run() turns an exception of a check into its FAIL line.
struct ReportWriter {
  ConformanceReport& report;
  void pass(const std::string& check, const std::string& what) {
    report.lines.push_back("PASS " + check + ": " + what);
  }
  void fail(const std::string& check, const std::string& what) {
    report.ok = false;
    report.lines.push_back("FAIL " + check + ": " + what);
  }
  void run(const std::string& check, const std::function<void()>& f);
};

ConformanceReport check_conformance(const ReconstructionDistribution& d, const ConformanceOptions& options = {});

/// Integral of f over [lower, upper] (either end may be infinite) by tanh-sinh quadrature with a
/// change of variables for infinite ends; f is evaluated on batches of points. Refines the step until two
/// levels agree to `tolerance` (relative to max(1, |I|)).
double integrate(const std::function<std::vector<double>(const std::vector<double>&)>& f, double lower, double upper,
                 double tolerance = 1e-10);

}  // namespace xgrad::nn
