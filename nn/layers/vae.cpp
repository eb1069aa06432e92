#include "nn/layers/vae.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "autograd/errors.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/ops/shape.hpp"
#include "autograd/tape.hpp"
#include "nn/config_fields.hpp"
#include "nn/distributions/columns.hpp"
#include "nn/distributions/gaussian.hpp"
#include "nn/distributions/kl.hpp"
#include "nn/distributions/loss_wrapper.hpp"
#include "nn/distributions/named_registry.hpp"
#include "nn/layers/sequential.hpp"
#include "nn/ops/vae_ops.hpp"

namespace xgrad::nn {

// ---------------------------------------------------------------------------------------------------
// options

VariationalAutoencoderOptions::VariationalAutoencoderOptions()
    : reconstruction_distribution(std::make_shared<GaussianDistribution>(Activation{ActivationKind::tanh})) {}

VariationalAutoencoderOptions& VariationalAutoencoderOptions::loss_function(Activation act, Loss loss) {
  reconstruction_distribution = std::make_shared<LossFunctionWrapper>(act, loss);
  return *this;
}

void VariationalAutoencoderOptions::validate(const std::string& where) const {
  if (n_in < 1 || n_out < 1)
    throw InvalidArgument(where + ": n_in and n_out must be >= 1, got n_in = " + std::to_string(n_in) +
                          ", n_out = " + std::to_string(n_out));
  auto check_sizes = [&](const char* name, const std::vector<std::size_t>& sizes) {
    if (sizes.empty())
      throw InvalidArgument(where + ": " + name + " must have at least one layer (DL4J: \"layer sizes array must " +
                            "have length > 0\"), got an empty list");
    for (std::size_t i = 0; i < sizes.size(); ++i)
      if (sizes[i] < 1) throw InvalidArgument(where + ": " + name + "[" + std::to_string(i) + "] must be >= 1, got 0");
  };
  check_sizes("encoder_layer_sizes", encoder_layer_sizes);
  check_sizes("decoder_layer_sizes", decoder_layer_sizes);
  if (num_samples < 1)
    throw InvalidArgument(where + ": num_samples must be >= 1 (samples of z per example), got " +
                          std::to_string(num_samples));
  if (!(beta >= 0) || !std::isfinite(beta))
    throw InvalidArgument(where + ": beta (the KL weight) must be finite and >= 0, got " + std::to_string(beta));
  if (!reconstruction_distribution) throw InvalidArgument(where + ": reconstruction_distribution is null");
  if (objective == VaeObjective::iwae && reconstruction_distribution->has_loss_function())
    throw InvalidArgument(where + ": the iwae objective needs a probabilistic reconstruction distribution, not " +
                          reconstruction_distribution->describe());
  if (!pxz_head && decoder.is_null())
    throw InvalidArgument(where +
                          ": pxz_head = false needs a decoder network (options.decoder) whose output is the "
                          "distribution's input; DL4J's decoder_layer_sizes stacks end in the pXZ head");
  reg.validate(where);
}

void VariationalAutoencoderOptions::write(nlohmann::json& j) const {
  j["n_in"] = n_in;
  j["n_out"] = n_out;
  j["encoder_layer_sizes"] = encoder_layer_sizes;
  j["decoder_layer_sizes"] = decoder_layer_sizes;
  j["activation"] = activation_to_json(activation);
  j["pzx_activation_fn"] = activation_to_json(pzx_activation);
  j["reconstruction_distribution"] = reconstruction_distribution->config();
  j["num_samples"] = num_samples;
  j["weight_init"] = weight_init.to_json();
  j.update(reg.to_json());  // l1, l2, l1_bias, l2_bias
  j["beta"] = beta;
  j["kl_warmup_iterations"] = kl_warmup_iterations;
  j["objective"] = objective == VaeObjective::iwae ? "iwae" : "elbo";
  j["validate_data"] = validate_data;
  j["seed"] = seed;
  j["prior"] = typed_config("VariationalAutoencoder config: \"prior\"", prior);
  j["posterior"] = typed_config("VariationalAutoencoder config: \"posterior\"", posterior);
  if (!encoder.is_null()) j["encoder"] = encoder;
  if (!decoder.is_null()) j["decoder"] = decoder;
  if (!pxz_head) j["pxz_head"] = false;
}

VariationalAutoencoderOptions VariationalAutoencoderOptions::read(const nlohmann::json& j) {
  auto need = [&](const char* key) -> const nlohmann::json& {
    if (!j.contains(key))
      throw InvalidArgument(std::string("VariationalAutoencoder config: missing \"") + key + "\" in " + j.dump());
    return j[key];
  };
  VariationalAutoencoderOptions o;
  o.n_in = size_from_json(need("n_in"), "VariationalAutoencoder config: \"n_in\"");
  o.n_out = size_from_json(need("n_out"), "VariationalAutoencoder config: \"n_out\"");
  if (j.contains("encoder_layer_sizes"))
    o.encoder_layer_sizes =
        sizes_from_json(j["encoder_layer_sizes"], "VariationalAutoencoder config: \"encoder_layer_sizes\"");
  if (j.contains("decoder_layer_sizes"))
    o.decoder_layer_sizes =
        sizes_from_json(j["decoder_layer_sizes"], "VariationalAutoencoder config: \"decoder_layer_sizes\"");
  if (j.contains("activation")) o.activation = activation_from_json(j["activation"]);
  if (j.contains("pzx_activation_fn")) o.pzx_activation = activation_from_json(j["pzx_activation_fn"]);
  if (j.contains("reconstruction_distribution"))
    o.reconstruction_distribution = distribution_from_config(j["reconstruction_distribution"]);
  o.num_samples = j.value("num_samples", std::size_t{1});
  if (j.contains("weight_init")) o.weight_init = WeightInitConfig::from_json(j["weight_init"]);
  o.reg = Regularization::from_json(j);
  o.beta = j.value("beta", 1.0);
  o.kl_warmup_iterations = j.value("kl_warmup_iterations", std::size_t{0});
  const std::string objective = j.value("objective", std::string("elbo"));
  if (objective != "elbo" && objective != "iwae")
    throw InvalidArgument("VariationalAutoencoder config: objective must be \"elbo\" or \"iwae\", got \"" + objective +
                          "\"");
  o.objective = objective == "iwae" ? VaeObjective::iwae : VaeObjective::elbo;
  o.validate_data = j.value("validate_data", true);
  o.seed = j.value("seed", std::uint64_t{0});
  if (j.contains("prior")) o.prior = typed_config("VariationalAutoencoder config: \"prior\"", j["prior"]);
  if (j.contains("posterior"))
    o.posterior = typed_config("VariationalAutoencoder config: \"posterior\"", j["posterior"]);
  if (j.contains("encoder")) o.encoder = j["encoder"];
  if (j.contains("decoder")) o.decoder = j["decoder"];
  if (j.contains("pxz_head")) {
    if (!j["pxz_head"].is_boolean())
      throw InvalidArgument("VariationalAutoencoder config: \"pxz_head\" must be true or false, got " +
                            j["pxz_head"].dump());
    o.pxz_head = j["pxz_head"].get<bool>();
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------
// construction: parameters in DL4J's order and names

VariationalAutoencoder::VariationalAutoencoder(VariationalAutoencoderOptions options) : options_(std::move(options)) {
  options_.validate("VariationalAutoencoder");
  seed(options_.seed);
  const DType dt = options_.dtype;
  auto weight = [&](const std::string& name, std::size_t in, std::size_t out) {
    return register_parameter(name, initialize_weights(options_.weight_init, in, out, Shape{in, out}, rng(), dt));
  };
  auto bias = [&](const std::string& name, std::size_t out) {
    return register_parameter(name, Tensor::zeros(Shape{out}, dt));
  };
  auto network = [&](const char* part, const nlohmann::json& config, std::size_t width, const char* width_name) {
    std::shared_ptr<Layer> net = layer_from_config(config);
    net->to(dt);
    if (net->n_in() != width)
      throw ShapeError(std::string("VariationalAutoencoder: the ") + part + " (" + net->type_name() + ") takes " +
                       std::to_string(net->n_in()) + " values per example (input " + shape_braces(net->input_shape()) +
                       "), but " + width_name + " = " + std::to_string(width));
    return net;
  };
  std::size_t in = options_.n_in;
  if (!options_.encoder.is_null()) {
    encoder_ = network("encoder", options_.encoder, options_.n_in, "n_in");
    in = encoder_->n_out();
  }
  for (std::size_t i = 0; !encoder_ && i < options_.encoder_layer_sizes.size(); ++i) {
    const std::size_t out = options_.encoder_layer_sizes[i];
    enc_w_.push_back(weight("e" + std::to_string(i) + "W", in, out));
    enc_b_.push_back(bias("e" + std::to_string(i) + "b", out));
    in = out;
  }
  const std::size_t j = options_.n_out;
  mean_w_ = weight("pZXMeanW", in, j);
  mean_b_ = bias("pZXMeanb", j);
  logvar_w_ = weight("pZXLogStd2W", in, j);
  logvar_b_ = bias("pZXLogStd2b", j);
  in = j;
  if (!options_.decoder.is_null()) {
    decoder_ = network("decoder", options_.decoder, j, "the latent width n_out");
    in = decoder_->n_out();
  }
  for (std::size_t i = 0; !decoder_ && i < options_.decoder_layer_sizes.size(); ++i) {
    const std::size_t out = options_.decoder_layer_sizes[i];
    dec_w_.push_back(weight("d" + std::to_string(i) + "W", in, out));
    dec_b_.push_back(bias("d" + std::to_string(i) + "b", out));
    in = out;
  }
  const std::size_t width = distribution().input_size(options_.n_in);
  if (options_.pxz_head) {
    pxz_w_ = weight("pXZW", in, width);
    pxz_b_ = bias("pXZb", width);
  } else if (in != width) {
    throw ShapeError("VariationalAutoencoder: the decoder (" + decoder_->type_name() + ") gives " + std::to_string(in) +
                     " values per example, but without the pXZ head (pxz_head = false) it must give the " +
                     distribution().describe() + " distribution's input size " + std::to_string(width));
  }
  // after every DL4J parameter, so their initial values (drawn from rng()) do not depend on these
  // (the posterior first: a prior built on the encoder, vamp, mixes the posterior's components)
  encoder_view_ = std::make_unique<EncoderView>(*this);
  const LatentContext context{j, dt, &rng(), encoder_view_.get()};
  posterior_ = posterior_from_config(options_.posterior, context);
  prior_ = prior_from_config(options_.prior, context);
  if (posterior_->dim() != j || prior_->dim() != j)
    throw ShapeError("VariationalAutoencoder: the posterior " + posterior_->describe() + " has width " +
                     std::to_string(posterior_->dim()) + " and the prior " + prior_->describe() + " width " +
                     std::to_string(prior_->dim()) + "; both must be n_out = " + std::to_string(j));
  if (posterior_->support() != prior_->support())
    throw InvalidArgument("VariationalAutoencoder: the posterior " + posterior_->describe() + " lives on " +
                          posterior_->support().str(j) + " but the prior " + prior_->describe() + " on " +
                          prior_->support().str(j) +
                          " (a relaxed categorical posterior needs a relaxed categorical "
                          "or vamp prior, a Gaussian or flow posterior a prior on R^J)");
  // children only when given or with parameters: a DL4J VAE stays one module without children
  if (encoder_) register_module("encoder", encoder_);
  if (decoder_) register_module("decoder", decoder_);
  if (posterior_->parameter_count() > 0) register_module("posterior", posterior_);
  if (prior_->parameter_count() > 0) register_module("prior", prior_);
}

std::vector<std::string> VariationalAutoencoder::pretrain_only_parameters() const {
  std::vector<std::string> names{"pZXLogStd2W", "pZXLogStd2b"};
  for (std::size_t i = 0; i < dec_w_.size(); ++i) {
    names.push_back("d" + std::to_string(i) + "W");
    names.push_back("d" + std::to_string(i) + "b");
  }
  if (decoder_)
    for (const auto& p : decoder_->named_parameters()) names.push_back("decoder." + p.name);
  if (options_.pxz_head) {
    names.push_back("pXZW");
    names.push_back("pXZb");
  }
  return names;
}

Variable VariationalAutoencoder::regularization() const {
  if (encoder_ || decoder_) {  // options.reg on the VAE's own dense parameters + the networks' own settings
    Variable r = dense_regularization();
    if (encoder_) r = r + encoder_->regularization();
    if (decoder_) r = r + decoder_->regularization();
    return r;
  }
  return dense_regularization();
}

Variable VariationalAutoencoder::dense_regularization() const {
  if (!options_.reg.any()) return constant(0.0, mean_w_.dtype());
  std::vector<Variable> w = enc_w_, b = enc_b_;
  for (const auto& v : {mean_w_, logvar_w_}) w.push_back(v);
  for (const auto& v : {mean_b_, logvar_b_}) b.push_back(v);
  w.insert(w.end(), dec_w_.begin(), dec_w_.end());
  b.insert(b.end(), dec_b_.begin(), dec_b_.end());
  if (options_.pxz_head) {
    w.push_back(pxz_w_);
    b.push_back(pxz_b_);
  }
  return regularization_penalty(options_.reg, w, b);
}

// ---------------------------------------------------------------------------------------------------
// the model

void VariationalAutoencoder::check_x(const char* where, const Variable& x) const {
  if (x.dim() != 2 || x.shape()[1] != options_.n_in)
    throw ShapeError("VariationalAutoencoder(n_in=" + std::to_string(options_.n_in) +
                     ", n_out=" + std::to_string(options_.n_out) + ")::" + where + ": input " +
                     shape_string(x.shape()) + " must be [N, " + std::to_string(options_.n_in) + "]");
  if (x.dtype() != mean_w_.dtype())
    throw InvalidArgument(std::string("VariationalAutoencoder::") + where + ": input is " + dtype_name(x.dtype()) +
                          " but the layer is " + dtype_name(mean_w_.dtype()) +
                          " (convert one with Tensor::to / Module::to)");
}

void VariationalAutoencoder::check_z(const char* where, const Shape& z) const {
  if (z.size() != 2 || z[1] != options_.n_out)
    throw ShapeError(std::string("VariationalAutoencoder::") + where + ": z " + shape_string(z) + " must be [M, " +
                     std::to_string(options_.n_out) + "] (n_out = the latent width)");
}

Variable VariationalAutoencoder::hidden(const Variable& in, const std::vector<Variable>& w,
                                        const std::vector<Variable>& b) {
  Variable h = in;
  for (std::size_t i = 0; i < w.size(); ++i) h = dense(h, w[i], b[i], options_.activation, is_training(), &rng());
  return h;
}

namespace {
Variable apply_unless_identity(const Activation& a, const Variable& v, bool training, Generator& gen) {
  return a.kind == ActivationKind::identity ? v : a.apply(v, training, &gen);
}
}  // namespace

Variable VariationalAutoencoder::encoder_features(const Variable& x) {
  if (!encoder_) return hidden(x, enc_w_, enc_b_);
  const Variable h = encoder_->forward(x);
  return h.dim() == 2 ? h : flatten(h);
}

Variable VariationalAutoencoder::decoder_features(const Variable& z) {
  if (!decoder_) return hidden(z, dec_w_, dec_b_);
  const Variable h = decoder_->forward(z);
  return h.dim() == 2 ? h : flatten(h);
}

Variable VariationalAutoencoder::forward(const Variable& x) {
  check_x("forward", x);
  return apply_unless_identity(options_.pzx_activation, dense(encoder_features(x), mean_w_, mean_b_), is_training(),
                               rng());
}

DiagonalGaussian VariationalAutoencoder::encode(const Variable& x) {
  check_x("encode", x);
  const Variable h = encoder_features(x);
  const Activation& pzx = options_.pzx_activation;
  return DiagonalGaussian(apply_unless_identity(pzx, dense(h, mean_w_, mean_b_), is_training(), rng()),
                          apply_unless_identity(pzx, dense(h, logvar_w_, logvar_b_), is_training(), rng()));
}

Variable VariationalAutoencoder::reparameterise(const Variable& mu, const Variable& logvar, const Tensor& eps) {
  return reparameterize(mu, logvar, eps);
}

Variable VariationalAutoencoder::reparameterise(const DiagonalGaussian& q, std::size_t samples) {
  return q.rsample(rng(), samples);
}

Variable VariationalAutoencoder::decode(const Variable& z) {
  check_z("decode", z.shape());
  const Variable h = decoder_features(z);
  return options_.pxz_head ? dense(h, pxz_w_, pxz_b_) : h;
}

std::size_t VariationalAutoencoder::EncoderView::input_width() const {
  return vae_->options_.n_in;
}

LatentSupport VariationalAutoencoder::EncoderView::support() const {
  return vae_->posterior_->support();
}

std::shared_ptr<const LatentDistribution> VariationalAutoencoder::EncoderView::encode_density(const Variable& x) {
  const DiagonalGaussian q = vae_->encode(x);
  return vae_->posterior_->component(q.mu(), q.logvar());
}

std::shared_ptr<const LatentDistribution> VariationalAutoencoder::posterior_of(const DiagonalGaussian& q) {
  return posterior_->distribution(q.mu(), q.logvar());
}

ElboTerms VariationalAutoencoder::elbo_terms(const Variable& x, DiagonalGaussian q,
                                             std::shared_ptr<const LatentDistribution> qz, Tensor eps, double beta) {
  const std::size_t n = x.shape()[0];
  if (eps.dim() != 2 || eps.shape()[1] != options_.n_out || n == 0 || eps.shape()[0] % n != 0 || eps.shape()[0] == 0)
    throw ShapeError("VariationalAutoencoder::elbo: eps " + shape_string(eps.shape()) + " must be [L*" +
                     std::to_string(n) + ", " + std::to_string(options_.n_out) + "] for L >= 1");
  const std::size_t samples = eps.shape()[0] / n;
  LatentSample s = qz->rsample_with_log_prob(eps);
  Variable raw = decode(s.z);
  const Variable xs = samples == 1 ? x : constant(tile_rows(x.value(), samples));
  Variable ll = distribution().log_prob(xs, raw);
  Variable rec = samples == 1 ? ll : sample_mean(ll, samples);
  SampledKl kl = kl_at_samples(*qz, *prior_->distribution(n, x.dtype()), s, samples);
  Variable neg = beta == 1.0 ? kl.kl - rec : beta * kl.kl - rec;
  Variable log_q = log_q_of(*qz, s);  // after the score: unused by it when the KL is analytic
  return ElboTerms{std::move(q),   std::move(eps), s.z,  std::move(raw), std::move(rec),   kl.kl,
                   std::move(neg), samples,        beta, std::move(qz),  std::move(log_q), kl.log_p,
                   s.log_det,      kl.analytic};
}

ElboTerms VariationalAutoencoder::elbo(const Variable& x, std::size_t samples, double beta) {
  DiagonalGaussian q = encode(x);
  auto qz = posterior_of(q);
  Tensor eps = qz->draw_noise(rng(), samples == 0 ? options_.num_samples : samples);
  return elbo_terms(x, std::move(q), std::move(qz), std::move(eps), beta < 0 ? options_.beta : beta);
}

ElboTerms VariationalAutoencoder::elbo_given_eps(const Variable& x, const Tensor& eps, double beta) {
  DiagonalGaussian q = encode(x);
  auto qz = posterior_of(q);
  return elbo_terms(x, std::move(q), std::move(qz), eps, beta < 0 ? options_.beta : beta);
}

double VariationalAutoencoder::kl_weight() const {
  if (options_.kl_warmup_iterations == 0) return options_.beta;
  return options_.beta *
         std::min(1.0, static_cast<double>(iteration_) / static_cast<double>(options_.kl_warmup_iterations));
}

Variable VariationalAutoencoder::iwae_bound(const Variable& x, std::size_t k, double beta) {
  if (k < 1) throw InvalidArgument("VariationalAutoencoder::iwae_bound: k must be >= 1, got 0");
  const DiagonalGaussian q = encode(x);
  const std::shared_ptr<const LatentDistribution> qz = posterior_of(q);
  return iwae_of(x, *qz, qz->draw_noise(rng(), k), k, beta);
}

Variable VariationalAutoencoder::iwae_bound_given_noise(const Variable& x, const Tensor& noise, std::size_t k,
                                                        double beta) {
  if (k < 1) throw InvalidArgument("VariationalAutoencoder::iwae_bound_given_noise: k must be >= 1, got 0");
  if (x.value().dim() < 1 || noise.dim() < 1 || noise.shape()[0] != k * x.shape()[0])
    throw InvalidArgument("VariationalAutoencoder::iwae_bound_given_noise: noise " + shape_string(noise.shape()) +
                          " must have k*N = " + std::to_string(k) + "*" +
                          std::to_string(x.value().dim() ? x.shape()[0] : 0) + " rows for x " +
                          shape_string(x.shape()));
  const DiagonalGaussian q = encode(x);
  const std::shared_ptr<const LatentDistribution> qz = posterior_of(q);
  return iwae_of(x, *qz, noise, k, beta);
}

Variable VariationalAutoencoder::iwae_of(const Variable& x, const LatentDistribution& qz, const Tensor& noise,
                                         std::size_t k, double beta) {
  const std::size_t n = x.shape()[0];
  const LatentSample s = qz.rsample_with_log_prob(noise);
  const Variable xs = k == 1 ? x : constant(tile_rows(x.value(), k));
  const Variable ll = distribution().log_prob(xs, decode(s.z));
  const Variable ratio = prior_->distribution(n, x.dtype())->log_prob(s.z) - log_q_of(qz, s);
  return sample_log_mean_exp(ll + (beta == 1.0 ? ratio : beta * ratio), k);
}

Variable VariationalAutoencoder::pretrain_loss(const Variable& x) {
  check_x("pretrain_loss", x);
  if (options_.validate_data) distribution().validate(x.value());
  const double beta = kl_weight();
  if (is_training()) ++iteration_;
  Variable score = options_.objective == VaeObjective::iwae ? -mean(iwae_bound(x, options_.num_samples, beta))
                                                            : mean(elbo(x, options_.num_samples, beta).negative_elbo);
  return options_.reg.any() ? score + regularization() : score;
}

// ---------------------------------------------------------------------------------------------------
// evaluation

template <class F>
void VariationalAutoencoder::for_sample_chunks(const char* where, const Tensor& x, std::size_t k, F f) {
  NoGradGuard guard;
  const Variable xv = constant(x);
  check_x(where, xv);
  const DiagonalGaussian q = encode(xv);
  const std::size_t n = x.shape()[0];
  if (n == 0) return;
  // bound the chunk's decoder activations to about 2^22 elements
  std::size_t width = std::max(distribution().input_size(options_.n_in), options_.n_in);
  if (decoder_) {
    width = std::max(width, decoder_->n_out());
    if (const auto* seq = dynamic_cast<const Sequential*>(decoder_.get()))
      for (const auto& layer : seq->layers()) width = std::max(width, layer->n_out());
  } else {
    for (std::size_t s : options_.decoder_layer_sizes) width = std::max(width, s);
  }
  const std::size_t chunk = std::max<std::size_t>(1, std::min(k, (std::size_t{1} << 22) / (n * width)));
  const std::shared_ptr<const LatentDistribution> qz = posterior_of(q);
  const std::shared_ptr<const LatentDistribution> prior = prior_->distribution(n, x.dtype());
  Tensor tiled;  // x repeated `chunk` times, reused while the chunk size stays
  for (std::size_t done = 0; done < k; done += chunk) {
    const std::size_t kc = std::min(chunk, k - done);
    if (kc == 1)
      tiled = x;
    else if (!tiled.defined() || tiled.shape()[0] != kc * n)
      tiled = tile_rows(x, kc);
    const LatentSample s = qz->rsample_with_log_prob(qz->draw_noise(rng(), kc));
    const Variable ll = distribution().log_prob(constant(tiled), decode(s.z));
    f(kc, ll.value(), (prior->log_prob(s.z) - log_q_of(*qz, s)).value());
  }
}

Tensor VariationalAutoencoder::log_likelihood(const Tensor& x, std::size_t k) {
  if (k < 1) throw InvalidArgument("VariationalAutoencoder::log_likelihood: k must be >= 1, got 0");
  if (has_loss_function())
    throw InvalidArgument("VariationalAutoencoder::log_likelihood: this VAE uses a loss function (" +
                          distribution().describe() + "), which defines no likelihood p(x|z)");
  const std::size_t n = x.dim() == 2 ? x.shape()[0] : 0;
  // running log-sum-exp per example, in double: m = max so far, s = sum of e^(lw - m)
  std::vector<double> m(n, -std::numeric_limits<double>::infinity()), s(n, 0.0);
  for_sample_chunks("log_likelihood", x, k, [&](std::size_t kc, const Tensor& ll, const Tensor& ratio) {
    for (std::size_t l = 0; l < kc; ++l)
      for (std::size_t i = 0; i < n; ++i) {
        const double lw = ll.at(l * n + i) + ratio.at(l * n + i);
        if (lw > m[i]) {
          s[i] = s[i] * std::exp(m[i] - lw) + 1.0;
          m[i] = lw;
        } else {
          s[i] += std::exp(lw - m[i]);
        }
      }
  });
  Tensor out = Tensor::empty(Shape{n}, DType::float64);
  const double log_k = std::log(static_cast<double>(k));
  for (std::size_t i = 0; i < n; ++i) out.set(i, m[i] + std::log(s[i]) - log_k);
  return out;
}

Tensor VariationalAutoencoder::reconstruction_log_probability(const Tensor& x, std::size_t num_samples) {
  if (num_samples < 1)
    throw InvalidArgument("VariationalAutoencoder::reconstruction_log_probability: num_samples must be >= 1, got 0");
  if (has_loss_function())
    throw InvalidArgument("VariationalAutoencoder::reconstruction_log_probability: this VAE uses a loss function (" +
                          distribution().describe() + "), which has no probability; use reconstruction_error instead");
  const std::size_t n = x.dim() == 2 ? x.shape()[0] : 0;
  std::vector<double> acc(n, 0.0);
  for_sample_chunks("reconstruction_log_probability", x, num_samples,
                    [&](std::size_t kc, const Tensor& ll, const Tensor&) {
                      for (std::size_t l = 0; l < kc; ++l)
                        for (std::size_t i = 0; i < n; ++i) acc[i] += ll.at(l * n + i);
                    });
  Tensor out = Tensor::empty(Shape{n}, x.dtype());
  for (std::size_t i = 0; i < n; ++i) out.set(i, acc[i] / static_cast<double>(num_samples));
  return out;
}

Tensor VariationalAutoencoder::reconstruction_probability(const Tensor& x, std::size_t num_samples) {
  Tensor out = reconstruction_log_probability(x, num_samples);
  out.visit([](auto& a) { a = xt::exp(a); });
  return out;
}

Tensor VariationalAutoencoder::sample_prior(std::size_t m) {
  return prior_->sample(rng(), m, mean_w_.dtype());
}

Tensor VariationalAutoencoder::generate_at_mean_given_z(const Tensor& z) {
  check_z("generate_at_mean_given_z", z.shape());
  NoGradGuard guard;
  return distribution().mean(decode(constant(z)).value());
}

Tensor VariationalAutoencoder::generate_random_given_z(const Tensor& z, Generator& gen) {
  check_z("generate_random_given_z", z.shape());
  NoGradGuard guard;
  return distribution().sample(decode(constant(z)).value(), gen);
}

Tensor VariationalAutoencoder::reconstruction_error(const Tensor& x) {
  if (!has_loss_function())
    throw InvalidArgument(
        "VariationalAutoencoder::reconstruction_error: only for VAEs configured with a loss "
        "function (loss_function(activation, loss)); this VAE's reconstruction distribution is " +
        distribution().describe() + ": use reconstruction_log_probability or log_likelihood");
  NoGradGuard guard;
  const Variable xv = constant(x);
  return (-distribution().log_prob(xv, decode(forward(xv)))).value();
}

nlohmann::json VariationalAutoencoder::config() const {
  nlohmann::json j{{"type", type_name()}};
  options_.write(j);
  j["prior"] = prior_->config();  // with the options the built objects filled in
  j["posterior"] = posterior_->config();
  return j;
}

namespace {
const bool registered = [] {
  register_layer_type("VariationalAutoencoder", [](const nlohmann::json& j) {
    return std::make_shared<VariationalAutoencoder>(VariationalAutoencoderOptions::read(j));
  });
  return true;
}();
}  // namespace

}  // namespace xgrad::nn
