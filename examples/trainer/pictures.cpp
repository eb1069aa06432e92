#include "trainer/pictures.hpp"

#include <cmath>

#include "autograd/errors.hpp"
#include "autograd/tape.hpp"
#include "trainer/evaluation.hpp"
#include "trainer/plot.hpp"
#include "trainer/tile_grid.hpp"

namespace xgrad::trainer {
namespace {

void require_2d(const nn::VariationalAutoencoder& vae, const char* what) {
  if (vae.n_out() != 2)
    throw InvalidArgument(std::string(what) + ": needs a 2-D latent space, the model has " +
                          std::to_string(vae.n_out()) + " latent dimensions (train with --latent 2)");
  if (vae.posterior().support().simplex())
    throw InvalidArgument(std::string(what) + ": the model's latent is " + vae.posterior().describe() +
                          ", on simplices; the maps need z in R^2 (--latent-type gaussian)");
}

}  // namespace

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) throw InvalidArgument("normal_quantile: p = " + std::to_string(p) + " not in (0, 1)");
  double lo = -40, hi = 40;  // Phi(z) = erfc(-z / sqrt 2) / 2 is increasing: bisection to double precision
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = (lo + hi) / 2;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Tensor reconstruct_at_mean(nn::VariationalAutoencoder& vae, const Tensor& x) {
  NoGradGuard guard;
  const bool was_training = vae.is_training();
  vae.eval();
  const Tensor mu = vae.forward(constant(x)).value();
  const Tensor rec = vae.generate_at_mean_given_z(mu);
  vae.train(was_training);
  return rec;
}

Image reconstructions_picture(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t count, std::size_t cols,
                              const TileLayout& layout) {
  const Tensor xs = row_range(x, 0, std::min(count, x.shape()[0]));
  return pairs_grid(xs, reconstruct_at_mean(vae, xs), cols, layout);
}

Image samples_picture(nn::VariationalAutoencoder& vae, std::size_t count, std::size_t cols, bool random,
                      Generator& gen) {
  NoGradGuard guard;
  const DType dtype = vae.options().dtype;
  const Tensor z = vae.prior().sample(gen, count, dtype);  // N(0, I) for the default prior
  const Tensor x = random ? vae.generate_random_given_z(z, gen) : vae.generate_at_mean_given_z(z);
  return image_grid(x, cols);
}

Image loss_curves_picture(const std::vector<EpochMetrics>& metrics, const std::string& unit) {
  std::vector<double> epoch, train_elbo, test_elbo, train_rec, test_rec, train_kl, test_kl;
  for (const auto& m : metrics) {
    epoch.push_back(static_cast<double>(m.epoch));
    train_elbo.push_back(m.train_neg_elbo);
    test_elbo.push_back(m.test_neg_elbo);
    train_rec.push_back(m.train_recon);
    test_rec.push_back(m.test_recon);
    train_kl.push_back(m.train_kl);
    test_kl.push_back(m.test_kl);
  }
  LinePlot left;
  left.title = "negative ELBO";
  left.xlabel = "epoch";
  left.ylabel = "nats per " + unit;
  left.integer_x = true;
  left.series = {{"train", epoch, train_elbo, palette_color(0)}, {"test", epoch, test_elbo, palette_color(1)}};
  LinePlot rec = left;
  rec.title = "reconstruction term -E[log p(x|z)]";
  rec.series = {{"train", epoch, train_rec, palette_color(0)}, {"test", epoch, test_rec, palette_color(1)}};
  LinePlot kl = left;
  kl.title = "KL(q(z|x) || p(z))";
  kl.series = {{"train", epoch, train_kl, palette_color(0)}, {"test", epoch, test_kl, palette_color(1)}};
  const Image a = render(left), b = render(rec), c = render(kl);
  Image out(a.width() + b.width() + c.width(), a.height());
  out.blit(a, 0, 0);
  out.blit(b, static_cast<long>(a.width()), 0);
  out.blit(c, static_cast<long>(a.width() + b.width()), 0);
  return out;
}

Image latent_manifold_picture(nn::VariationalAutoencoder& vae, std::size_t grid, double quantile) {
  require_2d(vae, "latent_manifold_picture");
  if (grid < 2) throw InvalidArgument("latent_manifold_picture: grid must be >= 2");
  std::vector<double> z;
  // rows from top (z2 high) to bottom, columns left (z1 low) to right
  for (std::size_t r = 0; r < grid; ++r)
    for (std::size_t c = 0; c < grid; ++c) {
      const double u = quantile + (1 - 2 * quantile) * c / (grid - 1);
      const double v = quantile + (1 - 2 * quantile) * (grid - 1 - r) / (grid - 1);
      z.push_back(normal_quantile(u));
      z.push_back(normal_quantile(v));
    }
  NoGradGuard guard;
  const Tensor x = vae.generate_at_mean_given_z(Tensor::from({grid * grid, 2}, z, vae.options().dtype));
  TileLayout layout;
  layout.scale = 1;
  layout.pad = 0;
  return image_grid(x, grid, layout);
}

Image latent_scatter_picture(nn::VariationalAutoencoder& vae, const Tensor& x, const std::vector<int>& labels,
                             const std::vector<std::string>& class_names) {
  require_2d(vae, "latent_scatter_picture");
  const Tensor mu = latent_means(vae, x, 500);
  ScatterPlot p;
  p.title = "test set: means of q(z|x)";
  p.xlabel = "z1";
  p.ylabel = "z2";
  const std::size_t n = mu.shape()[0];
  for (std::size_t i = 0; i < n; ++i) {
    p.x.push_back(mu.at(2 * i));
    p.y.push_back(mu.at(2 * i + 1));
  }
  p.classes = labels;
  p.classes.resize(n, 0);
  p.class_names = class_names;
  return render(p);
}

}  // namespace xgrad::trainer
