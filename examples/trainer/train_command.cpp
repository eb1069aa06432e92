// `xgrad-vae train`: the training loop with per-epoch test evaluation, atomic checkpoints, Ctrl-C
// handling, and the pictures and report at the end.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "autograd/kernels.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/parallel.hpp"
#include "autograd/random.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/distributed/shard.hpp"
#include "nn/optim/optimizers.hpp"
#include "trainer/architecture.hpp"
#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/data_source.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/interrupt.hpp"
#include "trainer/metrics.hpp"
#include "trainer/model_file.hpp"
#include "trainer/parallel_run.hpp"
#include "trainer/pictures.hpp"
#include "trainer/png.hpp"
#include "trainer/progress.hpp"
#include "trainer/report.hpp"

namespace xgrad::trainer {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

std::string architecture(const nn::VariationalAutoencoder& vae) {
  std::ostringstream s;
  s << architecture_summary(vae) << ", " << vae.options().activation.name() << ", p(x|z) "
    << vae.distribution().describe() << ", prior " << vae.prior().describe() << ", q(z|x) "
    << vae.posterior().describe();
  if (vae.options().objective == nn::VaeObjective::iwae) s << ", IWAE objective k=" << vae.options().num_samples;
  return s.str();
}

/// Settings that must agree between a checkpoint and a resumed run.
void check_resumable(const nlohmann::json& saved, const nlohmann::json& now) {
  for (const auto& [key, value] : now.items()) {
    if (key == "epochs" || key == "progress" || key == "resume" || key == "threads" || key == "out" ||
        key == "data_dir" || key == "command")
      continue;
    // settings added later: a checkpoint written before had their value now
    if (!saved.contains(key) && key == "architecture" && value == "dense") continue;
    if (!saved.contains(key) || saved[key] != value)
      throw UsageError("cannot resume: setting '" + key + "' is " + value.dump() + " now but " +
                       (saved.contains(key) ? saved[key].dump() : std::string("absent")) + " in the checkpoint");
  }
}

}  // namespace

TrainOutcome train_command(const RunSettings& s, const nlohmann::json& settings_json, const std::string& command_line) {
  const auto t_start = Clock::now();
  TrainOutcome outcome;
  outcome.out_dir = s.train.out_dir;
  outcome.model_path = (fs::path(s.train.out_dir) / kModelFileName).string();
  const bool user_data = !s.data.data_file.empty();
  if (!user_data)
    vae_options(s.model, 784, kFashionImage, 1, s.train.seed);  // setting conflicts before the data is loaded
  const int threads = use_threads(s.train.threads);
  ParallelRun ranks;
  if (ranks.distributed()) {
    if (s.model.latent_type != "gaussian")
      throw UsageError("--latent-type '" + s.model.latent_type +
                       "': a relaxed latent is not supported on several ranks yet (run one process)");
    if (s.model.activation == "rrelu" || s.model.pzx_activation == "rrelu")
      throw UsageError("activation rrelu draws noise per row and is not supported on several ranks yet");
  }

  const DType dtype = s.model.dtype == "float64" ? DType::float64 : DType::float32;
  const nn::data::Binarization bin = nn::data::binarization_from_name(s.data.binarization);
  FashionData data = user_data ? load_user_data(s.data, s.model.distribution, bin, dtype)
                               : load_fashion_data(s.data, true, bin, dtype);
  ModelSettings model = s.model;  // user data: the distribution by counts of the model's columns
  if (user_data) {
    model.distribution = data.model_spec;
    try {  // the spec against the model's width, before anything is written
      vae_options(model, data.train.dim(), image_of(data), 1, s.train.seed);
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw UsageError(std::string("--distribution does not fit the ") + std::to_string(data.train.dim()) +
                       " columns of " + s.data.data_file + ": " + e.what());
    }
  }
  ranks.check_same(settings_json, data.train.features());
  ranks.on_root("rank 0 cannot write the output directory", [&] { ensure_writable_directory(s.train.out_dir); });

  nn::data::BatchOptions bo;
  bo.batch_size = s.train.batch_size;
  bo.shuffle = true;
  bo.seed = s.train.seed;
  bo.binarization = bin;
  nn::data::BatchIterator batches(data.train, bo);

  auto vae = std::make_shared<nn::VariationalAutoencoder>(
      vae_options(model, data.train.dim(), image_of(data), batches.num_batches(), s.train.seed));
  // Catch data the distribution cannot model (e.g. Exponential on negative values) before training (user data:
  // every row of the files, checked by load_user_data).
  if (!user_data) {
    try {
      vae->distribution().validate(data.test_x);
    } catch (const std::exception& e) {
      throw UsageError(std::string("the data does not fit --distribution: ") + e.what());
    }
  }
  std::unique_ptr<nn::Optimizer> optimizer;
  std::size_t first_epoch = 0;
  std::vector<EpochMetrics> metrics;
  const std::string metrics_path = (fs::path(s.train.out_dir) / "metrics.csv").string();
  optimizer = nn::optimizer_from_config(nlohmann::json{{"type", s.train.optimizer}}, vae->named_parameters());
  if (optimizer->has_learning_rate()) optimizer->set_learning_rate(s.train.learning_rate);
  if (s.train.resume) {
    // Rank 0 reads the checkpoint; the others get its parameters and optimizer state from start_training() and
    // the rest of its state here.
    nlohmann::json resumed;
    ranks.on_root("rank 0 cannot resume", [&] {
      LoadedVae saved = load_vae(outcome.model_path);
      check_resumable(saved.extra.value("settings", nlohmann::json::object()), settings_json);
      nn::load_parameters_into(*vae, saved.file);
      optimizer = nn::restore_optimizer(saved.file, vae->named_parameters());
      resumed = {{"epochs_completed", saved.epochs_completed()},
                 {"iteration", saved.extra.value("iteration", std::size_t{0})},
                 {"rng", saved.extra["rng"]},
                 {"batch_iterator", saved.extra["batch_iterator"]}};
      if (fs::exists(metrics_path)) metrics = read_metrics_csv(metrics_path);
    });
    ranks.broadcast(resumed, "the resumed training state");
    first_epoch = resumed["epochs_completed"].get<std::size_t>();
    vae->set_iteration(resumed["iteration"].get<std::size_t>());
    const auto& rng = resumed["rng"];
    vae->rng().set_state(rng["seed"].get<std::uint64_t>(), rng["stream"].get<std::uint64_t>());
    batches.restore(resumed["batch_iterator"]);
    metrics.resize(std::min(metrics.size(), first_epoch));
    if (ranks.is_root()) std::cout << "resuming from " << outcome.model_path << " after epoch " << first_epoch << "\n";
  }
  ranks.start_training(vae->named_parameters(), *optimizer);
  ranks.on_root("rank 0 cannot write config.json", [&] {
    write_file_atomic((fs::path(s.train.out_dir) / kConfigFileName).string(), settings_json.dump(2) + "\n");
  });

  const bool images = data.image_rows * data.image_cols == data.train.dim() && data.train.dim() > 0;
  const std::string units = images ? "images" : "rows";
  if (ranks.is_root())
    std::cout << "xgrad-vae: " << architecture(*vae) << ", " << vae->parameter_count() << " parameters; "
              << data.train.size() << " training / " << data.test.size() << " test " << units << ", binarisation "
              << s.data.binarization << ", " << threads << " thread" << (threads == 1 ? "" : "s")
              << (ranks.distributed() ? ", " + std::to_string(ranks.size()) + " ranks" : std::string()) << "\n";

  const bool elbo_objective = vae->options().objective == nn::VaeObjective::elbo;
  std::ostream null_stream(nullptr);  // the other ranks print nothing
  Progress progress(ranks.is_root() ? Progress::mode_from(s.train.progress) : Progress::Mode::none,
                    ranks.is_root() ? nullptr : &null_stream);
  if (!images) progress.set_unit("rows");
  // Ctrl-C (or SIGTERM, which mpirun sends to every rank) only sets a flag while training, checked between
  // batches and after each checkpoint; on several ranks they agree (one flag is enough), so every rank stops at
  // the same step and none waits for a rank that left. The guard is released before the pictures, when the
  // checkpoint is complete and a plain stop is harmless.
  std::optional<InterruptGuard> interrupt(std::in_place);
  auto stop_requested = [&ranks] { return ranks.any(InterruptGuard::requested()); };
  double train_seconds = 0;
  std::size_t train_images = 0;
  for (std::size_t epoch = first_epoch; epoch < s.train.epochs; ++epoch) {
    vae->train();
    optimizer->set_epoch(epoch);
    batches.start_epoch(epoch);
    progress.start("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(s.train.epochs), batches.num_batches());
    const auto t_epoch = Clock::now();
    double loss_sum = 0, rec_sum = 0, kl_sum = 0, beta = vae->kl_weight();
    std::size_t seen = 0, step = 0;
    nn::data::Batch batch;
    while (batches.next(batch)) {
      if (stop_requested())
        throw Interrupted("interrupted in epoch " + std::to_string(epoch + 1) + "; " +
                          (epoch > 0 ? outcome.model_path + " holds the model after epoch " + std::to_string(epoch)
                                     : std::string("no epoch was completed, no checkpoint written")));
      const std::size_t n = batch.features.shape()[0];
      Variable loss;
      beta = vae->kl_weight();
      if (ranks.distributed()) {
        // This rank's rows of the global batch; eps is drawn for the whole batch (as one process draws it) and
        // cut the same way, the loss is the shard's sum over the global batch size (+ regularisation once), for
        // the ELBO and the IWAE objective alike (both are means over examples).
        const nn::distributed::RowRange r = nn::distributed::shard_rows(n, ranks.rank(), ranks.size());
        vae->set_iteration(vae->iteration() + 1);
        const std::size_t samples = vae->options().num_samples;
        Tensor eps = vae->rng().normal(Shape{samples * n, vae->n_out()}, 0.0, 1.0, batch.features.dtype());
        if (r.end > r.begin) {
          const Tensor xs = nn::distributed::take_rows(batch.features, r.begin, r.end);
          if (vae->options().validate_data) vae->distribution().validate(xs);
          const Tensor shard_eps = nn::distributed::take_rows_of_blocks(eps, samples, r.begin, r.end);
          if (elbo_objective) {
            const nn::ElboTerms t = vae->elbo_given_eps(constant(xs), shard_eps, beta);
            loss = sum(t.negative_elbo) / static_cast<double>(n);
            rec_sum -= kernels::sum_all(t.reconstruction.value());
            kl_sum += kernels::sum_all(t.kl.value());
          } else {  // pretrain_loss's IWAE objective: -mean over the batch of the k-sample bound
            loss = -sum(vae->iwae_bound_given_noise(constant(xs), shard_eps, samples, beta)) / static_cast<double>(n);
          }
        }
        if (ranks.is_root() && vae->options().reg.any())
          loss = loss.defined() ? loss + vae->regularization() : vae->regularization();
      } else if (elbo_objective) {
        const Variable x = constant(batch.features);
        // pretrain_loss's ELBO path, keeping the terms for the progress display
        if (vae->options().validate_data) vae->distribution().validate(batch.features);
        vae->set_iteration(vae->iteration() + 1);
        const nn::ElboTerms t = vae->elbo(x, 0, beta);
        loss = mean(t.negative_elbo);
        if (vae->options().reg.any()) loss = loss + vae->regularization();
        rec_sum -= kernels::sum_all(t.reconstruction.value());
        kl_sum += kernels::sum_all(t.kl.value());
      } else {
        loss = vae->pretrain_loss(constant(batch.features));
      }
      optimizer->zero_grad();
      ranks.backward(loss);
      optimizer->step();
      if (loss.defined()) loss_sum += loss.value().item() * static_cast<double>(n);
      seen += n;
      ++step;
      if (elbo_objective)
        progress.update(step, seen,
                        fmt("-ELBO %.2f  rec %.2f  KL %.2f", (rec_sum + kl_sum) / seen, rec_sum / seen, kl_sum / seen));
      else
        progress.update(step, seen, fmt("-IWAE %.2f", loss_sum / seen));
    }
    if (ranks.distributed()) {  // the shards' sums (rank 0's progress line showed its own shard's)
      std::vector<double> sums{loss_sum, rec_sum, kl_sum};
      ranks.sum(sums);
      loss_sum = sums[0];
      rec_sum = sums[1];
      kl_sum = sums[2];
      ranks.check_parameters_agree(vae->named_parameters(), "after epoch " + std::to_string(epoch + 1));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t_epoch).count();
    train_seconds += seconds;
    train_images += seen;

    EpochMetrics m;
    m.epoch = epoch + 1;
    m.train_loss = loss_sum / std::max<std::size_t>(seen, 1);
    m.train_recon = elbo_objective ? rec_sum / seen : NAN;
    m.train_kl = elbo_objective ? kl_sum / seen : NAN;
    m.train_neg_elbo = m.train_recon + m.train_kl;
    m.kl_weight = beta;
    m.seconds = seconds;
    const ElboSummary test = mean_elbo(*vae, data.test_x, 500, 1, s.train.seed + 1000003);
    m.test_neg_elbo = test.neg_elbo;
    m.test_recon = test.recon;
    m.test_kl = test.kl;
    metrics.push_back(m);
    progress.finish(seen,
                    (elbo_objective ? fmt("-ELBO %.2f  rec %.2f  KL %.2f", m.train_neg_elbo, m.train_recon, m.train_kl)
                                    : fmt("-IWAE %.2f", m.train_loss)) +
                        fmt("  | test -ELBO %.2f  rec %.2f  KL %.2f", m.test_neg_elbo, m.test_recon, m.test_kl));

    nlohmann::json extra{{"settings", settings_json},
                         {"epochs_completed", epoch + 1},
                         {"iteration", vae->iteration()},
                         {"batch_iterator", batches.state()},
                         {"rng", {{"seed", vae->rng().seed()}, {"stream", vae->rng().stream()}}}};
    if (!data.plan.is_identity()) extra["columns"] = data.plan.to_json();
    if (ranks.is_root()) {
      save_checkpoint(outcome.model_path, *vae, *optimizer, extra);
      write_metrics_csv(metrics_path, metrics);
    }
    if (stop_requested())
      throw Interrupted("interrupted after epoch " + std::to_string(epoch + 1) + "; " + outcome.model_path +
                        " holds the model after that epoch");
  }
  if (metrics.empty())
    throw UsageError("nothing to do: the checkpoint already has " + std::to_string(first_epoch) +
                     " epochs (raise --epochs to train more)");

  if (!ranks.is_root()) {  // rank 0 alone draws the pictures and writes the report
    outcome.test_neg_elbo = metrics.back().test_neg_elbo;
    outcome.seconds = std::chrono::duration<double>(Clock::now() - t_start).count();
    return outcome;
  }
  // Pictures and report.
  vae->eval();
  std::vector<std::pair<std::string, std::string>> pictures;
  auto save = [&](const Image& img, const std::string& file, const std::string& caption) {
    try {
      write_png((fs::path(s.train.out_dir) / file).string(), img);
    } catch (const std::exception& e) {
      throw OutputError(e.what());
    }
    pictures.emplace_back(file, caption);
  };
  Generator gen(s.train.seed + 7);
  // User data has no image shape (yet): only the loss curves are pictured for it.
  if (!user_data) {
    save(
        reconstructions_picture(*vae, data.test_x, 40, 8), "reconstructions.png",
        "Test images (left of each pair, as the model sees them) and their reconstructions (mean of p(x|z) at z = mu)");
    save(samples_picture(*vae, 100, 10, false, gen), "samples.png",
         "Mean of p(x|z) for 100 draws z ~ p(z) (" + vae->prior().describe() + ")");
  }
  save(loss_curves_picture(metrics, images ? "image" : "row"), "loss_curves.png",
       std::string("Loss curves (nats per ") + (images ? "image" : "row") + ")");
  if (vae->n_out() == 2 && !vae->posterior().support().simplex() && !user_data) {  // maps over R^2
    save(latent_manifold_picture(*vae, 20, 0.05), "latent_manifold.png",
         "Latent manifold: mean of p(x|z) on a 20x20 grid of z at N(0,1) quantiles 0.05..0.95");
    save(latent_scatter_picture(*vae, data.test_x, data.test.labels(), nn::data::fashion_mnist_class_names()),
         "latent_scatter.png", "Means of q(z|x) of the test images, coloured by class");
  }
  outcome.test_neg_elbo = metrics.back().test_neg_elbo;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - t_start).count();

  ReportInputs report;
  report.settings = settings_json;
  report.architecture = architecture(*vae);
  report.parameters = vae->parameter_count();
  report.train_images = data.train.size();
  report.test_images = data.test.size();
  report.metrics = metrics;
  report.total_seconds = outcome.seconds;
  report.images_per_second = train_seconds > 0 ? train_images / train_seconds : 0;
  report.threads = threads;
  report.pictures = pictures;
  report.command_line = command_line;
  report.images = images;
  if (user_data) {
    report.data_description =
        s.data.data_file + " (" +
        (images ? std::to_string(data.image_rows) + "x" + std::to_string(data.image_cols) + " pixels per image"
                : std::to_string(data.train.dim()) + " columns") +
        ")";
    if (!data.plan.is_identity())
      report.data_description += "; its " + std::to_string(data.plan.source_width()) + " columns became the model's " +
                                 std::to_string(data.plan.width()) + " (" + data.plan.describe() + "), distribution " +
                                 data.model_spec;
    report.dims = data.train.dim();
  }
  write_report((fs::path(s.train.out_dir) / "report.md").string(), report);
  std::cout << "wrote " << s.train.out_dir << "/{" << kModelFileName
            << ", config.json, metrics.csv, report.md, *.png}; test negative ELBO "
            << fmt("%.2f", outcome.test_neg_elbo) << " nats (" << Progress::clock(outcome.seconds) << ")\n";
  return outcome;
}

}  // namespace xgrad::trainer
