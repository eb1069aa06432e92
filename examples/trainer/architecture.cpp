#include "trainer/architecture.hpp"

#include <sstream>

#include "nn/layers/cnn_preprocessors.hpp"
#include "nn/layers/convolution.hpp"
#include "nn/layers/deconvolution.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/sequential.hpp"
#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {
namespace {

constexpr std::size_t kConvDenseDefault = 256;
constexpr std::size_t kChannels1 = 32, kChannels2 = 64;

// Builds the layers with consecutive seeds from the VAE's, so a seed gives the same networks.
struct NetworkBuilder {
  const nn::VariationalAutoencoderOptions& vae;
  std::uint64_t seed;

  std::shared_ptr<nn::Layer> dense(std::size_t in, std::size_t out) {
    nn::DenseOptions d;
    d.n_in = in;
    d.n_out = out;
    d.activation = vae.activation;
    d.weight_init = vae.weight_init;
    d.seed = seed++;
    return std::make_shared<nn::Dense>(d);
  }
  // a 4x4 window, stride 2, padding 1: halves (conv) or doubles (transposed) each side
  nn::ConvolutionOptions window(const nn::ImageShape& in, std::size_t out, bool last) {
    nn::ConvolutionOptions c;
    c.input = in;
    c.n_out = out;
    c.window.kernel = {4, 4};
    c.window.stride = {2, 2};
    c.window.padding = {1, 1};
    c.activation = last ? Activation{ActivationKind::identity} : vae.activation;
    c.weight_init = vae.weight_init;
    c.seed = seed++;
    return c;
  }
};

// the dense lists at their dense-architecture defaults (not given) become the conv default
std::vector<std::size_t> dense_or_default(const std::vector<std::size_t>& sizes, const std::vector<std::size_t>& dflt) {
  return sizes == dflt ? std::vector<std::size_t>{kConvDenseDefault} : sizes;
}

void set_conv_networks(const ModelSettings& m, const nn::ImageShape& image, nn::VariationalAutoencoderOptions& o) {
  const std::string where = "--architecture conv";
  if (image.size() == 0 || image.size() != o.n_in)
    throw UsageError(where + " needs rows that are images (Fashion-MNIST, IDX or a 3-D .npy), but the " +
                     std::to_string(o.n_in) + " columns have no image shape");
  if (image.height % 4 != 0 || image.width % 4 != 0)
    throw UsageError(where + ": the image " + image.str() +
                     " must have sides that are multiples of 4 (two stride-2 convolutions and their mirror)");
  const std::size_t pixels = image.height * image.width;
  const std::size_t raw = o.reconstruction_distribution->input_size(o.n_in);
  if (raw % pixels != 0)
    throw UsageError(where + ": the distribution " + o.reconstruction_distribution->describe() + " takes " +
                     std::to_string(raw) + " values for the " + std::to_string(pixels) +
                     " pixels, not a whole number per pixel (use one distribution for the whole image)");
  NetworkBuilder b{o, o.seed + 1};
  const nn::ImageShape half{kChannels1, image.height / 2, image.width / 2};
  const nn::ImageShape quarter{kChannels2, image.height / 4, image.width / 4};

  nn::Sequential enc;
  enc.add(std::make_shared<nn::FeedForwardToCnn>(image));
  enc.add(std::make_shared<nn::ConvolutionLayer>(b.window(image, kChannels1, false)));
  enc.add(std::make_shared<nn::ConvolutionLayer>(b.window(half, kChannels2, false)));
  enc.add(std::make_shared<nn::CnnToFeedForward>(quarter));
  std::size_t width = quarter.size();
  for (std::size_t n : dense_or_default(m.encoder_layers, ModelSettings{}.encoder_layers)) {
    enc.add(b.dense(width, n));
    width = n;
  }

  nn::Sequential dec;
  width = o.n_out;
  for (std::size_t n : dense_or_default(m.decoder_layers, ModelSettings{}.decoder_layers)) {
    dec.add(b.dense(width, n));
    width = n;
  }
  dec.add(b.dense(width, quarter.size()));
  dec.add(std::make_shared<nn::FeedForwardToCnn>(quarter));
  dec.add(std::make_shared<nn::Deconvolution2D>(b.window(quarter, kChannels1, false)));
  dec.add(std::make_shared<nn::Deconvolution2D>(b.window(half, raw / pixels, true)));
  dec.add(std::make_shared<nn::CnnToFeedForward>(nn::ImageShape{raw / pixels, image.height, image.width}));

  o.encoder = enc.config();
  o.decoder = dec.config();
  o.pxz_head = false;
}

std::string network_summary(const nn::Layer& net) {
  const auto* seq = dynamic_cast<const nn::Sequential*>(&net);
  if (!seq) return net.type_name();
  std::ostringstream s;
  for (const auto& layer : seq->layers()) {
    if (const auto* c = dynamic_cast<const nn::ConvolutionLayer*>(layer.get())) {
      s << "-" << (layer->type_name() == "Deconvolution2D" ? "deconv" : "conv") << c->options().n_out;
    } else if (dynamic_cast<const nn::Dense*>(layer.get())) {
      s << "-" << layer->n_out();
    } else if (!dynamic_cast<const nn::FeedForwardToCnn*>(layer.get()) &&
               !dynamic_cast<const nn::CnnToFeedForward*>(layer.get())) {
      s << "-" << layer->type_name();
    }
  }
  return s.str();
}

}  // namespace

void apply_architecture(const ModelSettings& m, const nn::ImageShape& image, nn::VariationalAutoencoderOptions& o) {
  if (m.architecture == "dense") return;
  if (m.architecture == "conv") return set_conv_networks(m, image, o);
  throw UsageError("--architecture '" + m.architecture + "': expected one of " + kArchitectureNames);
}

std::string architecture_summary(const nn::VariationalAutoencoder& vae) {
  std::ostringstream s;
  const auto& o = vae.options();
  if (const auto& enc = vae.encoder_network()) {
    const auto* seq = dynamic_cast<const nn::Sequential*>(enc.get());
    const auto* first = seq && !seq->empty() ? dynamic_cast<const nn::FeedForwardToCnn*>(seq->layer(0).get()) : nullptr;
    if (first)
      s << first->image().channels << "x" << first->image().height << "x" << first->image().width;
    else
      s << vae.n_in();
    s << network_summary(*enc);
  } else {
    s << vae.n_in();
    for (auto n : o.encoder_layer_sizes) s << "-" << n;
  }
  s << "-[" << vae.n_out() << "]";
  if (const auto& dec = vae.decoder_network()) {
    s << network_summary(*dec);
    if (o.pxz_head) s << "-" << vae.n_in();
  } else {
    for (auto n : o.decoder_layer_sizes) s << "-" << n;
    s << "-" << vae.n_in();
  }
  return s.str();
}

}  // namespace xgrad::trainer
