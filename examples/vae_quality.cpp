// Quality check of the VariationalAutoencoder against PyTorch (issue 4): the "kw" model of Kingma & Welling,
// encoder 784-500 (tanh) -> 20, decoder 20-500 (tanh) -> 784, Bernoulli likelihood from logits on [0,1]
// pixels, Adam 1e-3, batch 100, on Fashion-MNIST. Prints per epoch the train and test negative ELBO (test:
// one z sample per image, fixed seed, as ../shared/bench/torch_vae.py --config kw --epochs 3) and the epoch
// time (wall and CPU). Options: --epochs N (3), --threads T (2), --init torch|xavier (default torch: PyTorch's
// nn.Linear default U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, the baseline's own init; xavier,
// DL4J's default, starts slower and ends about 3 nats worse after 3 epochs), --limit N (examples per split;
// 0 = all), --seed S, --data DIR.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "autograd/kernels.hpp"
#include "autograd/xgrad.hpp"
#include "nn/data/fashion_mnist.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/layers/vae.hpp"
#include "nn/optim/optimizers.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {
// mean negative ELBO over a dataset, one sample of z per example, common seed
double test_neg_elbo(VariationalAutoencoder& vae, const Tensor& x, std::uint64_t seed) {
  NoGradGuard guard;
  vae.eval();
  vae.seed(seed);
  const std::size_t n = x.shape()[0], chunk = 1000;
  double total = 0;
  for (std::size_t s = 0; s < n; s += chunk) {
    std::vector<std::size_t> rows;
    for (std::size_t r = s; r < std::min(n, s + chunk); ++r) rows.push_back(r);
    const Tensor xb = data::gather_rows(x, rows);
    total += kernels::sum_all(vae.elbo(constant(xb), 1).negative_elbo.value());
  }
  vae.train();
  return total / static_cast<double>(n);
}

void torch_init(VariationalAutoencoder& vae, std::uint64_t seed) {
  Generator gen(seed);
  std::size_t fan_in = 0;
  for (const auto& p : vae.named_parameters()) {
    Variable v = p.variable;
    if (v.dim() == 2) fan_in = v.shape()[0];  // W [in, out] precedes its bias
    const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
    v.mutable_value() = gen.uniform(v.shape(), -bound, bound, v.dtype());
  }
}
}  // namespace

int main(int argc, char** argv) {
  std::size_t epochs = 3, limit = 0, threads = 2;
  std::uint64_t seed = 0;
  std::string init = "torch", dir = data::kFashionMnistDir;
  for (int i = 1; i < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--help" || k == "-h") {
      std::printf(
          "usage: vae_quality [--epochs 3] [--threads 2] [--init torch|xavier] [--limit 0] [--seed 0] "
          "[--data %s]\n",
          data::kFashionMnistDir);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "vae_quality: option %s needs a value\n", k.c_str());
      return 2;
    }
    const std::string v = argv[i + 1];
    if (k == "--init" && v != "torch" && v != "xavier") {
      std::fprintf(stderr, "vae_quality: --init must be torch or xavier, got '%s'\n", v.c_str());
      return 2;
    }
    if (k == "--epochs")
      epochs = std::stoul(v);
    else if (k == "--threads")
      threads = std::stoul(v);
    else if (k == "--limit")
      limit = std::stoul(v);
    else if (k == "--seed")
      seed = std::stoull(v);
    else if (k == "--init")
      init = v;
    else if (k == "--data")
      dir = v;
    else {
      std::fprintf(stderr, "vae_quality: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  set_num_threads(static_cast<int>(threads));
  data::FashionMnistOptions fo;
  fo.directory = dir;
  fo.limit = limit;
  const data::FashionMnist fm = data::load_fashion_mnist(fo);

  VariationalAutoencoderOptions o;
  o.n_in = 784;
  o.n_out = 20;
  o.encoder_layer_sizes = {500};
  o.decoder_layer_sizes = {500};
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = std::make_shared<BernoulliDistribution>();
  o.seed = seed;
  VariationalAutoencoder vae(o);
  if (init == "torch") torch_init(vae, seed + 1);
  Adam adam(vae.named_parameters(), AdamOptions{1e-3});

  data::BatchOptions bo;
  bo.batch_size = 100;
  bo.seed = seed;
  data::BatchIterator it(fm.train, bo);
  std::printf(
      "# vae_quality kw: 784-500-20 tanh, Bernoulli, Adam 1e-3, batch 100, init %s, threads %zu, train %zu, "
      "test %zu\n",
      init.c_str(), threads, fm.train.size(), fm.test.size());
  std::printf("# epoch 0 test_neg_elbo=%.3f\n", test_neg_elbo(vae, fm.test.features(), 1234));
  std::fflush(stdout);
  for (std::size_t e = 1; e <= epochs; ++e) {
    it.start_epoch(e - 1);
    data::Batch b;
    double total = 0;
    std::size_t seen = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    while (it.next(b)) {
      adam.zero_grad();
      const Variable loss = vae.pretrain_loss(constant(b.features));
      loss.backward();
      adam.step();
      total += loss.item() * static_cast<double>(b.features.shape()[0]);
      seen += b.features.shape()[0];
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;  // all threads
    std::printf(
        "xgrad_quality config=kw batch=100 threads=%zu epoch=%zu train_neg_elbo=%.3f test_neg_elbo=%.3f "
        "epoch_s=%.2f cpu_s=%.2f\n",
        threads, e, total / static_cast<double>(seen), test_neg_elbo(vae, fm.test.features(), 1234), secs, cpu);
    std::fflush(stdout);
  }
  return 0;
}
