#include "trainer/report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "trainer/atomic_file.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/progress.hpp"

namespace xgrad::trainer {
namespace {

std::string fixed(double v, int decimals = 2) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>().empty() ? "\"\"" : "`" + v.get<std::string>() + "`";
  if (v.is_array()) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ",") + (e.is_string() ? e.get<std::string>() : e.dump());
    return "`" + s + "`";
  }
  return "`" + v.dump() + "`";
}

}  // namespace

std::string report_markdown(const ReportInputs& in) {
  std::ostringstream md;
  md << "# xgrad-vae training report\n\n";
  const std::string unit = in.images ? "image" : "row";
  md << "A variational autoencoder (" << in.architecture << ", " << in.parameters << " parameters) trained on "
     << in.data_description << " (" << in.train_images << " training " << unit << "s, " << in.test_images << " test "
     << unit << "s).\n\n";
  if (!in.command_line.empty()) md << "Command: `" << in.command_line << "`\n\n";

  md << "## Final figures\n\n";
  if (!in.metrics.empty()) {
    const EpochMetrics& m = in.metrics.back();
    const std::size_t dims = in.dims;
    md << "| | train | test |\n|---|---:|---:|\n";
    md << "| negative ELBO (nats/" << unit << ") | " << fixed(m.train_neg_elbo) << " | " << fixed(m.test_neg_elbo)
       << " |\n";
    md << "| reconstruction term -E[log p(x\\|z)] | " << fixed(m.train_recon) << " | " << fixed(m.test_recon) << " |\n";
    md << "| KL(q(z\\|x) \\|\\| p(z)) | " << fixed(m.train_kl) << " | " << fixed(m.test_kl) << " |\n";
    md << "| negative ELBO in bits/dim | " << fixed(bits_per_dim(m.train_neg_elbo, dims), 4) << " | "
       << fixed(bits_per_dim(m.test_neg_elbo, dims), 4) << " |\n\n";
    md << "After " << m.epoch << (m.epoch == 1 ? " epoch" : " epochs") << "; the test figures use one sample of z per "
       << unit
       << ". The negative ELBO is an "
          "upper bound on -log p(x); `xgrad-vae evaluate --model model.xgrad` tightens it with the "
          "importance-weighted estimate (k = 5000).";
    const std::string bin = in.settings.value("binarization", std::string("none"));
    const std::string dist = in.settings.value("distribution", std::string("bernoulli"));
    if (bin == "none" && (dist == "bernoulli" || dist.rfind("bernoulli(", 0) == 0))
      md << " The " << (in.images ? "pixels" : "values")
         << " were not binarised: with a Bernoulli likelihood on grey levels the figures are "
            "\"BCE + KL\", not a normalised log-likelihood.";
    else if (bin != "none")
      md << (in.images ? " Pixels" : " Values") << " were binarised (" << bin
         << "); the test set is one fixed draw, so the figures are "
            "log-likelihoods of binary "
         << unit << "s.";
    md << "\n\n";
  }
  md << "Run time " << Progress::clock(in.total_seconds) << " (training " << fixed(in.images_per_second, 0) << " "
     << unit << "s/s on " << in.threads << " thread" << (in.threads == 1 ? "" : "s") << ").\n\n";

  md << "## Pictures\n\n";
  for (const auto& [file, caption] : in.pictures)
    md << "**" << caption << "**\n\n![" << caption << "](" << file << ")\n\n";

  md << "## Per epoch\n\n";
  md << "| epoch | train loss | train -ELBO | train recon | train KL | test -ELBO | test recon | test KL | KL weight | "
        "seconds |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& m : in.metrics)
    md << "| " << m.epoch << " | " << fixed(m.train_loss) << " | " << fixed(m.train_neg_elbo) << " | "
       << fixed(m.train_recon) << " | " << fixed(m.train_kl) << " | " << fixed(m.test_neg_elbo) << " | "
       << fixed(m.test_recon) << " | " << fixed(m.test_kl) << " | " << fixed(m.kl_weight, 3) << " | "
       << fixed(m.seconds, 1) << " |\n";
  md << "\n(also in `metrics.csv`; \"train loss\" is the minimised objective: with beta, KL warm-up, the IWAE "
        "objective or L2 it differs from the negative ELBO.)\n\n";

  md << "## Configuration\n\n";
  md << "The effective settings, also in `config.json` (repeat the run with `xgrad-vae train --config "
        "config.json`):\n\n| setting | value |\n|---|---|\n";
  for (const auto& [k, v] : in.settings.items()) md << "| " << k << " | " << value_text(v) << " |\n";
  md << "\n";
  return md.str();
}

void write_report(const std::string& path, const ReportInputs& in) {
  write_file_atomic(path, report_markdown(in));
}

}  // namespace xgrad::trainer
