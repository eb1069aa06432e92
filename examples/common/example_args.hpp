#pragma once
// Command line shared by the examples: `--short` (a few seconds: small subset, one epoch; what the tests
// run), `--out DIR` (where pictures go; created if missing), `--help`. Unknown options exit with code 2.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace xgrad::examples {

struct ExampleArgs {
  bool short_mode = false;
  std::string out = ".";
};

inline ExampleArgs parse_example_args(int argc, char** argv, const char* what) {
  ExampleArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--short") {
      a.short_mode = true;
    } else if (arg == "--out" && i + 1 < argc) {
      a.out = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      std::cout << argv[0] << ": " << what << "\n"
                << "  --short     run on a small subset for one epoch (a few seconds)\n"
                << "  --out DIR   directory for the output files (default: .)\n";
      std::exit(0);
    } else {
      std::cerr << argv[0] << ": unknown option '" << arg << "' (try --help)\n";
      std::exit(2);
    }
  }
  std::filesystem::create_directories(a.out);
  return a;
}

}  // namespace xgrad::examples
