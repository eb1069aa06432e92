// Teaches: a convolutional network from DL4J-style layers (built in
// common/fashion_cnn.hpp: conv 5x5 Same -> batch norm (relu) -> max pool 2x2,
// twice, then a 256-unit relu Dense layer and a softmax OutputLayer with
// dropout). Prints the summary (with each layer's output shape), then per
// epoch the training score, the test accuracy and the time, and finally the
// evaluation report.
//
//   cnn_classifier [--short] [--out DIR]     (--short: 2000 training / 1000
//   test images, one epoch)
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/example_args.hpp"
#include "common/fashion_cnn.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/train/summary.hpp"

using namespace xgrad;
using namespace xgrad::nn;


int main(int argc, char **argv) {
  const auto args = examples::parse_example_args(
      argc, argv, "a CNN (conv-BN-pool x2, dense, softmax) on Fashion-MNIST");
  try {
    data::FashionMnistOptions fo;
    const data::FashionMnist fm = data::load_fashion_mnist(fo);
    const data::Dataset train =
        args.short_mode ? fm.train.head(2000) : fm.train;
    const data::Dataset test = args.short_mode ? fm.test.head(1000) : fm.test;
    std::cout << "Fashion-MNIST: " << train.size() << " training and "
              << test.size() << " test images\n";

    const std::unique_ptr<Network> model = examples::make_fashion_cnn();
    Network &net = *model;
    std::cout << summary(net) << "\n";

    FitOptions fit;
    fit.epochs = 1;
    fit.batch_size = examples::fashion_cnn_batch_size;
    fit.seed = 42;
    const std::size_t epochs = args.short_mode ? 1 : 10;
    double total = 0;
    for (std::size_t e = 1; e <= epochs; ++e) {
      const auto t0 = std::chrono::steady_clock::now();
      net.fit(train, fit);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
              .count();
      total += seconds;
      const double acc = net.evaluate(test, 500).accuracy();
      std::printf("epoch %zu: train score %.4f, test accuracy %.2f%%, %.1f s\n",
                  e, net.score(train, 500), 100 * acc, seconds);
      std::fflush(stdout);
    }
    const Evaluation ev =
        net.evaluate(test, 500, data::fashion_mnist_class_names());
    std::cout << "\n" << ev.to_string() << "\n";
    std::printf("test accuracy %.2f%% after %zu epochs, training time %.1f s\n",
                100 * ev.accuracy(), epochs, total);
    const std::string path = args.out + "/cnn_classifier.xgrad";
    net.save(path);
    std::cout << "saved the model to " << path << "\n";
  } catch (const xgrad::Error &e) {
    std::cerr << "cnn_classifier: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
