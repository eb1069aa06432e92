#pragma once
// Classification metrics, as Deeplearning4j's Evaluation: a confusion matrix C[actual][predicted] and
//   accuracy      = sum_c C[c][c] / N
//   precision(c)  = C[c][c] / sum_a C[a][c]      (0 when class c was never predicted)
//   recall(c)     = C[c][c] / sum_p C[c][p]      (0 when class c never occurs)
//   f1(c)         = 2 precision recall / (precision + recall)   (0 when both are 0)
// Macro averages are over the classes that occur as an actual or a predicted label.
#include <cstddef>
#include <string>
#include <vector>

#include "autograd/tensor.hpp"

namespace xgrad::nn {

class Evaluation {
 public:
  explicit Evaluation(std::size_t num_classes, std::vector<std::string> class_names = {});

  /// Adds pairs of actual and predicted classes (same length, each in [0, num_classes)).
  void add(const std::vector<int>& actual, const std::vector<int>& predicted);
  /// Predicted class = argmax of each row of `scores` [N, num_classes] (first maximum on ties).
  void add(const std::vector<int>& actual, const Tensor& scores);

  std::size_t num_classes() const { return n_; }
  std::size_t count() const { return total_; }
  std::size_t confusion(std::size_t actual, std::size_t predicted) const { return matrix_[actual * n_ + predicted]; }

  double accuracy() const;
  double precision(std::size_t c) const;
  double recall(std::size_t c) const;
  double f1(std::size_t c) const;
  double macro_precision() const;
  double macro_recall() const;
  double macro_f1() const;

  /// DL4J-style report: counts, accuracy, macro precision/recall/F1, a per-class table and the confusion matrix.
  std::string to_string() const;

 private:
  std::size_t tp(std::size_t c) const { return confusion(c, c); }
  std::size_t predicted_count(std::size_t c) const;
  std::size_t actual_count(std::size_t c) const;
  template <class F>
  double macro(F f) const;
  std::size_t n_;
  std::vector<std::string> names_;
  std::vector<std::size_t> matrix_;
  std::size_t total_ = 0;
};

}  // namespace xgrad::nn
