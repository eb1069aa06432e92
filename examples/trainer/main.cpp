// xgrad-vae: train and use a variational autoencoder on Fashion-MNIST (see `xgrad-vae --help`).
#include <iostream>
#include <memory>
#include <string>

#ifdef XGRAD_HAVE_MPI
#include "nn/distributed/communicator.hpp"
#endif

#include "trainer/cli.hpp"
#include "trainer/commands.hpp"
#include "trainer/config_file.hpp"
#include "trainer/exit_codes.hpp"

namespace {

std::string command_line(int argc, char** argv) {
  std::string s = "xgrad-vae";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    s += " " + (a.find_first_of(" \"'$") == std::string::npos ? a : "'" + a + "'");
  }
  return s;
}

int run(xgrad::trainer::Cli& cli, int argc, char** argv) {
  using namespace xgrad::trainer;
  const std::string& cmd = cli.command();
  if (cmd == "train") {
    train_command(cli.run, effective_config("train", cli.bound("train")), command_line(argc, argv));
    return kExitOk;
  }
  if (cmd == "evaluate") return evaluate_command(cli.use, cli.use_data, cli.evaluate);
  if (cmd == "sample") return sample_command(cli.use, cli.sample);
  if (cmd == "reconstruct") return reconstruct_command(cli.use, cli.use_data, cli.sample);
  if (cmd == "anomaly") return anomaly_command(cli.use, cli.use_data, cli.anomaly, command_line(argc, argv));
  if (cmd == "latent-map") {
    // The run's settings as `train` would write them (so config.json works with train --config).
    nlohmann::json settings = effective_config("train", cli.bound("latent-map"));
    nlohmann::json train_keys = effective_config("train", cli.bound("train"));
    for (auto it = settings.begin(); it != settings.end();)
      it = train_keys.contains(it.key()) ? std::next(it) : settings.erase(it);
    const bool out_given = cli.bound("latent-map").app->get_option("--out")->count() > 0;
    const std::string out =
        cli.map_model.empty() || out_given ? cli.map_run.train.out_dir : directory_of(cli.map_model);
    return latent_map_command(cli.map_run, settings, cli.map_model, out, cli.latent_map, command_line(argc, argv));
  }
  std::cerr << "xgrad-vae: unknown command '" << cmd << "'\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace xgrad::trainer;
  Cli cli;
  const int status = cli.parse(argc, argv);
  if (status >= 0) return status;
  std::string rank_prefix;  // "rank r of N: " when several ranks run
  int ranks = 1;
#ifdef XGRAD_HAVE_MPI
  // Started by mpirun: MPI for the process's lifetime; `train` then runs data-parallel (trainer/parallel_run.hpp).
  std::unique_ptr<xgrad::nn::distributed::Environment> mpi;
  if (xgrad::nn::distributed::Environment::launched_by_mpirun()) {
    try {
      mpi = std::make_unique<xgrad::nn::distributed::Environment>(&argc, &argv);
    } catch (const std::exception& e) {
      std::cerr << "xgrad-vae: error: " << e.what() << "\n";
      return kExitFailure;
    }
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (ranks > 1) rank_prefix = "rank " + std::to_string(rank) + " of " + std::to_string(ranks) + ": ";
  }
#endif
  int code = kExitOk;
  try {
    return run(cli, argc, argv);
  } catch (const Interrupted& e) {
    // The ranks agreed on this stop (trainer/parallel_run.hpp, any()): every rank is here, MPI_Finalize is safe.
    std::cerr << "\nxgrad-vae " << cli.command() << ": " << rank_prefix << e.what() << "\n";
    return kExitInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "xgrad-vae " << cli.command() << ": " << rank_prefix << "error: " << e.what() << "\n";
    code = kExitFailure;
    if (dynamic_cast<const UsageError*>(&e)) code = kExitUsage;
    if (dynamic_cast<const InputError*>(&e)) code = kExitInput;
    if (dynamic_cast<const OutputError*>(&e)) code = kExitOutput;
  }
#ifdef XGRAD_HAVE_MPI
  // A failed rank ends the whole job: the others may be waiting for it (MPI_Finalize would wait too).
  if (ranks > 1) {
    std::cerr.flush();
    xgrad::nn::distributed::Environment::abort(code);
  }
#endif
  (void)ranks;
  return code;
}
