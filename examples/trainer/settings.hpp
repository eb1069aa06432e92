#pragma once
// The trainer's settings, grouped as the command line groups them. Defaults are the default run
// (`xgrad-vae train`): a Bernoulli VAE 784-512-[32]-512-784 (leaky ReLU), Adam 1e-3, batch 100, 50 epochs on
// dynamically binarised Fashion-MNIST: about 3 minutes on 2 idle cores.
// cli.hpp binds every field to an option; config_file.hpp reads/writes them as JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace xgrad::trainer {

inline constexpr const char* kDefaultDataDir = "/usr/share/datasets/fashion-mnist";
inline constexpr const char* kDefaultOutDir = "out/vae";
inline constexpr const char* kModelFileName = "model.xgrad";
inline constexpr const char* kConfigFileName = "config.json";

/// The VAE (nn::VariationalAutoencoderOptions, with DL4J's option names in the help).
struct ModelSettings {
  std::string architecture = "dense";  // dense | conv (architecture.hpp)
  std::vector<std::size_t> encoder_layers{512};
  std::vector<std::size_t> decoder_layers{512};
  std::size_t latent = 32;
  std::string activation = "leakyrelu";
  std::string pzx_activation = "identity";
  /// A distribution spec (distribution_spec.hpp): "bernoulli", "gaussian(tanh)", "gaussian:200,bernoulli:584".
  std::string distribution = "bernoulli";
  std::size_t num_samples = 1;
  double beta = 1.0;
  double kl_warmup_epochs = 0;           // beta ramps linearly from 0 over this many epochs
  std::size_t iwae_k = 0;                // 0: ELBO objective; k >= 1: IWAE objective with k samples
  std::string prior = "standard";        // standard | mog:K | vamp:K (latent_spec.hpp)
  std::string flow = "none";             // none | planar:N | iaf:N
  std::string latent_type = "gaussian";  // gaussian | relaxed:GxC (sets the latent width to G*C)
  std::string weight_init = "xavier";
  double l1 = 0;
  double l2 = 0;
  std::string dtype = "float32";
};

struct DataSettings {
  std::string data_dir = kDefaultDataDir;
  std::string binarization = "dynamic";  // none | static | dynamic
  std::size_t limit = 0;                 // first N training images (0 = all 60000)
  std::size_t test_limit = 0;            // first N test images (0 = all 10000)
  // The user's own data (--data) instead of Fashion-MNIST: CSV (header detected), .npy or IDX (.gz).
  std::string data_file;            // "" = Fashion-MNIST
  std::string test_data_file;       // "" = hold out test_fraction of data_file's rows
  std::string label_column;         // "" = none; a header name or 1-based index: labels, not a feature
  std::string delimiter = "auto";   // CSV: auto (sniffed) | comma | semicolon | tab | space | , | ;
  std::string header = "auto";      // CSV: auto (a first line with a non-numeric field) | yes | no
  std::string standardize = "yes";  // --data: yes = (x - mean) / std of the training rows for real-line parts | no
  double test_fraction = 0.2;
  std::uint64_t split_seed = 1;
};

struct TrainSettings {
  std::string optimizer = "adam";
  double learning_rate = 1e-3;
  std::size_t batch_size = 100;
  std::size_t epochs = 50;
  std::uint64_t seed = 42;
  int threads = 0;  // 0: all cores
  std::string out_dir = kDefaultOutDir;
  std::string progress = "auto";  // auto | bar | lines | none
  bool resume = false;            // continue from out_dir's checkpoint
};

/// Everything `train` needs.
struct RunSettings {
  ModelSettings model;
  DataSettings data;
  TrainSettings train;
};

/// Options of the commands that use a trained model.
struct ModelUseSettings {
  std::string model = std::string(kDefaultOutDir) + "/" + kModelFileName;
  std::string out;  // output file or directory ("" = beside the model)
  std::uint64_t seed = 7;
  int threads = 0;
  std::size_t batch_size = 500;
  std::string progress = "auto";
};

struct EvaluateSettings {
  std::size_t k = 5000;            // importance samples for log p(x)
  std::size_t ll_subset = 1000;    // test images for log p(x) (0 = all)
  std::size_t recon_samples = 16;  // DL4J reconstructionLogProbability's numSamples
  std::size_t elbo_samples = 1;    // samples of z per image for the negative ELBO
};

struct SampleSettings {
  std::size_t count = 100;
  std::size_t cols = 10;
  std::string mode = "mean";  // mean | random
};

struct AnomalySettings {
  std::string score = "recon-logprob";  // recon-logprob | logpx
  std::size_t per_class = 5;
  std::size_t recon_samples = 16;
  std::size_t k = 200;      // for --score logpx
  std::string labels_file;  // with --data: one 0/1 per row (1 = anomaly), for AUROC and average precision
  std::size_t top = 10;     // with --data: the report lists (and pictures) the `top` most and least typical rows
};

struct LatentMapSettings {
  std::size_t grid = 20;   // manifold: grid x grid decoded images
  double quantile = 0.05;  // grid spans the normal quantiles [q, 1-q] in each latent dimension
};

}  // namespace xgrad::trainer
