#pragma once
// Runs the built xgrad-vae binary (${XGRAD_BINARY_DIR}/examples/trainer/xgrad-vae) with arguments and
// returns its exit status and output, for the end-to-end and bad-input tests.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace xgrad::test {

struct RunResult {
  int status = -1;
  std::string out, err;
};

inline std::string trainer_binary() {
  return std::string(XGRAD_BINARY_DIR) + "/examples/trainer/xgrad-vae";
}

/// A fresh, empty scratch directory for one test.
inline std::string scratch_dir(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(XGRAD_BINARY_DIR) / "trainer_scratch" / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `xgrad-vae <args>` (args are passed to /bin/sh as written).
inline RunResult run_trainer(const std::string& args, const std::string& scratch) {
  const std::string out = scratch + "/stdout.txt", err = scratch + "/stderr.txt";
  const std::string cmd = trainer_binary() + " " + args + " > " + out + " 2> " + err;
  const int raw = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

}  // namespace xgrad::test
