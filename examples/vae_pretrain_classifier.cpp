// Teaches: unsupervised VAE pretraining as the first stage of a classifier, DL4J style. A network of a
// VariationalAutoencoder layer (whose output is the posterior mean mu(x)) and a softmax OutputLayer is
// first pretrained with Network::pretrain on unlabelled images (the ELBO; supervised fit never trains the
// VAE's decoder), then fine-tuned with Network::fit on a few labelled images. The same network fitted on
// the same labelled images without pretraining is the baseline; both test accuracies are printed, and the
// same pair with the encoder frozen (only the softmax layer learns: a linear probe of what the encoder
// learned without labels).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "autograd/xgrad.hpp"
#include "common/example_args.hpp"
#include "common/example_data.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/layers/vae.hpp"
#include "nn/train/network.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {

// 784 -> VAE (encoder 256, latent 32) -> softmax over the 10 classes.
std::unique_ptr<Network> make_classifier(std::uint64_t seed) {
  VariationalAutoencoderOptions v;
  v.n_in = 784;
  v.n_out = 32;
  v.encoder_layer_sizes = {256};
  v.decoder_layer_sizes = {256};
  v.activation = Activation::from_name("tanh");
  v.reconstruction_distribution = std::make_shared<BernoulliDistribution>();
  v.seed = seed;
  OutputLayerOptions out(32, 10, Loss::MCXENT, Activation::from_name("softmax"));
  out.seed = seed + 1;
  auto net = std::make_unique<Network>(std::vector<std::shared_ptr<Layer>>{std::make_shared<VariationalAutoencoder>(v),
                                                                           std::make_shared<OutputLayer>(out)});
  net->set_optimizer({{"type", "adam"}, {"learning_rate", 1e-3}});
  return net;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// Fits the network's supervised part on the labelled images and returns its test accuracy. With
// `freeze_encoder` the VAE's parameters are frozen, so only the softmax layer learns (a linear probe of the
// encoder's features), trained with a larger step (1e-2), as a linear model tolerates.
double fit_and_test(Network& net, const data::Dataset& labelled, const data::Dataset& test, const FitOptions& fit,
                    bool freeze_encoder) {
  if (freeze_encoder) {
    for (const auto& p : net.layer(0).named_parameters()) net.freeze("0." + p.name);
    net.set_optimizer({{"type", "adam"}, {"learning_rate", 1e-2}});
  }
  net.fit(labelled, fit);
  return net.evaluate(test).accuracy();
}

int main(int argc, char** argv) {
  const auto args = examples::parse_example_args(argc, argv, "VAE pretraining, then a classifier fine-tuned on it");
  const auto t0 = std::chrono::steady_clock::now();

  const auto fm = examples::load_fashion_mnist(args);
  // Few labels, many unlabelled images: the setting where pretraining can pay.
  const std::size_t labelled = args.short_mode ? 200 : 1000;
  const data::Dataset few = fm.train.head(labelled);
  const data::Dataset test = fm.test.head(args.short_mode ? 1000 : fm.test.size());

  FitOptions pre;
  pre.epochs = args.short_mode ? 5 : 3;
  pre.batch_size = 100;
  pre.seed = 1;
  pre.binarization = data::Binarization::dynamic;  // a Bernoulli likelihood wants binary pixels
  FitOptions fine;
  fine.epochs = args.short_mode ? 25 : 30;
  fine.batch_size = 50;
  fine.seed = 2;

  std::printf("pretraining the VAE layer on %zu unlabelled images for %zu epoch(s) ...\n", fm.train.size(), pre.epochs);
  auto t = std::chrono::steady_clock::now();
  const auto pretrained = make_classifier(10);
  pretrained->pretrain(fm.train, pre);
  const std::string path = args.out + "/pretrained_classifier.xgrad";
  pretrained->save(path);  // two copies are loaded below: one fine-tuned, one probed
  std::printf("  done in %.1f s: test negative ELBO %.2f nats (Bernoulli on grey pixels: BCE + KL); saved %s\n",
              seconds_since(t), pretrained->pretrain_score(0, test), path.c_str());

  std::printf("fitting the classifiers on %zu labelled images for %zu epochs ...\n", labelled, fine.epochs);
  t = std::chrono::steady_clock::now();
  const double pre_tuned = fit_and_test(*Network::load(path), few, test, fine, false);
  const double pre_probe = fit_and_test(*Network::load(path), few, test, fine, true);
  const double scratch_tuned = fit_and_test(*make_classifier(10), few, test, fine, false);  // same initial weights
  const double scratch_probe = fit_and_test(*make_classifier(10), few, test, fine, true);
  std::printf("  done in %.1f s\n", seconds_since(t));

  std::printf("\ntest accuracy on %zu images, classifier trained on %zu labelled images:\n", test.size(), labelled);
  std::printf("  %-32s %22s %26s\n", "", "encoder fine-tuned", "encoder frozen (probe)");
  std::printf("  %-32s %21.2f%% %25.2f%%\n", "VAE-pretrained encoder", 100 * pre_tuned, 100 * pre_probe);
  std::printf("  %-32s %21.2f%% %25.2f%%\n", "random encoder (from scratch)", 100 * scratch_tuned, 100 * scratch_probe);
  std::printf("done in %.1f s\n", seconds_since(t0));
  return 0;
}
