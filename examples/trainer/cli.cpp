#include "trainer/cli.hpp"

#include <thread>

#include "trainer/config_file.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/validators.hpp"

namespace xgrad::trainer {
namespace {

std::string key_of(const std::string& long_name) {
  std::string k = long_name;
  for (char& c : k)
    if (c == '-') c = '_';
  return k;
}

template <class T>
CLI::Option* bind_option(Command& c, const std::string& name, T& field, const std::string& help) {
  CLI::Option* o = c.app->add_option("--" + name, field, help);
  c.options.push_back({o, key_of(name), [&field] { return nlohmann::json(field); }});
  return o;
}

CLI::Option* bind_flag(Command& c, const std::string& name, bool& field, const std::string& help) {
  CLI::Option* o = c.app->add_flag("--" + name, field, help);
  c.options.push_back({o, key_of(name), [&field] { return nlohmann::json(field); }});
  return o;
}

CLI::Option* bind_sizes(Command& c, const std::string& name, std::vector<std::size_t>& field, const std::string& help) {
  return bind_option(c, name, field, help)->delimiter(',')->expected(1, 64)->check(in_range(1, 100000));
}

const char* kExitHelp =
    "Exit status: 0 success, 1 error, 2 invalid command line or config file, 3 missing dataset or\n"
    "unreadable model file, 4 output not writable, 130 interrupted (Ctrl-C or SIGTERM; the last checkpoint is kept).";

}  // namespace

Command& Cli::add_command(const std::string& name, const std::string& description) {
  Command& c = commands_[name];
  c.app = app_.add_subcommand(name, description);
  c.config = c.app
                 ->add_option("--config",
                              "JSON file with option values (keys: long option names with _ for -; "
                              "command-line options win)")
                 ->check(CLI::ExistingFile);
  c.app->footer(kExitHelp);
  return c;
}

void Cli::add_model_options(Command& c, ModelSettings& model) {
  const std::string g = "Model (VariationalAutoencoder)";
  bind_option(c, "architecture", model.architecture,
              "networks around the latent: dense (DL4J's stacks of --encoder-layers / --decoder-layers) or conv "
              "(for images: two 4x4 stride-2 convolutions, then --encoder-layers (default 256); mirrored with "
              "transposed convolutions)")
      ->check(one_of({"dense", "conv"}))
      ->group(g);
  bind_sizes(c, "encoder-layers", model.encoder_layers, "encoder hidden layer sizes, e.g. 256,128 (encoderLayerSizes)")
      ->group(g);
  bind_sizes(c, "decoder-layers", model.decoder_layers, "decoder hidden layer sizes (decoderLayerSizes)")->group(g);
  bind_option(c, "latent", model.latent, "latent dimensions J (nOut); 2 adds the latent maps")
      ->check(in_range(1, 4096))
      ->group(g);
  bind_option(c, "activation", model.activation, "hidden-layer activation, DL4J name")
      ->check(activation_name())
      ->group(g);
  bind_option(c, "pzx-activation", model.pzx_activation, "activation of the q(z|x) heads (pzxActivationFn)")
      ->check(activation_name())
      ->group(g);
  bind_option(c, "distribution", model.distribution,
              "reconstruction distribution p(x|z): name[(activation)][:columns],... e.g. bernoulli, gaussian(tanh), "
              "continuous_bernoulli, \"gaussian:200,bernoulli:584\" (composite), loss_function(sigmoid,mse)")
      ->check(distribution_spec(784, c.app))
      ->group(g);
  bind_option(c, "num-samples", model.num_samples, "samples of z per example in the ELBO (numSamples)")
      ->check(in_range(1, 1000))
      ->group(g);
  bind_option(c, "beta", model.beta, "KL weight (1 = the ELBO; beta-VAE otherwise)")
      ->check(in_range(0, 1000))
      ->group(g);
  bind_option(c, "kl-warmup", model.kl_warmup_epochs, "epochs over which the KL weight ramps linearly from 0 to beta")
      ->check(in_range(0, 1e6))
      ->group(g);
  bind_option(c, "iwae-k", model.iwae_k,
              "0: ELBO objective; k >= 1: importance-weighted (IWAE) objective with k samples")
      ->check(in_range(0, 1000))
      ->group(g);
  bind_option(c, "prior", model.prior,
              "p(z): standard (N(0,I), or uniform for a relaxed latent), mog:K (K learnable Gaussians), vamp:K "
              "(VampPrior, K pseudo-inputs through the encoder)")
      ->group(g);
  bind_option(c, "flow", model.flow, "normalizing flows after q(z|x): none, planar:N or iaf:N (N steps)")->group(g);
  bind_option(c, "latent-type", model.latent_type,
              "gaussian, or relaxed:GxC: G groups of C relaxed categorical (Gumbel-softmax) classes, latent width "
              "G*C (--latent must agree or stay at its default)")
      ->group(g);
  bind_option(c, "weight-init", model.weight_init, "weight initialiser, DL4J name")
      ->check(weight_init_name())
      ->group(g);
  bind_option(c, "l1", model.l1, "L1 regularisation coefficient on weights")->check(in_range(0, 1e3))->group(g);
  bind_option(c, "l2", model.l2, "L2 regularisation coefficient on weights")->check(in_range(0, 1e3))->group(g);
  bind_option(c, "dtype", model.dtype, "floating-point type of the model")
      ->check(one_of({"float32", "float64"}))
      ->group(g);
}

void Cli::add_data_options(Command& c, DataSettings& data, bool training) {
  const std::string g = "Data";
  bind_option(c, "data-dir", data.data_dir,
              "Fashion-MNIST directory (IDX .gz files; Debian package dataset-fashion-mnist)")
      ->group(g);
  if (training) {
    bind_option(c, "binarization", data.binarization,
                "none: grey levels in [0,1]; static: pixel > 0.5; dynamic: a fresh Bernoulli draw per use (test set: "
                "one fixed draw)")
        ->check(one_of({"none", "static", "dynamic"}))
        ->group(g);
    bind_option(c, "limit", data.limit, "use the first N training images (0 = all 60000)")
        ->check(in_range(0, 60000))
        ->group(g);
  }
  bind_option(c, "test-limit", data.test_limit, "use the first N test images (0 = all 10000)")
      ->check(in_range(0, 10000))
      ->group(g);
  if (training && c.app->get_name() == "train") {
    bind_option(c, "data", data.data_file,
                "your own data instead of Fashion-MNIST: a numeric CSV (header detected), a 2-D or "
                "N-D .npy (float32/float64, flattened) or an IDX file; one row per example")
        ->group(g);
    c.options.back().user_data_only = true;
    bind_option(c, "test-data", data.test_data_file, "with --data: the test rows (default: a held-out fraction)")
        ->group(g);
    c.options.back().user_data_only = true;
    bind_option(c, "test-fraction", data.test_fraction, "with --data and no --test-data: fraction held out for test")
        ->check(in_range(0.01, 0.99))
        ->group(g);
    c.options.back().user_data_only = true;
    bind_option(c, "split-seed", data.split_seed, "with --data: seed of the train/test split")->group(g);
    c.options.back().user_data_only = true;
    bind_option(
        c, "standardize", data.standardize,
        "with --data: yes = the columns of real-valued parts (gaussian, loss_function) become (x - mean) / std "
        "with the training rows' mean and std, saved in the model and applied by every command; no = as they are")
        ->check(one_of({"yes", "no"}))
        ->group(g);
    c.options.back().user_data_only = true;
  }
  if (!training) {
    bind_option(c, "data", data.data_file,
                "the rows of your own file (as train --data reads it; its width must be the model's) instead of the "
                "Fashion-MNIST test set")
        ->group(g);
    c.options.back().user_data_only = true;
  }
  if (!training || c.app->get_name() == "train") {
    bind_option(c, "delimiter", data.delimiter,
                "with a CSV --data: the field separator; auto = the first of , ; tab on the first line, else space "
                "when it has blanks between fields")
        ->check(one_of({"auto", "comma", "semicolon", "tab", "space", ",", ";"}))
        ->group(g);
    c.options.back().user_data_only = true;
    bind_option(c, "header", data.header,
                "with a CSV --data: yes, no, or auto = the first line is a header when a field is not a number")
        ->check(one_of({"auto", "yes", "no"}))
        ->group(g);
    c.options.back().user_data_only = true;
    bind_option(c, "label-column", data.label_column,
                "with --data: the column (header name or 1-based index) holding integer labels; it is not a "
                "feature (anomaly: 0/1, 1 = anomaly)")
        ->group(g);
    c.options.back().user_data_only = true;
  }
}

void Cli::add_train_options(Command& c, TrainSettings& train) {
  const std::string g = "Training";
  bind_option(c, "optimizer", train.optimizer, "updater, DL4J name (adam, nadam, amsgrad, adamax, sgd, nesterovs, ...)")
      ->check(optimizer_name())
      ->group(g);
  bind_option(c, "learning-rate", train.learning_rate, "learning rate")->check(above(0, 10))->group(g);
  bind_option(c, "batch-size", train.batch_size, "minibatch size")->check(in_range(1, 60000))->group(g);
  bind_option(c, "epochs", train.epochs, "passes over the training set")->check(in_range(1, 100000))->group(g);
  bind_option(c, "seed", train.seed, "random seed (initialisation, shuffling, binarisation, sampling)")->group(g);
  bind_option(c, "threads", train.threads, "threads for kernels and BLAS (0 = all cores)")
      ->check(in_range(0, 1024))
      ->group(g);
  bind_option(c, "out", train.out_dir, "output directory (model, config.json, metrics.csv, PNGs, report.md)")->group(g);
  bind_option(c, "progress", train.progress, "progress display: auto (a bar on a terminal, lines otherwise)")
      ->check(one_of({"auto", "bar", "lines", "none"}))
      ->group(g);
  bind_flag(c, "resume", train.resume, "continue from the checkpoint in --out (same settings); default: off")->group(g);
}

void Cli::add_use_options(Command& c) {
  const std::string g = "Model use";
  bind_option(c, "model", use.model, "model file written by train")->group(g);
  bind_option(c, "seed", use.seed, "random seed")->group(g);
  bind_option(c, "threads", use.threads, "threads for kernels and BLAS (0 = all cores)")
      ->check(in_range(0, 1024))
      ->group(g);
  bind_option(c, "batch-size", use.batch_size, "images per evaluation batch")->check(in_range(1, 10000))->group(g);
  bind_option(c, "progress", use.progress, "progress display: auto (a bar on a terminal, lines otherwise)")
      ->check(one_of({"auto", "bar", "lines", "none"}))
      ->group(g);
}

Cli::Cli()
    : app_(
          "xgrad-vae: a variational autoencoder (Deeplearning4j's VariationalAutoencoder, in xgrad) on "
          "Fashion-MNIST",
          "xgrad-vae") {
  app_.option_defaults()->always_capture_default();
  app_.require_subcommand(1);
  app_.footer(std::string("Run 'xgrad-vae COMMAND --help' for the options of a command.\n") + kExitHelp);

  Command& train_cmd = add_command("train", "train a VAE; writes model, config.json, metrics.csv, PNGs and report.md");
  add_model_options(train_cmd, run.model);
  add_data_options(train_cmd, run.data, true);
  add_train_options(train_cmd, run.train);

  Command& eval_cmd = add_command("evaluate",
                                  "test negative ELBO, importance-weighted log p(x), bits/dim and DL4J's "
                                  "reconstruction log-probability of a trained model");
  add_use_options(eval_cmd);
  add_data_options(eval_cmd, use_data, false);
  bind_option(eval_cmd, "k", evaluate.k, "importance samples for log p(x)")->check(in_range(1, 1000000));
  bind_option(eval_cmd, "ll-subset", evaluate.ll_subset, "test images used for log p(x) (0 = all)")
      ->check(in_range(0, 10000));
  bind_option(eval_cmd, "recon-samples", evaluate.recon_samples, "samples for the reconstruction log-probability")
      ->check(in_range(1, 10000));
  bind_option(eval_cmd, "elbo-samples", evaluate.elbo_samples, "samples of z per image for the negative ELBO")
      ->check(in_range(1, 10000));
  bind_option(eval_cmd, "out", use.out, "also write the results as JSON to this file");

  Command& sample_cmd = add_command("sample", "a grid of images generated from z ~ p(z), the model's prior");
  add_use_options(sample_cmd);
  bind_option(sample_cmd, "count", sample.count, "number of images")->check(in_range(1, 10000));
  bind_option(sample_cmd, "cols", sample.cols, "images per row")->check(in_range(1, 1000));
  bind_option(sample_cmd, "mode", sample.mode, "mean: the mean of p(x|z); random: a draw from p(x|z)")
      ->check(one_of({"mean", "random"}));
  bind_option(sample_cmd, "out", use.out, "PNG file (default: samples.png beside the model)");

  Command& recon_cmd = add_command("reconstruct", "test images beside their reconstructions (mean of p(x|z), z = mu)");
  add_use_options(recon_cmd);
  add_data_options(recon_cmd, use_data, false);
  bind_option(recon_cmd, "count", sample.count, "number of test images")->check(in_range(1, 10000));
  bind_option(recon_cmd, "cols", sample.cols, "pairs per row")->check(in_range(1, 1000));
  bind_option(recon_cmd, "out", use.out, "PNG file (default: reconstructions.png beside the model)");

  Command& anomaly_cmd = add_command("anomaly",
                                     "rank test images by typicality; per class the most and least "
                                     "typical as a PNG (as DL4J's VaeMNISTAnomaly); with --data every row's "
                                     "scores, anomaly.md (AUROC, average precision, ROC curve with labels)");
  add_use_options(anomaly_cmd);
  add_data_options(anomaly_cmd, use_data, false);
  bind_option(anomaly_cmd, "score", anomaly.score,
              "recon-logprob: DL4J's reconstruction log-probability; logpx: importance-weighted log p(x)")
      ->check(one_of({"recon-logprob", "logpx"}));
  bind_option(anomaly_cmd, "per-class", anomaly.per_class, "images per class on each side")->check(in_range(1, 100));
  bind_option(anomaly_cmd, "recon-samples", anomaly.recon_samples, "samples for the reconstruction log-probability")
      ->check(in_range(1, 10000));
  bind_option(anomaly_cmd, "k", anomaly.k, "importance samples for --score logpx")->check(in_range(1, 100000));
  bind_option(anomaly_cmd, "out", use.out,
              "PNG file (default: anomaly.png beside the model); with --data a directory or the scores' .csv "
              "file (default: the model's directory), beside which go anomaly.md, anomaly_roc.png (with labels) "
              "and anomaly_typical.png (rows with an image shape)");
  bind_option(anomaly_cmd, "labels", anomaly.labels_file,
              "with --data: a file of one 0/1 per line (1 = anomaly); AUROC, average precision and ROC curves");
  anomaly_cmd.options.back().user_data_only = true;
  bind_option(anomaly_cmd, "top", anomaly.top, "with --data: the most and least typical rows listed in anomaly.md")
      ->check(in_range(1, 1000));
  anomaly_cmd.options.back().user_data_only = true;

  Command& map_cmd = add_command("latent-map",
                                 "latent manifold and class scatter of a 2-D latent space; without "
                                 "--model first trains a VAE with --latent 2 (train's options)");
  map_run.model.latent = 2;
  map_run.train.out_dir = "out/vae-2d";
  add_model_options(map_cmd, map_run.model);
  add_data_options(map_cmd, map_run.data, true);
  add_train_options(map_cmd, map_run.train);
  bind_option(map_cmd, "model", map_model, "a trained model with a 2-D latent space (\"\" = train one into --out)");
  bind_option(map_cmd, "grid", latent_map.grid, "the manifold shows grid x grid decoded images")
      ->check(in_range(2, 100));
  bind_option(map_cmd, "quantile", latent_map.quantile, "the grid spans the N(0,1) quantiles [q, 1-q]")
      ->check(above(0, 0.49));
}

int Cli::parse(int argc, const char* const* argv) {
  if (argc > 1 && argv[1][0] != '-' && commands_.count(argv[1]) == 0) {
    std::string known;
    for (const auto& [name, cmd] : commands_) known += (known.empty() ? "" : ", ") + name;
    std::cerr << "xgrad-vae: unknown command '" << argv[1] << "' (commands: " << known << "; see xgrad-vae --help)\n";
    return kExitUsage;
  }
  try {
    app_.parse(argc, argv);
    for (auto& [name, cmd] : commands_)
      if (cmd.app->parsed()) {
        command_ = name;
        if (cmd.config->count() > 0) apply_config_file(cmd, cmd.config->as<std::string>());
      }
  } catch (const CLI::ParseError& e) {
    const int status = app_.exit(e);
    return status == 0 ? kExitOk : kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "xgrad-vae: " << e.what() << "\n";
    return kExitUsage;
  }
  return -1;
}

}  // namespace xgrad::trainer
