#pragma once
// The command line of bench/conv_ops and bench/conv_dnnl: --threads 1,2 (a list), --rounds R, --reps N.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

struct ConvBenchArgs {
  std::vector<int> threads = {1, 2};
  int rounds = 5, reps = 10;
};

/// Parses argv; an unknown option prints "<program>: unknown option X" and exits with code 2.
inline ConvBenchArgs parse_conv_bench_args(int argc, char** argv, const char* program) {
  ConvBenchArgs a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--threads") {
      a.threads.clear();
      std::stringstream ss(argv[i + 1]);
      for (std::string item; std::getline(ss, item, ',');) a.threads.push_back(std::stoi(item));
    } else if (key == "--rounds") {
      a.rounds = std::stoi(argv[i + 1]);
    } else if (key == "--reps") {
      a.reps = std::stoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "%s: unknown option %s\n", program, argv[i]);
      std::exit(2);
    }
  }
  return a;
}
