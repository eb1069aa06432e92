// Teaches: one VAE for mixed tabular data with a CompositeDistribution. The program generates a table
// from two hidden factors: 3 continuous columns (modelled as Gaussian), 4 binary columns (Bernoulli) and
// one categorical feature with 3 levels stored as a one-hot group (Categorical). Each column range gets
// its own likelihood; log p(x|z) is the sum of the parts. It prints every part's log-likelihood on held-out
// rows before and after training, the KL, the ELBO and log p(x) beside the generating model's own log p(x)
// (the best attainable on average), then a reconstructed row and rows sampled from the model.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "autograd/xgrad.hpp"
#include "common/example_args.hpp"
#include "nn/distributions/bernoulli.hpp"
#include "nn/distributions/categorical.hpp"
#include "nn/distributions/composite.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/layers/vae.hpp"
#include "nn/train/network.hpp"

using namespace xgrad;
using namespace xgrad::nn;

namespace {

constexpr std::size_t kCont = 3, kBin = 4, kCat = 3, kCols = kCont + kBin + kCat;
const char* const kPartNames[] = {"gaussian    (3 continuous columns)", "bernoulli   (4 binary columns)",
                                  "categorical (one-hot group of 3)"};

// The generating model: factors u ~ N(0, I_2); continuous c = A u + 0.3 noise; binary ~ Bernoulli(sigmoid(B
// [u, 1])); category ~ softmax(C u).
constexpr double kNoise = 0.3, kPi = 3.14159265358979323846;
const double A[kCont][2] = {{1.0, 0.0}, {0.7, -0.7}, {0.0, 1.2}};
const double B[kBin][3] = {{3.0, 0.0, 0.0}, {0.0, 3.0, 1.0}, {-2.0, 2.0, 0.0}, {2.0, 2.0, -1.0}};
const double C[kCat][2] = {{2.0, 0.0}, {-1.0, 1.7}, {-1.0, -1.7}};

// Parameters of p(x|u) at one u: continuous means, binary log p and log (1-p), categorical log-probabilities.
struct Params {
  double mean[kCont], log_p[kBin], log_q[kBin], log_cat[kCat];
};
Params params_at(double u0, double u1) {
  Params p;
  for (std::size_t j = 0; j < kCont; ++j) p.mean[j] = A[j][0] * u0 + A[j][1] * u1;
  for (std::size_t j = 0; j < kBin; ++j) {
    const double r = B[j][0] * u0 + B[j][1] * u1 + B[j][2];
    p.log_p[j] = -std::log1p(std::exp(-r));  // log sigmoid(r)
    p.log_q[j] = p.log_p[j] - r;             // log (1 - sigmoid(r))
  }
  double logits[kCat], m = -1e300, s = 0;
  for (std::size_t k = 0; k < kCat; ++k) m = std::max(m, logits[k] = C[k][0] * u0 + C[k][1] * u1);
  for (double l : logits) s += std::exp(l - m);
  for (std::size_t k = 0; k < kCat; ++k) p.log_cat[k] = logits[k] - m - std::log(s);
  return p;
}
double log_p_given(const Params& p, const double* row) {
  double ll = 0;
  for (std::size_t j = 0; j < kCont; ++j) {
    const double e = (row[j] - p.mean[j]) / kNoise;
    ll += -0.5 * (std::log(2 * kPi * kNoise * kNoise) + e * e);
  }
  for (std::size_t j = 0; j < kBin; ++j) ll += row[kCont + j] > 0.5 ? p.log_p[j] : p.log_q[j];
  for (std::size_t k = 0; k < kCat; ++k)
    if (row[kCont + kBin + k] > 0.5) ll += p.log_cat[k];
  return ll;
}

// n rows drawn from the generating model, [n, 10] float32.
Tensor make_table(std::size_t n, std::uint64_t seed) {
  Generator gen(seed);
  const auto u = gen.normal({n, 2}, 0, 1, DType::float64).to_vector();
  const auto noise = gen.normal({n, kCont}, 0, 1, DType::float64).to_vector();
  const auto unif = gen.uniform({n, kBin + 1}, 0, 1, DType::float64).to_vector();
  std::vector<double> x(n * kCols, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const Params p = params_at(u[2 * i], u[2 * i + 1]);
    double* row = &x[i * kCols];
    for (std::size_t j = 0; j < kCont; ++j) row[j] = p.mean[j] + kNoise * noise[i * kCont + j];
    for (std::size_t j = 0; j < kBin; ++j) row[kCont + j] = std::log(unif[i * (kBin + 1) + j]) < p.log_p[j] ? 1 : 0;
    double cum = 0;
    std::size_t cls = kCat - 1;
    for (std::size_t k = 0; k + 1 < kCat; ++k)
      if (unif[i * (kBin + 1) + kBin] < (cum += std::exp(p.log_cat[k]))) {
        cls = k;
        break;
      }
    row[kCont + kBin + cls] = 1.0;
  }
  return Tensor::from({n, kCols}, x, DType::float32);
}

// The generating model's mean log p(x) = log of the integral of p(x|u) N(u; 0, I) over u, by the midpoint
// rule on a grid over [-5.5, 5.5]^2 (the integrand is smooth, so this is accurate to many digits).
double true_mean_log_likelihood(const Tensor& x) {
  const double h = 0.075;
  std::vector<Params> grid;
  std::vector<double> log_w;  // log (N(u; 0, I) h^2)
  for (double u0 = -5.5 + h / 2; u0 < 5.5; u0 += h)
    for (double u1 = -5.5 + h / 2; u1 < 5.5; u1 += h) {
      grid.push_back(params_at(u0, u1));
      log_w.push_back(-std::log(2 * kPi) - 0.5 * (u0 * u0 + u1 * u1) + 2 * std::log(h));
    }
  const auto v = x.to_vector();
  const std::size_t n = x.shape()[0];
  double total = 0;
  std::vector<double> terms(grid.size());
  for (std::size_t i = 0; i < n; ++i) {
    double m = -1e300, s = 0;
    for (std::size_t g = 0; g < grid.size(); ++g)
      m = std::max(m, terms[g] = log_p_given(grid[g], &v[i * kCols]) + log_w[g]);
    for (double t : terms) s += std::exp(t - m);
    total += m + std::log(s);
  }
  return total / static_cast<double>(n);
}

double mean_of(const Tensor& t) {
  double s = 0;
  for (double v : t.to_vector()) s += v;
  return s / static_cast<double>(t.size());
}

// Mean over held-out rows of every term: the parts of the reconstruction log-likelihood log p(x_part|z) at one
// z ~ q(z|x) per row, their sum, the composite's own log_prob, the KL, the ELBO and log p(x) (IWAE, k samples).
struct Terms {
  double part[3], sum = 0, composite = 0, kl = 0, elbo = 0, log_px = 0;
};
Terms evaluate(VariationalAutoencoder& vae, const CompositeDistribution& comp, const Tensor& x, std::size_t k) {
  NoGradGuard no_grad;
  const Variable xv = constant(x);
  const ElboTerms e = vae.elbo(xv, 1);
  const auto parts = comp.part_log_probs(xv, e.raw);
  Terms t;
  for (std::size_t p = 0; p < 3; ++p) t.sum += t.part[p] = mean_of(parts[p].value());
  t.composite = mean_of(e.reconstruction.value());
  t.kl = mean_of(e.kl.value());
  t.elbo = -mean_of(e.negative_elbo.value());
  t.log_px = mean_of(vae.log_likelihood(x, k));
  return t;
}

void print_row(const char* label, const Tensor& t, std::size_t row) {
  std::printf("  %-14s", label);
  for (std::size_t j = 0; j < kCols; ++j)
    std::printf("%s%6.2f", j == kCont || j == kCont + kBin ? " |" : " ", t.at(row * kCols + j));
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = examples::parse_example_args(argc, argv, "a composite distribution on mixed tabular data");
  const auto t0 = std::chrono::steady_clock::now();
  const Tensor train = make_table(args.short_mode ? 1000 : 8000, 1);
  const Tensor test = make_table(args.short_mode ? 500 : 2000, 2);

  // Columns 0-2 Gaussian (raw [mu | log sigma^2]), 3-6 Bernoulli (logits), 7-9 one categorical group (logits).
  auto comp = std::make_shared<CompositeDistribution>();
  comp->add(kCont, std::make_shared<GaussianDistribution>())
      .add(kBin, std::make_shared<BernoulliDistribution>())
      .add(kCat, std::make_shared<CategoricalDistribution>());
  comp->validate(train);  // every part checks its columns (binary values, one-hot rows)

  VariationalAutoencoderOptions o;
  o.n_in = kCols;
  o.n_out = 2;
  o.encoder_layer_sizes = {64};
  o.decoder_layer_sizes = {64};
  o.activation = Activation::from_name("tanh");
  o.reconstruction_distribution = comp;
  o.seed = 3;
  auto vae = std::make_shared<VariationalAutoencoder>(o);
  Network net({vae});
  net.set_optimizer({{"type", "adam"}, {"learning_rate", 3e-3}});
  FitOptions fit;
  fit.epochs = args.short_mode ? 10 : 40;
  fit.batch_size = 100;
  fit.seed = 4;
  std::printf("%s\ntable: %zu training rows, %zu held-out rows, %zu columns; VAE %zu-64-2 tanh, %zu epochs\n\n",
              comp->describe().c_str(), train.shape()[0], test.shape()[0], kCols, kCols, fit.epochs);

  const std::size_t k = 1000;
  const Terms before = evaluate(*vae, *comp, test, k);
  net.pretrain(data::Dataset(train), fit);
  const Terms after = evaluate(*vae, *comp, test, k);

  std::printf("%-58s %15s %15s\n", "mean per held-out row, in nats (one z ~ q(z|x) per row)", "before training",
              "after training");
  auto line = [](const std::string& label, double b, double a) {
    std::printf("  %-56s %15.3f %15.3f\n", label.c_str(), b, a);
  };
  for (std::size_t p = 0; p < 3; ++p)
    line(std::string("log p(x_part|z), ") + kPartNames[p], before.part[p], after.part[p]);
  line("sum of the parts", before.sum, after.sum);
  line("CompositeDistribution::log_prob (the ELBO's reconstruction)", before.composite, after.composite);
  line("KL(q(z|x) || p(z))", before.kl, after.kl);
  line("ELBO = reconstruction - KL", before.elbo, after.elbo);
  line("log p(x), VariationalAutoencoder::log_likelihood(x, k)", before.log_px, after.log_px);
  std::printf("  log p(x) of the generating model (quadrature over its 2 factors): %.3f\n",
              true_mean_log_likelihood(test));

  NoGradGuard no_grad;
  std::printf("\na held-out row and its reconstruction (the distribution's mean at z = mu(x)):\n");
  const Tensor first = data::gather_rows(test, {0});
  print_row("data", first, 0);
  print_row("mean", vae->generate_at_mean_given_z(vae->encode(constant(first)).mu().value()), 0);
  Generator gen(5);
  const Tensor samples = vae->generate_random_given_z(gen.normal({3, 2}, 0, 1, DType::float32), gen);
  std::printf("rows sampled from the model (z ~ N(0, I), then x ~ p(x|z)):\n");
  for (std::size_t r = 0; r < 3; ++r) print_row(r == 0 ? "sample" : "", samples, r);
  std::printf("done in %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
