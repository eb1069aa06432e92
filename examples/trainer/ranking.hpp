#pragma once
// Ranking figures of a detector: `score` (higher = more likely positive) against labels (1 positive,
// 0 negative). Tied scores form one threshold, so every figure is independent of the rows' order:
//   ROC curve: from (0, 0), after each distinct score in decreasing order the point (FP/N, TP/P) of the
//              rows scored at least that high; it ends at (1, 1).
//   AUROC:     the area under that curve (trapezoids) = P(score of a random positive > score of a random
//              negative) + P(equal) / 2.
//   average precision (as scikit-learn's average_precision_score): sum over the thresholds of
//              (recall_t - recall_{t-1}) * precision_t, recall = TP/P, precision = TP/(TP + FP).
// Each throws InvalidArgument naming the function when the lengths differ, a label is not 0 or 1, a score
// is not finite, or one class is absent.
#include <vector>

namespace xgrad::trainer {

struct RocCurve {
  std::vector<double> false_positive_rate, true_positive_rate;  // same length, >= 2 points
};

RocCurve roc_curve(const std::vector<double>& score, const std::vector<int>& labels);
double auroc(const std::vector<double>& score, const std::vector<int>& labels);
double average_precision(const std::vector<double>& score, const std::vector<int>& labels);

}  // namespace xgrad::trainer
