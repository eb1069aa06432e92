#include "trainer/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "autograd/errors.hpp"
#include "trainer/atomic_file.hpp"

namespace xgrad::trainer {
namespace {

std::string num(double v) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

const std::string& metrics_csv_header() {
  static const std::string h =
      "epoch,train_loss,train_neg_elbo,train_recon,train_kl,test_neg_elbo,test_recon,test_kl,kl_weight,seconds";
  return h;
}

void write_metrics_csv(const std::string& path, const std::vector<EpochMetrics>& rows) {
  std::ostringstream out;
  out << metrics_csv_header() << "\n";
  for (const auto& r : rows)
    out << r.epoch << ',' << num(r.train_loss) << ',' << num(r.train_neg_elbo) << ',' << num(r.train_recon) << ','
        << num(r.train_kl) << ',' << num(r.test_neg_elbo) << ',' << num(r.test_recon) << ',' << num(r.test_kl) << ','
        << num(r.kl_weight) << ',' << num(r.seconds) << "\n";
  write_file_atomic(path, out.str());
}

std::vector<EpochMetrics> read_metrics_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DataError("read_metrics_csv: cannot open '" + path + "'");
  std::string line;
  if (!std::getline(in, line) || line != metrics_csv_header())
    throw DataError("read_metrics_csv: '" + path + "' line 1: expected the header '" + metrics_csv_header() + "'");
  std::vector<EpochMetrics> rows;
  for (std::size_t n = 2; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    std::vector<double> v;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      char* end = nullptr;
      const double d = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0')
        throw DataError("read_metrics_csv: '" + path + "' line " + std::to_string(n) + ": '" + cell +
                        "' is not a number");
      v.push_back(d);
    }
    if (v.size() != 10)
      throw DataError("read_metrics_csv: '" + path + "' line " + std::to_string(n) + ": " + std::to_string(v.size()) +
                      " fields, expected 10");
    rows.push_back({static_cast<std::size_t>(v[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]});
  }
  return rows;
}

}  // namespace xgrad::trainer
