#include "trainer/latent_spec.hpp"

#include <cctype>

#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {
namespace {

// digits (a part of `value`) as N >= 1; UsageError naming the option and its value otherwise
std::size_t parse_count(const std::string& option, const std::string& value, const std::string& digits,
                        const std::string& forms, const std::string& what) {
  std::size_t n = 0;
  bool ok = !digits.empty() && digits.size() <= 6;
  for (char ch : digits) {
    ok = ok && std::isdigit(static_cast<unsigned char>(ch));
    if (ok) n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  if (!ok || n == 0)
    throw UsageError(option + " '" + value + "': " + what + " must be an integer from 1 to 999999 (" + forms + ")");
  return n;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

LatentConfigs latent_configs(const std::string& prior, const std::string& flow, const std::string& latent_type) {
  LatentConfigs out;
  bool relaxed = false;
  std::size_t groups = 0, classes = 0;
  const std::string type_forms = "gaussian or relaxed:GROUPSxCLASSES, e.g. relaxed:10x10";
  if (latent_type == "gaussian") {
    out.posterior = {{"type", "diagonal_gaussian"}};
  } else if (starts_with(latent_type, "relaxed:")) {
    const std::string gc = latent_type.substr(8);
    const std::size_t x = gc.find('x');
    if (x == std::string::npos) throw UsageError("--latent-type '" + latent_type + "': expected " + type_forms);
    groups = parse_count("--latent-type", latent_type, gc.substr(0, x), type_forms, "GROUPS");
    classes = parse_count("--latent-type", latent_type, gc.substr(x + 1), type_forms, "CLASSES");
    if (classes < 2) throw UsageError("--latent-type '" + latent_type + "': CLASSES must be >= 2");
    relaxed = true;
    out.width = groups * classes;
    out.posterior = {{"type", "relaxed_categorical"}, {"groups", groups}, {"classes", classes}};
  } else {
    throw UsageError("--latent-type '" + latent_type + "': expected " + type_forms);
  }

  const std::string flow_forms = "none, planar:N or iaf:N";
  if (flow != "none") {
    std::string name;
    if (starts_with(flow, "planar:")) name = "planar";
    if (starts_with(flow, "iaf:")) name = "iaf";
    if (name.empty()) throw UsageError("--flow '" + flow + "': expected " + flow_forms);
    const std::size_t n =
        parse_count("--flow", flow, flow.substr(name.size() + 1), flow_forms, "N (the number of flows)");
    if (relaxed)
      throw UsageError("--flow '" + flow + "' needs a Gaussian latent, not --latent-type '" + latent_type +
                       "' (flows act on R^J)");
    out.posterior = {{"type", name}, {"flows", n}};
    if (name == "iaf") out.posterior["context"] = "heads";  // amortised by x, as in Kingma et al. 2016
  }

  const std::string prior_forms = "standard, mog:K or vamp:K";
  if (prior == "standard") {
    out.prior = relaxed ? nlohmann::json{{"type", "relaxed_categorical"}, {"groups", groups}, {"classes", classes}}
                        : nlohmann::json{{"type", "standard_normal"}};
  } else if (starts_with(prior, "mog:")) {
    const std::size_t k = parse_count("--prior", prior, prior.substr(4), prior_forms, "K (the number of components)");
    if (relaxed)
      throw UsageError("--prior '" + prior + "' is a density on R^J; --latent-type '" + latent_type +
                       "' needs --prior standard or vamp:K");
    out.prior = {{"type", "mog"}, {"components", k}};
  } else if (starts_with(prior, "vamp:")) {
    const std::size_t k =
        parse_count("--prior", prior, prior.substr(5), prior_forms, "K (the number of pseudo-inputs)");
    out.prior = {{"type", "vamp"}, {"components", k}};
  } else {
    throw UsageError("--prior '" + prior + "': expected " + prior_forms);
  }
  return out;
}

}  // namespace xgrad::trainer
