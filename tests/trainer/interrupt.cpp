// Ctrl-C: SIGINT only sets a flag; a training run interrupted after its first checkpoint exits with 130
// and leaves a model file that loads (the last completed epoch), with no temporary file behind.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "run_binary.hpp"
#include "trainer/interrupt.hpp"
#include "trainer/model_file.hpp"

using namespace xgrad::test;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(trainer_interrupt)

BOOST_AUTO_TEST_CASE(sigint_sets_the_flag_only_while_guarded) {
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  {
    xgrad::trainer::InterruptGuard guard;
    BOOST_TEST(!xgrad::trainer::InterruptGuard::requested());
    ::raise(SIGINT);  // handled: the process goes on
    BOOST_TEST(xgrad::trainer::InterruptGuard::requested());
  }
  struct sigaction current {};
  sigaction(SIGINT, nullptr, &current);
  BOOST_TEST((current.sa_handler == before.sa_handler));  // the previous handler is back
}

// mpirun (Open MPI 4.1) turns Ctrl-C into SIGTERM for the ranks: SIGTERM is a stop request too.
BOOST_AUTO_TEST_CASE(sigterm_sets_the_flag_only_while_guarded) {
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  {
    xgrad::trainer::InterruptGuard guard;
    BOOST_TEST(!xgrad::trainer::InterruptGuard::requested());
    ::raise(SIGTERM);  // handled: the process goes on
    BOOST_TEST(xgrad::trainer::InterruptGuard::requested());
  }
  struct sigaction current {};
  sigaction(SIGTERM, nullptr, &current);
  BOOST_TEST((current.sa_handler == before.sa_handler));
}

BOOST_AUTO_TEST_CASE(interrupted_training_keeps_the_last_checkpoint) {
  const std::string d = scratch_dir("interrupt");
  const std::string out = d + "/run", model = out + "/model.xgrad";
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string log = d + "/log.txt";
    freopen(log.c_str(), "w", stdout);
    freopen(log.c_str(), "a", stderr);
    const std::string bin = trainer_binary();
    execl(bin.c_str(), bin.c_str(), "train", "--limit", "1000", "--test-limit", "100", "--epochs", "1000",
          "--encoder-layers", "32", "--decoder-layers", "32", "--progress", "none", "--out", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!fs::exists(model) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  BOOST_REQUIRE_MESSAGE(fs::exists(model), "no checkpoint after 20 s: " << read_text(d + "/log.txt"));
  kill(pid, SIGINT);
  int raw = 0;
  waitpid(pid, &raw, 0);
  BOOST_TEST(WIFEXITED(raw));
  BOOST_TEST(WEXITSTATUS(raw) == 130, read_text(d + "/log.txt"));
  BOOST_TEST(read_text(d + "/log.txt").find("interrupted") != std::string::npos);
  BOOST_TEST(!fs::exists(model + ".tmp"));
  const auto loaded = xgrad::trainer::load_vae(model);
  BOOST_TEST(loaded.epochs_completed() >= 1u);
  BOOST_TEST(loaded.epochs_completed() < 1000u);
}

BOOST_AUTO_TEST_SUITE_END()
