#pragma once
// --architecture: the networks around the VAE's latent.
//   dense  DL4J's dense stacks: --encoder-layers / --decoder-layers with --activation, then the pXZ head.
//   conv   for images C x H x W (H, W multiples of 4; Fashion-MNIST 1 x 28 x 28), every hidden layer --activation:
//          encoder  Conv(C,32,4,2,1) - Conv(32,64,4,2,1) - Dense(--encoder-layers)          -> q(z|x) heads
//          decoder  Dense(--decoder-layers) - Dense(64*H/4*W/4) - ConvT(64,32,4,2,1) - ConvT(32,P,4,2,1) = raw,
//          no pXZ head; P = the distribution's values per pixel (1 Bernoulli, 2 Gaussian: mean and log-variance
//          planes). Conv(in,out,kernel,stride,padding); the dense lists default to 256 for conv.
#include <string>

#include "nn/layers/cnn_geometry.hpp"
#include "nn/layers/vae.hpp"
#include "trainer/settings.hpp"

namespace xgrad::trainer {

inline constexpr const char* kArchitectureNames = "dense, conv";

/// Sets o.encoder / o.decoder / o.pxz_head for m.architecture (o's n_in, n_out, activation, weight_init, seed
/// and distribution already set). `image` is the rows' shape ({0,0,0} when they are no images). UsageError
/// naming --architecture for an unknown name, rows that are no images of n_in values, sides not multiples of 4
/// or a distribution without a whole number of values per pixel.
void apply_architecture(const ModelSettings& m, const nn::ImageShape& image, nn::VariationalAutoencoderOptions& o);

/// "784-512-[32]-512-784" for the dense stacks; "1x28x28-conv32-conv64-256-[32]-256-3136-deconv32-deconv1" for
/// the conv networks (each "convK" a 4x4 stride-2 window).
std::string architecture_summary(const nn::VariationalAutoencoder& vae);

}  // namespace xgrad::trainer
