// `xgrad-vae evaluate`: the test-set figures of a trained model.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>

#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"

namespace xgrad::trainer {
namespace {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? NAN : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

void row(const char* label, double nats, double bpd, const std::string& note) {
  std::printf("  %-44s %10.3f nats  %7.4f bits/dim  %s\n", label, nats, bpd, note.c_str());
}

}  // namespace

int evaluate_command(const ModelUseSettings& use, const DataSettings& data_settings, const EvaluateSettings& ev) {
  LoadedVae model = load_vae(use.model);
  nn::VariationalAutoencoder& vae = *model.vae;
  use_threads(use.threads);
  const bool user_data = !data_settings.data_file.empty();
  const nn::data::ColumnPlan plan = model.columns();
  const Tensor x = user_data
                       ? read_data_for_model(data_settings, use.model, vae, plan, model.binarization()).x
                       : load_fashion_data(data_settings, false, model.binarization(), vae.options().dtype).test_x;
  if (!use.out.empty()) ensure_writable_directory(directory_of(use.out));
  const std::size_t n = x.shape()[0], dims = vae.n_in();
  const char* unit = user_data ? "row" : "image";  // per row of the user's data, per Fashion-MNIST image
  std::cout << "model " << use.model << " (" << vae.distribution().describe() << ", latent " << vae.n_out()
            << ", prior " << vae.prior().describe() << ", q(z|x) " << vae.posterior().describe() << ", "
            << model.epochs_completed() << " epochs), " << n << " " << unit << "s of "
            << (user_data ? data_settings.data_file : std::string("the test set")) << ", binarisation "
            << nn::data::binarization_name(model.binarization()) << "\n";

  Progress progress(Progress::mode_from(use.progress));
  const ElboSummary elbo = mean_elbo(vae, x, use.batch_size, ev.elbo_samples, use.seed, &progress);
  progress.finish(n, "");

  nlohmann::json result{
      {"model", use.model},           {"test_images", n}, {"neg_elbo", elbo.neg_elbo},
      {"reconstruction", elbo.recon}, {"kl", elbo.kl},    {"neg_elbo_bits_per_dim", bits_per_dim(elbo.neg_elbo, dims)}};
  const bool likelihood = !vae.has_loss_function();
  double nll = NAN, recon_lp = NAN;
  std::size_t subset = 0;
  if (likelihood) {
    subset = ev.ll_subset == 0 ? n : std::min(ev.ll_subset, n);
    const Tensor xs = row_range(x, 0, subset);
    const std::size_t batch = std::max<std::size_t>(1, std::min<std::size_t>(use.batch_size, 20));
    const std::vector<double> ll = log_likelihoods(vae, xs, ev.k, batch, use.seed + 1, &progress);
    progress.finish(subset, "");
    nll = -mean_of(ll);
    const ElboSummary sub = mean_elbo(vae, xs, use.batch_size, ev.elbo_samples, use.seed, nullptr);
    result["neg_elbo_log_px_images"] = sub.neg_elbo;
    const std::vector<double> rlp = recon_log_probs(vae, x, ev.recon_samples, use.batch_size, use.seed + 2, &progress);
    progress.finish(n, "");
    recon_lp = mean_of(rlp);
    result["log_px_k"] = ev.k;
    result["log_px_images"] = subset;
    result["neg_log_px"] = nll;
    result["neg_log_px_bits_per_dim"] = bits_per_dim(nll, dims);
    result["reconstruction_log_probability"] = recon_lp;
    result["reconstruction_log_probability_samples"] = ev.recon_samples;
    if (plan.standardizes()) result["neg_log_px_file_units"] = nll - plan.log_abs_det_jacobian();
  }

  std::printf("\nTest-set figures (nats per %s; lower is better except where marked):\n", unit);
  row("negative ELBO", elbo.neg_elbo, bits_per_dim(elbo.neg_elbo, dims),
      "(" + std::to_string(ev.elbo_samples) + " sample" + (ev.elbo_samples == 1 ? "" : "s") + " of z per " + unit +
          ")");
  std::printf("    reconstruction -E[log p(x|z)] %14.3f\n    KL(q(z|x) || p(z)) %25.3f\n", elbo.recon, elbo.kl);
  if (likelihood) {
    row("-log p(x), importance-weighted", nll, bits_per_dim(nll, dims),
        "(k = " + std::to_string(ev.k) + ", first " + std::to_string(subset) + " " + unit +
            "s; their negative ELBO: " + fixed(result["neg_elbo_log_px_images"].get<double>()) + ")");
    if (plan.standardizes())
      std::printf("  %-44s %10.3f nats  (the file's units: -log p(x) + sum of log std over the standardised columns)\n",
                  "-log p(x) of the unstandardised values", nll - plan.log_abs_det_jacobian());
    std::printf(
        "  %-44s %10.3f nats  (higher = more typical; DL4J reconstructionLogProbability, %zu samples; not "
        "log p(x))\n",
        "reconstruction log-probability", recon_lp, ev.recon_samples);
  } else {
    std::printf(
        "  (a loss-function VAE has no likelihood: log p(x) and the reconstruction log-probability are "
        "undefined)\n");
  }
  if (model.binarization() == nn::data::Binarization::none && vae.distribution().name() == "bernoulli")
    std::printf(
        "  note: Bernoulli likelihood on grey levels: these are \"BCE + KL\" figures, not a normalised "
        "log-likelihood\n");
  if (!use.out.empty()) {
    write_file_atomic(use.out, result.dump(2) + "\n");
    std::cout << "wrote " << use.out << "\n";
  }
  return kExitOk;
}

}  // namespace xgrad::trainer
