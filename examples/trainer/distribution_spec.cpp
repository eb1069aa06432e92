#include "trainer/distribution_spec.hpp"

#include <algorithm>
#include <cctype>

#include "trainer/exit_codes.hpp"

namespace xgrad::trainer {
namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

[[noreturn]] void fail(const std::string& spec, const std::string& why) {
  throw UsageError("distribution spec '" + spec + "': " + why +
                   " (form: name[(activation)][:columns],...; e.g. \"gaussian:200,bernoulli:584\")");
}

SpecPart parse_part(const std::string& spec, const std::string& text) {
  SpecPart p;
  std::string rest = trim(text);
  const auto list = rest.find(":[");
  if (list != std::string::npos) {
    if (rest.back() != ']') fail(spec, "missing ']' in '" + text + "'");
    std::string item;
    for (char c : rest.substr(list + 2, rest.size() - list - 3) + ",") {
      if (c != ',') {
        item += c;
        continue;
      }
      if (trim(item).empty()) fail(spec, "an empty column in the list of '" + text + "'");
      p.selection.push_back(trim(item));
      item.clear();
    }
    rest = trim(rest.substr(0, list));
  }
  const auto colon = rest.rfind(':');
  if (list == std::string::npos && colon != std::string::npos && rest.find(')', colon) == std::string::npos) {
    const std::string count = trim(rest.substr(colon + 1));
    if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos || count.size() > 9)
      fail(spec, "column count '" + count + "' is not a positive integer");
    p.columns = std::stoul(count);
    if (p.columns == 0) fail(spec, "column count must be at least 1");
    rest = trim(rest.substr(0, colon));
  }
  const auto open = rest.find('(');
  if (open != std::string::npos) {
    if (rest.back() != ')') fail(spec, "missing ')' in '" + text + "'");
    const std::string args = rest.substr(open + 1, rest.size() - open - 2);
    const auto comma = args.find(',');
    p.activation = trim(args.substr(0, comma));
    if (comma != std::string::npos) p.loss = trim(args.substr(comma + 1));
    if (p.activation.empty()) fail(spec, "empty activation in '" + text + "'");
    rest = trim(rest.substr(0, open));
  }
  if (rest.empty()) fail(spec, "a part has no distribution name");
  for (char c : rest)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) fail(spec, "bad distribution name '" + rest + "'");
  p.name = rest;
  return p;
}

}  // namespace

nlohmann::json part_config(const SpecPart& p) {
  nlohmann::json j{{"type", p.name}};
  if (!p.activation.empty()) j["activation"] = p.activation;
  if (!p.loss.empty()) j["loss"] = p.loss;
  return j;
}

std::string part_head(const SpecPart& p) {
  if (p.activation.empty()) return p.name;
  return p.name + "(" + p.activation + (p.loss.empty() ? "" : "," + p.loss) + ")";
}

std::vector<SpecPart> parse_distribution_spec(const std::string& spec) {
  std::vector<SpecPart> parts;
  int depth = 0;
  bool in_list = false;  // inside ":[...]", where names may hold '(' and ')'
  std::string cur;
  for (char c : spec) {
    if (c == '[' && !in_list)
      in_list = true;
    else if (c == ']' && in_list)
      in_list = false;
    else if (c == '(' && !in_list)
      ++depth;
    else if (c == ')' && !in_list)
      --depth;
    if (depth < 0) fail(spec, "unbalanced ')'");
    if (c == ',' && depth == 0 && !in_list) {
      parts.push_back(parse_part(spec, cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (depth != 0) fail(spec, "unbalanced '('");
  if (in_list) fail(spec, "unbalanced '['");
  parts.push_back(parse_part(spec, cur));
  return parts;
}

void check_distribution_names(const std::string& spec, const std::vector<SpecPart>& parts) {
  const std::vector<std::string> known = nn::registered_distributions();
  for (const auto& p : parts)
    if (std::find(known.begin(), known.end(), p.name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      fail(spec, "unknown distribution '" + p.name + "' (registered: " + list + ")");
    }
}

nlohmann::json distribution_config(const std::string& spec, std::size_t data_columns) {
  std::vector<SpecPart> parts = parse_distribution_spec(spec);
  for (const auto& p : parts)
    if (!p.selection.empty())
      fail(spec, "the column list of '" + p.name + "' needs a table with columns (train --data)");
  check_distribution_names(spec, parts);
  std::size_t given = 0, open = 0;
  for (const auto& p : parts) {
    given += p.columns;
    open += p.columns == 0;
  }
  if (open > 1) fail(spec, "only one part may omit its column count");
  if (open == 1) {
    if (given >= data_columns)
      fail(spec, "the counts add up to " + std::to_string(given) + ", leaving no columns of " +
                     std::to_string(data_columns) + " for the part without a count");
    for (auto& p : parts)
      if (p.columns == 0) p.columns = data_columns - given;
  } else if (given != data_columns) {
    fail(spec, "column counts add up to " + std::to_string(given) + ", the data has " + std::to_string(data_columns));
  }
  if (parts.size() == 1) return part_config(parts[0]);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : parts) list.push_back({{"size", p.columns}, {"distribution", part_config(p)}});
  return {{"type", "composite"}, {"parts", list}};
}

nn::DistributionPtr make_distribution(const std::string& spec, std::size_t data_columns) {
  const nlohmann::json cfg = distribution_config(spec, data_columns);
  try {
    return nn::distribution_from_config(cfg);
  } catch (const std::exception& e) {
    throw UsageError("distribution spec '" + spec + "': " + e.what());
  }
}

}  // namespace xgrad::trainer
