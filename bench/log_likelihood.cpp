// Evaluation throughput (issue 18): VariationalAutoencoder::log_likelihood(x, k) - the importance-weighted
// estimate of log p(x) with k samples per image - on N images of 784 pixels in [0,1], the kw model (784-500-20,
// tanh, Bernoulli), float32. Untrained weights (the time does not depend on them). Prints
//   xgrad_log_likelihood images=N k=K threads=T seconds=... images_per_s=...
//   log_likelihood [--images 100] [--k 5000] [--threads 1,2]
#include <chrono>
#include <cstdio>
#include <string>

#include "autograd/xgrad.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/layers/vae.hpp"

using namespace xgrad;

int main(int argc, char** argv) try {
  std::size_t images = 100, k = 5000;
  std::vector<int> threads{1, 2};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], v = argv[i + 1];
    if (key == "--images")
      images = std::stoul(v);
    else if (key == "--k")
      k = std::stoul(v);
    else if (key == "--threads") {
      threads.clear();
      for (std::size_t at = 0; at < v.size();
           at = v.find(',', at) == std::string::npos ? v.size() : v.find(',', at) + 1)
        threads.push_back(std::stoi(v.substr(at)));
    } else
      throw InvalidArgument("log_likelihood: unknown option " + key);
  }
  nn::VariationalAutoencoderOptions o;
  o.n_in = 784;
  o.n_out = 20;
  o.encoder_layer_sizes = {500};
  o.decoder_layer_sizes = {500};
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = std::make_shared<nn::BernoulliDistribution>();
  o.seed = 0;
  nn::VariationalAutoencoder vae(o);
  Generator g(3);
  const Tensor x = g.uniform({images, 784}, 0.0, 1.0);
  for (int t : threads) {
    set_num_threads(t);
    const auto t0 = std::chrono::steady_clock::now();
    const Tensor ll = vae.log_likelihood(x, k);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("xgrad_log_likelihood images=%zu k=%zu threads=%d seconds=%.3f images_per_s=%.2f mean=%.3f\n", images,
                k, t, s, images / s, ll.data<double>()[0]);
    std::fflush(stdout);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "log_likelihood: %s\n", e.what());
  return 1;
}
