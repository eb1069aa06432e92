#pragma once
// VariationalAutoencoder: Deeplearning4j's VariationalAutoencoder layer (Kingma & Welling 2013), with every
// DL4J option, DL4J's parameter names and order, and additions (beta and KL warm-up, the IWAE objective,
// importance-weighted log p(x)). Registered as layer type "VariationalAutoencoder".
//
// Model, for x [N, n_in] and latent z [N, n_out] (J = n_out):
//   encoder  h = act(... act(x e0W + e0b) ...)                       (encoder_layer_sizes, "activation")
//            or h = flatten(encoder(x)) for any layer given as options.encoder (a Sequential of conv, pooling,
//            normalization and dense layers; child "encoder", parameters "encoder.<name>")
//   q(z|x)   mu = pzx(h pZXMeanW + pZXMeanb), log sigma^2 = pzx(h pZXLogStd2W + pZXLogStd2b)
//   sample   z = mu + sigma * eps, eps ~ N(0, I)                        (L = num_samples per example)
//   decoder  raw = act(... act(z d0W + d0b) ...) pXZW + pXZb           (raw width = distribution input size)
//            or raw = flatten(decoder(z)) pXZW + pXZb for a layer given as options.decoder (child "decoder"),
//            or raw = flatten(decoder(z)) itself with pxz_head = false (e.g. a decoder ending in a transposed conv)
// The heads keep DL4J's names (pZXMean*, pZXLogStd2*, pXZ*) either way; a given encoder must take n_in values
// per example and a given decoder n_out (and give the distribution's input size without the pXZ head),
// checked when the VAE is built (ShapeError naming the part).
//   p(x|z)   the reconstruction distribution of raw
//   p(z)     the prior (options.prior, a registry config; default N(0, I): standard_normal); a prior built
//            on the encoder (vamp) gets it as LatentContext::encoder: q(z|u) = posterior().component(encode(u))
//   q(z|x)   the posterior family (options.posterior; default diagonal_gaussian: N(mu, e^logvar)) applied
//            to the two heads; z = its reparameterised sample from eps
// KL(q(z|x_n) || p(z)): the registry's analytic KL where one exists (DiagonalGaussian || StandardNormal: the
// fused op, so DL4J options give DL4J's model bit for bit), else the Monte-Carlo estimate
// (1/L) sum_l [log q(z_nl|x_n) - log p(z_nl)] at the same samples z as the reconstruction term.
// Training score (pretrain_loss) = mean_n [ beta KL(q(z|x_n) || p(z)) - (1/L) sum_l log p(x_n|z_nl) ]
//   + l1/l2 regularisation: the negative ELBO per example (DL4J's pretrain score), minimised.
// With objective = iwae: score = -mean_n log (1/L) sum_l w_nl, w = p(x|z) (p(z)/q(z|x))^beta (Burda et al.).
// forward(x) = mu (deterministic; the variance head is not computed): the VAE as an encoder layer in a
// network. Supervised training through it reaches only the encoder and the mean head; the decoder, the
// log-variance head and pXZ are pretrain_only_parameters().
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "autograd/activation.hpp"
#include "nn/distributions/latent.hpp"
#include "nn/distributions/posterior.hpp"
#include "nn/distributions/prior.hpp"
#include "nn/distributions/reconstruction_distribution.hpp"
#include "nn/layers/init.hpp"
#include "nn/layers/layer.hpp"
#include "nn/layers/losses.hpp"
#include "nn/optim/regularization.hpp"

namespace xgrad::nn {

enum class VaeObjective { elbo, iwae };

struct VariationalAutoencoderOptions {
  std::size_t n_in = 0;                                 // DL4J nIn: data width D
  std::size_t n_out = 0;                                // DL4J nOut: latent width J
  std::vector<std::size_t> encoder_layer_sizes{100};    // DL4J encoderLayerSizes
  std::vector<std::size_t> decoder_layer_sizes{100};    // DL4J decoderLayerSizes
  Activation activation{ActivationKind::sigmoid};       // hidden layers (DL4J's global default)
  Activation pzx_activation{ActivationKind::identity};  // DL4J pzxActivationFn, on both heads of q(z|x)
  /// DL4J reconstructionDistribution; default gaussian(tanh) as DL4J's layer builder.
  DistributionPtr reconstruction_distribution;
  std::size_t num_samples = 1;           // DL4J numSamples: L (ELBO) or k (IWAE) per example in training
  WeightInitConfig weight_init{};        // XAVIER; biases start at 0 (as DL4J)
  Regularization reg{};                  // l1, l2, l1_bias, l2_bias
  double beta = 1.0;                     // KL weight (beta-VAE); 1 = the ELBO
  std::size_t kl_warmup_iterations = 0;  // KL weight beta * min(1, t / warmup) at training iteration t
  VaeObjective objective = VaeObjective::elbo;
  bool validate_data = true;  // check every training batch against the distribution's support
  std::uint64_t seed = 0;     // initialisation and the layer's rng()
  DType dtype = DType::float32;
  /// p(z): a prior_from_config config (prior.hpp); learnable priors' parameters are "prior.<name>".
  nlohmann::json prior = {{"type", "standard_normal"}};
  /// q(z|x): a posterior_from_config config (posterior.hpp); parameters (flows) are "posterior.<name>".
  nlohmann::json posterior = {{"type", "diagonal_gaussian"}};
  /// Encoder / decoder networks as layer configs (layer_from_config, e.g. a Sequential's config()); null =
  /// DL4J's dense stacks of encoder_layer_sizes / decoder_layer_sizes (then unused). Built in `dtype`.
  nlohmann::json encoder, decoder;
  /// false: no pXZW/pXZb; the given decoder's output is raw (its width must be the distribution's input size).
  /// Only with a given decoder (validate()); DL4J's stacks always end in the pXZ head.
  bool pxz_head = true;

  VariationalAutoencoderOptions();
  /// DL4J's lossFunction(activation, loss): a LossFunctionWrapper replaces the distribution.
  VariationalAutoencoderOptions& loss_function(Activation activation, Loss loss);
  /// Throws InvalidArgument naming `where` and the option: n_in, n_out >= 1, non-empty layer lists of
  /// sizes >= 1, num_samples >= 1, beta >= 0, a distribution (probabilistic for the iwae objective),
  /// non-negative regularisation, a decoder network when pxz_head is false.
  void validate(const std::string& where) const;
  /// Writes/reads the options into/from a layer config object (keys n_in, n_out, encoder_layer_sizes,
  /// decoder_layer_sizes, activation, pzx_activation_fn, reconstruction_distribution, num_samples,
  /// weight_init, l1, l2, l1_bias, l2_bias, beta, kl_warmup_iterations, objective, validate_data, seed,
  /// prior, posterior, and encoder / decoder / pxz_head when set; a config without prior/posterior gets the
  /// defaults).
  void write(nlohmann::json& j) const;
  static VariationalAutoencoderOptions read(const nlohmann::json& j);
};

/// Every term of the ELBO for one minibatch, for printing and teaching (all per example unless noted).
struct ElboTerms {
  DiagonalGaussian q;       // the encoder heads: mu, log sigma^2 [N,J] (q(z|x) itself for the default posterior)
  Tensor eps;               // [L*N, J], the noise of z (posterior->draw_noise: N(0, I), Gumbel for relaxed)
  Variable z;               // [L*N, J], row l*N+n = sample l of example n
  Variable raw;             // [L*N, input_size]: decoder output (distribution parameters before activation)
  Variable reconstruction;  // [N]: (1/L) sum_l log p(x_n | z_nl)
  Variable kl;              // [N]: KL(q(z|x_n) || p(z)), analytic or Monte-Carlo (analytic_kl)
  Variable negative_elbo;   // [N]: beta * kl - reconstruction
  std::size_t samples = 1;  // L
  double beta = 1.0;
  std::shared_ptr<const LatentDistribution> posterior;  // q(z|x) as the posterior family built it
  Variable log_q;                                       // [L*N]: log q(z|x) at z
  Variable log_p;                                       // [L*N]: log p(z) at z
  Variable log_det;         // [L*N]: sum of log|det J| of the posterior's flows (undefined without flows)
  bool analytic_kl = true;  // kl is the registry's closed form (else (1/L) sum_l log_q - log_p)
};

class VariationalAutoencoder : public Layer {
 public:
  explicit VariationalAutoencoder(VariationalAutoencoderOptions options);
  std::string type_name() const override { return "VariationalAutoencoder"; }
  std::size_t n_in() const override { return options_.n_in; }
  std::size_t n_out() const override { return options_.n_out; }
  const VariationalAutoencoderOptions& options() const { return options_; }
  const ReconstructionDistribution& distribution() const { return *options_.reconstruction_distribution; }
  /// p(z) and the q(z|x) family, built from options.prior / options.posterior.
  Prior& prior() const { return *prior_; }
  Posterior& posterior() const { return *posterior_; }
  /// The networks given as options.encoder / options.decoder; null for DL4J's dense stacks.
  const std::shared_ptr<Layer>& encoder_network() const { return encoder_; }
  const std::shared_ptr<Layer>& decoder_network() const { return decoder_; }

  /// mu of q(z|x), [N, n_out] (the layer output inside a network).
  Variable forward(const Variable& x) override;

  // ---- the ELBO step by step
  /// q(z|x): mu and log sigma^2, [N, n_out] each.
  DiagonalGaussian encode(const Variable& x);
  /// z = mu + e^(logvar/2) * eps with eps [L*N, J] given by the caller.
  static Variable reparameterise(const Variable& mu, const Variable& logvar, const Tensor& eps);
  /// The same with eps drawn from rng(): L samples per example, [L*N, J].
  Variable reparameterise(const DiagonalGaussian& q, std::size_t samples = 1);
  /// Decoder output raw [M, input_size] for z [M, n_out] (the parameters of p(x|z) before activation).
  Variable decode(const Variable& z);
  /// All terms with L samples (0 = num_samples) and KL weight beta (< 0 = the configured beta, no warm-up).
  ElboTerms elbo(const Variable& x, std::size_t samples = 0, double beta = -1);
  /// The same with a caller-supplied eps [L*N, J].
  ElboTerms elbo_given_eps(const Variable& x, const Tensor& eps, double beta = -1);

  // ---- training
  bool is_pretrainable() const override { return true; }
  /// The training score: mean negative ELBO (or negative IWAE bound) + regularization(); validates x when
  /// options.validate_data. In training mode each call advances the KL warm-up by one iteration.
  Variable pretrain_loss(const Variable& x) override;
  std::vector<std::string> pretrain_only_parameters() const override;
  /// options.reg (l1/l2) over the VAE's own dense parameters (DL4J stacks and heads), plus each given
  /// encoder / decoder network's own regularization().
  Variable regularization() const override;
  /// KL weight at the current warm-up iteration.
  double kl_weight() const;
  std::size_t iteration() const { return iteration_; }
  void set_iteration(std::size_t t) { iteration_ = t; }

  // ---- evaluation (no gradients)
  /// The importance-weighted bound log (1/k) sum_i p(x|z_i) (p(z_i)/q(z_i|x))^beta, z_i ~ q(z|x), [N];
  /// differentiable (the IWAE objective). k = 1 is the ELBO estimate.
  Variable iwae_bound(const Variable& x, std::size_t k, double beta = 1.0);
  /// The same with caller-given noise of draw_noise's shape ([k*N, J] for a Gaussian posterior; row l*N+n is sample
  /// l of example n): the bound of a shard of a batch from its rows of the batch's noise (data-parallel training).
  /// InvalidArgument unless k >= 1 and noise has k*N rows.
  Variable iwae_bound_given_noise(const Variable& x, const Tensor& noise, std::size_t k, double beta = 1.0);
  /// Importance-weighted estimate of log p(x) with k samples (k = 5000 is the literature's test NLL),
  /// [N] float64; log-sum-exp accumulated in double, samples processed in chunks (bounded memory).
  /// InvalidArgument for loss-function VAEs (no likelihood).
  Tensor log_likelihood(const Tensor& x, std::size_t k = 5000);
  /// DL4J reconstructionLogProbability: (1/n) sum_l log p(x|z_l), z_l ~ q(z|x); [N], x's dtype. Not log p(x).
  Tensor reconstruction_log_probability(const Tensor& x, std::size_t num_samples);
  /// DL4J reconstructionProbability: exp of the above (a geometric mean of p(x|z_l)).
  Tensor reconstruction_probability(const Tensor& x, std::size_t num_samples);
  /// m draws of z from the prior, [m, n_out] (from rng()): feed them to generate_*_given_z.
  Tensor sample_prior(std::size_t m);
  /// DL4J generateAtMeanGivenZ: the distribution's mean for z [M, n_out].
  Tensor generate_at_mean_given_z(const Tensor& z);
  /// DL4J generateRandomGivenZ: a sample of p(x|z), from gen.
  Tensor generate_random_given_z(const Tensor& z, Generator& gen);
  Tensor generate_random_given_z(const Tensor& z) { return generate_random_given_z(z, rng()); }
  /// DL4J reconstructionError: loss of the reconstruction from the posterior mean (no sampling), [N].
  /// Only for loss-function VAEs (has_loss_function()); InvalidArgument otherwise.
  Tensor reconstruction_error(const Tensor& x);
  bool has_loss_function() const { return distribution().has_loss_function(); }

  nlohmann::json config() const override;

 private:
  void check_x(const char* where, const Variable& x) const;
  void check_z(const char* where, const Shape& z) const;
  Variable dense_regularization() const;  // options.reg over the VAE's own dense parameters
  Variable hidden(const Variable& in, const std::vector<Variable>& w, const std::vector<Variable>& b);
  // h [N, width] of the encoder / the decoder (before pXZ)
  Variable encoder_features(const Variable& x);
  Variable decoder_features(const Variable& z);
  ElboTerms elbo_terms(const Variable& x, DiagonalGaussian q, std::shared_ptr<const LatentDistribution> qz, Tensor eps,
                       double beta);
  Variable iwae_of(const Variable& x, const LatentDistribution& qz, const Tensor& noise, std::size_t k, double beta);
  std::shared_ptr<const LatentDistribution> posterior_of(const DiagonalGaussian& q);  // q(z|x) of the heads
  // the encoder as priors see it (LatentContext::encoder): q(z|u) = posterior().component of encode(u)
  class EncoderView : public LatentEncoder {
   public:
    explicit EncoderView(VariationalAutoencoder& vae) : vae_(&vae) {}
    std::size_t input_width() const override;
    LatentSupport support() const override;
    std::shared_ptr<const LatentDistribution> encode_density(const Variable& x) override;

   private:
    VariationalAutoencoder* vae_;
  };
  // Calls f(chunk_samples, log p(x|z) [kc*N], log p(z) - log q(z|x) [kc*N]) over chunks of the k samples.
  template <class F>
  void for_sample_chunks(const char* where, const Tensor& x, std::size_t k, F f);

  VariationalAutoencoderOptions options_;
  std::vector<Variable> enc_w_, enc_b_, dec_w_, dec_b_;
  Variable mean_w_, mean_b_, logvar_w_, logvar_b_, pxz_w_, pxz_b_;
  std::shared_ptr<Layer> encoder_, decoder_;
  std::unique_ptr<EncoderView> encoder_view_;
  PriorPtr prior_;
  PosteriorPtr posterior_;
  std::size_t iteration_ = 0;
};

}  // namespace xgrad::nn
