#pragma once
// The trainer's pictures of a VAE (28x28 images):
//   reconstructions: test images beside the mean of p(x|z) at z = mu(x)
//   samples:         the mean of p(x|z) (or a draw from it) for z ~ N(0, I)
//   loss curves:     train and test negative ELBO per epoch, and its reconstruction and KL terms
//   latent manifold: (2-D latent) the mean of p(x|z) on a grid of z at N(0,1) quantiles [q, 1-q]
//   latent scatter:  (2-D latent) the means of q(z|x) of test images, coloured by class
#include <string>
#include <vector>

#include "autograd/random.hpp"
#include "nn/layers/vae.hpp"
#include "trainer/image.hpp"
#include "trainer/metrics.hpp"
#include "trainer/tile_grid.hpp"

namespace xgrad::trainer {

/// The mean of p(x|z) at z = mu(x) for each row of x [N, D] (the model in eval mode, no gradients).
Tensor reconstruct_at_mean(nn::VariationalAutoencoder& vae, const Tensor& x);
/// The first `count` rows of x beside their reconstructions, as tiles of layout's size.
Image reconstructions_picture(nn::VariationalAutoencoder& vae, const Tensor& x, std::size_t count, std::size_t cols,
                              const TileLayout& layout = {});
Image samples_picture(nn::VariationalAutoencoder& vae, std::size_t count, std::size_t cols, bool random,
                      Generator& gen);
/// `unit`: what the losses are per ("image", or "row" for tabular data), for the y axis.
Image loss_curves_picture(const std::vector<EpochMetrics>& metrics, const std::string& unit = "image");
/// Throws InvalidArgument unless the latent space is 2-D.
Image latent_manifold_picture(nn::VariationalAutoencoder& vae, std::size_t grid, double quantile);
Image latent_scatter_picture(nn::VariationalAutoencoder& vae, const Tensor& x, const std::vector<int>& labels,
                             const std::vector<std::string>& class_names);
/// The standard normal quantile Phi^-1(p), p in (0, 1).
double normal_quantile(double p);

}  // namespace xgrad::trainer
