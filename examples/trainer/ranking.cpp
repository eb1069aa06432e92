#include "trainer/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "autograd/errors.hpp"

namespace xgrad::trainer {
namespace {

/// Per distinct score, in decreasing order: the positives and negatives scored exactly that.
struct Thresholds {
  std::vector<double> pos, neg;
  double positives = 0, negatives = 0;
};

Thresholds thresholds(const char* fn, const std::vector<double>& score, const std::vector<int>& labels) {
  if (score.size() != labels.size())
    throw InvalidArgument(std::string(fn) + ": " + std::to_string(score.size()) + " scores but " +
                          std::to_string(labels.size()) + " labels");
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1)
      throw InvalidArgument(std::string(fn) + ": labels[" + std::to_string(i) + "] = " + std::to_string(labels[i]) +
                            " is not 0 or 1");
    if (!std::isfinite(score[i]))
      throw InvalidArgument(std::string(fn) + ": score[" + std::to_string(i) + "] = " + std::to_string(score[i]) +
                            " is not finite");
  }
  std::vector<std::size_t> order(score.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  Thresholds t;
  for (std::size_t r = 0; r < order.size(); ++r) {
    if (r == 0 || score[order[r]] != score[order[r - 1]]) {
      t.pos.push_back(0);
      t.neg.push_back(0);
    }
    (labels[order[r]] == 1 ? t.pos.back() : t.neg.back()) += 1;
    (labels[order[r]] == 1 ? t.positives : t.negatives) += 1;
  }
  if (t.positives == 0 || t.negatives == 0)
    throw InvalidArgument(std::string(fn) + ": " + std::to_string(static_cast<std::size_t>(t.positives)) +
                          " positives (label 1) and " + std::to_string(static_cast<std::size_t>(t.negatives)) +
                          " negatives (label 0); both classes are needed");
  return t;
}

}  // namespace

RocCurve roc_curve(const std::vector<double>& score, const std::vector<int>& labels) {
  const Thresholds t = thresholds("roc_curve", score, labels);
  RocCurve c;
  c.false_positive_rate.push_back(0);
  c.true_positive_rate.push_back(0);
  double tp = 0, fp = 0;
  for (std::size_t g = 0; g < t.pos.size(); ++g) {
    tp += t.pos[g];
    fp += t.neg[g];
    c.false_positive_rate.push_back(fp / t.negatives);
    c.true_positive_rate.push_back(tp / t.positives);
  }
  return c;
}

double auroc(const std::vector<double>& score, const std::vector<int>& labels) {
  const Thresholds t = thresholds("auroc", score, labels);
  double wins = 0, negatives_below = t.negatives;  // negatives scored lower than the current threshold
  for (std::size_t g = 0; g < t.pos.size(); ++g) {
    negatives_below -= t.neg[g];
    wins += t.pos[g] * (negatives_below + 0.5 * t.neg[g]);
  }
  return wins / (t.positives * t.negatives);
}

double average_precision(const std::vector<double>& score, const std::vector<int>& labels) {
  const Thresholds t = thresholds("average_precision", score, labels);
  double tp = 0, fp = 0, ap = 0;
  for (std::size_t g = 0; g < t.pos.size(); ++g) {
    tp += t.pos[g];
    fp += t.neg[g];
    ap += t.pos[g] / t.positives * (tp / (tp + fp));
  }
  return ap;
}

}  // namespace xgrad::trainer
