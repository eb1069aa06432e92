// Teaches: supervised training with the nn module — load Fashion-MNIST, build a 784-256-10 MLP
// (relu hidden layer, softmax output with the MCXENT loss), train it with Adam (learning rate halved
// after every epoch by an exponential schedule) while a progress bar
// runs, then print the test accuracy, per-class precision/recall/F1 and the confusion matrix.
//
//   mlp_classifier [--epochs N] [--limit N] [--batch N] [--lr X] [--decay G] [--hidden N] [--seed N] [--threads N]
//                  [--data DIR] [--save FILE]
// --limit N keeps the first N training and test images (a short run takes a few seconds).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "autograd/parallel.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/layers/dense.hpp"
#include "nn/train/network.hpp"
#include "nn/train/summary.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
struct Args {
  std::size_t epochs = 5, limit = 0, batch = 64, hidden = 256, threads = 0;
  double lr = 2e-3, decay = 0.5;
  std::uint64_t seed = 42;
  std::string data = data::kFashionMnistDir, save;
};

[[noreturn]] void usage(const std::string& error) {
  if (!error.empty()) std::cerr << "mlp_classifier: " << error << "\n";
  std::cerr << "usage: mlp_classifier [--epochs N (5)] [--limit N (0 = all)] [--batch N (64)] [--lr X (0.002)]\n"
               "                      [--decay G (0.5): lr x G after each epoch] [--hidden N (256)] [--seed N (42)] "
               "[--threads N (0 = all cores)]\n"
               "                      [--data DIR ("
            << data::kFashionMnistDir << ")] [--save FILE]\n";
  std::exit(error.empty() ? 0 : 2);
}

std::size_t count_arg(const std::string& flag, const char* v, std::size_t min) {
  char* end = nullptr;
  const long long n = std::strtoll(v, &end, 10);
  if (*end != '\0' || n < static_cast<long long>(min))
    usage(flag + " expects an integer >= " + std::to_string(min) + ", got '" + v + "'");
  return static_cast<std::size_t>(n);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (f == "--help" || f == "-h") usage("");
    if (i + 1 >= argc) usage("missing value after " + f);
    const char* v = argv[++i];
    if (f == "--epochs")
      a.epochs = count_arg(f, v, 1);
    else if (f == "--limit")
      a.limit = count_arg(f, v, 0);
    else if (f == "--batch")
      a.batch = count_arg(f, v, 1);
    else if (f == "--hidden")
      a.hidden = count_arg(f, v, 1);
    else if (f == "--seed")
      a.seed = count_arg(f, v, 0);
    else if (f == "--threads")
      a.threads = count_arg(f, v, 0);
    else if (f == "--data")
      a.data = v;
    else if (f == "--save")
      a.save = v;
    else if (f == "--lr") {
      char* end = nullptr;
      a.lr = std::strtod(v, &end);
      if (*end != '\0' || !(a.lr > 0)) usage("--lr expects a number > 0, got '" + std::string(v) + "'");
    } else if (f == "--decay") {
      char* end = nullptr;
      a.decay = std::strtod(v, &end);
      if (*end != '\0' || !(a.decay > 0 && a.decay <= 1))
        usage("--decay expects a number in (0, 1], got '" + std::string(v) + "'");
    } else
      usage("unknown option " + f);
  }
  return a;
}
}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  try {
    if (args.threads > 0) xgrad::set_num_threads(static_cast<int>(args.threads));
    data::FashionMnistOptions fo;
    fo.directory = args.data;
    fo.limit = args.limit;
    const data::FashionMnist fm = data::load_fashion_mnist(fo);
    std::cout << "Fashion-MNIST: " << fm.train.size() << " training and " << fm.test.size() << " test images\n";

    DenseOptions hidden;
    hidden.n_in = 784;
    hidden.n_out = args.hidden;
    hidden.activation = Activation::from_name("relu");
    hidden.weight_init = WeightInitConfig::from_name("RELU");
    hidden.seed = args.seed;
    OutputLayerOptions out(args.hidden, 10, Loss::MCXENT, Activation::from_name("softmax"));
    out.seed = args.seed + 1;
    Network net({std::make_shared<Dense>(hidden), std::make_shared<OutputLayer>(out)});
    // Adam; the learning rate decays by `decay` after every epoch (DL4J's ExponentialSchedule, EPOCH type).
    net.set_optimizer(
        {{"type", "adam"},
         {"learning_rate", args.lr},
         {"schedule",
          {{"type", "Exponential"}, {"schedule_type", "EPOCH"}, {"initial_value", args.lr}, {"gamma", args.decay}}}});
    std::cout << summary(net) << "\n";

    net.add_listener(std::make_shared<ProgressBar>());
    FitOptions fit;
    fit.epochs = args.epochs;
    fit.batch_size = args.batch;
    fit.seed = args.seed;
    const auto t0 = std::chrono::steady_clock::now();
    net.fit(fm.train, fit);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const Evaluation ev = net.evaluate(fm.test, 1024, data::fashion_mnist_class_names());
    std::cout << "\n" << ev.to_string() << "\n";
    std::printf("test accuracy %.2f%% after %zu epochs, training time %.1f s\n", 100 * ev.accuracy(), args.epochs,
                seconds);
    if (!args.save.empty()) {
      net.save(args.save);
      std::cout << "saved the model to " << args.save << "\n";
    }
  } catch (const xgrad::Error& e) {
    std::cerr << "mlp_classifier: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
