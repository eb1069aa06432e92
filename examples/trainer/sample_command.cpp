// `xgrad-vae sample`: images generated from the prior.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "autograd/tape.hpp"

#include "trainer/atomic_file.hpp"
#include "trainer/commands.hpp"
#include "trainer/exit_codes.hpp"
#include "trainer/model_file.hpp"
#include "trainer/pictures.hpp"
#include "trainer/png.hpp"

namespace xgrad::trainer {
namespace {

int sample_rows(const ModelUseSettings& use, const SampleSettings& sample, LoadedVae& model) {
  nn::VariationalAutoencoder& vae = *model.vae;
  const std::string path = output_path(use.out, use.model, "samples.csv");
  ensure_writable_directory(directory_of(path));
  use_threads(use.threads);
  Generator gen(use.seed);
  Tensor x;
  {
    NoGradGuard guard;
    const Tensor z = vae.prior().sample(gen, sample.count, vae.options().dtype);  // N(0, I) for the default prior
    x = (sample.mode == "random" ? vae.generate_random_given_z(z, gen) : vae.generate_at_mean_given_z(z))
            .to(DType::float64);
  }
  const nn::data::ColumnPlan plan = model.columns();  // back to the training file's columns and units
  x = plan.inverse(x).to(DType::float64);
  const std::size_t d = x.shape()[1];
  const double* v = x.data<double>();
  const std::vector<std::string>& names = plan.source_names();
  std::ostringstream csv;
  for (std::size_t j = 0; j < d; ++j)
    csv << (j ? "," : "") << (j < names.size() ? names[j] : "x" + std::to_string(j + 1));
  csv << "\n";
  char buf[32];
  for (std::size_t i = 0; i < sample.count; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      std::snprintf(buf, sizeof buf, "%.6g", v[i * d + j]);
      csv << buf << (j + 1 < d ? "," : "\n");
    }
  try {
    write_file_atomic(path, csv.str());
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << sample.count << " rows of " << d << " columns, " << sample.mode
            << " of p(x|z), z ~ p(z) = " << model.vae->prior().describe() << ")\n";
  return kExitOk;
}

}  // namespace

int sample_command(const ModelUseSettings& use, const SampleSettings& sample) {
  LoadedVae model = load_vae(use.model);
  // A 784-wide model draws 28x28 pictures; another width (a model of the user's table) one CSV row per sample.
  if (model.vae->n_in() != 784) return sample_rows(use, sample, model);
  const std::string path = output_path(use.out, use.model, "samples.png");
  ensure_writable_directory(directory_of(path));
  use_threads(use.threads);
  Generator gen(use.seed);
  const Image img = samples_picture(*model.vae, sample.count, sample.cols, sample.mode == "random", gen);
  try {
    write_png(path, img);
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  std::cout << "wrote " << path << " (" << sample.count << " images, " << sample.mode
            << " of p(x|z), z ~ p(z) = " << model.vae->prior().describe() << ")\n";
  return kExitOk;
}

}  // namespace xgrad::trainer
