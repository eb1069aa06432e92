#include "nn/train/evaluation.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "autograd/errors.hpp"

namespace xgrad::nn {

Evaluation::Evaluation(std::size_t num_classes, std::vector<std::string> class_names)
    : n_(num_classes), names_(std::move(class_names)), matrix_(num_classes * num_classes, 0) {
  if (n_ == 0) throw InvalidArgument("Evaluation: num_classes must be >= 1");
  if (!names_.empty() && names_.size() != n_)
    throw InvalidArgument("Evaluation: " + std::to_string(names_.size()) + " class names for " + std::to_string(n_) +
                          " classes");
  if (names_.empty())
    for (std::size_t c = 0; c < n_; ++c) names_.push_back(std::to_string(c));
}

void Evaluation::add(const std::vector<int>& actual, const std::vector<int>& predicted) {
  if (actual.size() != predicted.size())
    throw ShapeError("Evaluation::add: " + std::to_string(actual.size()) + " actual labels, " +
                     std::to_string(predicted.size()) + " predictions");
  for (std::size_t i = 0; i < actual.size(); ++i) {
    for (int v : {actual[i], predicted[i]})
      if (v < 0 || static_cast<std::size_t>(v) >= n_)
        throw InvalidArgument("Evaluation::add: class " + std::to_string(v) + " at position " + std::to_string(i) +
                              " is outside [0, " + std::to_string(n_) + ")");
    ++matrix_[static_cast<std::size_t>(actual[i]) * n_ + static_cast<std::size_t>(predicted[i])];
  }
  total_ += actual.size();
}

void Evaluation::add(const std::vector<int>& actual, const Tensor& scores) {
  if (scores.dim() != 2 || scores.shape()[1] != n_ || scores.shape()[0] != actual.size())
    throw ShapeError("Evaluation::add: scores " + shape_string(scores.shape()) + " for " +
                     std::to_string(actual.size()) + " labels of " + std::to_string(n_) + " classes");
  std::vector<int> predicted(actual.size());
  scores.visit([&](const auto& a) {
    for (std::size_t i = 0; i < actual.size(); ++i) {
      std::size_t best = 0;
      for (std::size_t c = 1; c < n_; ++c)
        if (a.data()[i * n_ + c] > a.data()[i * n_ + best]) best = c;
      predicted[i] = static_cast<int>(best);
    }
  });
  add(actual, predicted);
}

std::size_t Evaluation::predicted_count(std::size_t c) const {
  std::size_t s = 0;
  for (std::size_t a = 0; a < n_; ++a) s += confusion(a, c);
  return s;
}

std::size_t Evaluation::actual_count(std::size_t c) const {
  std::size_t s = 0;
  for (std::size_t p = 0; p < n_; ++p) s += confusion(c, p);
  return s;
}

double Evaluation::accuracy() const {
  if (total_ == 0) return 0;
  std::size_t correct = 0;
  for (std::size_t c = 0; c < n_; ++c) correct += tp(c);
  return static_cast<double>(correct) / static_cast<double>(total_);
}

double Evaluation::precision(std::size_t c) const {
  const std::size_t p = predicted_count(c);
  return p == 0 ? 0.0 : static_cast<double>(tp(c)) / static_cast<double>(p);
}

double Evaluation::recall(std::size_t c) const {
  const std::size_t a = actual_count(c);
  return a == 0 ? 0.0 : static_cast<double>(tp(c)) / static_cast<double>(a);
}

double Evaluation::f1(std::size_t c) const {
  const double p = precision(c), r = recall(c);
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

template <class F>
double Evaluation::macro(F f) const {
  double sum = 0;
  std::size_t k = 0;
  for (std::size_t c = 0; c < n_; ++c)
    if (actual_count(c) + predicted_count(c) > 0) {
      sum += f(c);
      ++k;
    }
  return k == 0 ? 0.0 : sum / static_cast<double>(k);
}

double Evaluation::macro_precision() const {
  return macro([this](std::size_t c) { return precision(c); });
}
double Evaluation::macro_recall() const {
  return macro([this](std::size_t c) { return recall(c); });
}
double Evaluation::macro_f1() const {
  return macro([this](std::size_t c) { return f1(c); });
}

std::string Evaluation::to_string() const {
  std::ostringstream o;
  char buf[256];
  o << "========================Evaluation Metrics========================\n";
  o << " # of classes:    " << n_ << "\n # of examples:   " << total_ << "\n";
  std::snprintf(buf, sizeof buf,
                " Accuracy:        %.4f\n Precision:       %.4f\n Recall:          %.4f\n F1 Score:        %.4f\n",
                accuracy(), macro_precision(), macro_recall(), macro_f1());
  o << buf << "Precision, recall & F1: macro-averaged over the classes present\n\n";
  std::size_t width = 5;
  for (const auto& n : names_) width = std::max(width, n.size());
  std::snprintf(buf, sizeof buf, "%-*s %9s %9s %9s %9s\n", static_cast<int>(width), "class", "precision", "recall",
                "f1", "support");
  o << buf;
  for (std::size_t c = 0; c < n_; ++c) {
    std::snprintf(buf, sizeof buf, "%-*s %9.4f %9.4f %9.4f %9zu\n", static_cast<int>(width), names_[c].c_str(),
                  precision(c), recall(c), f1(c), actual_count(c));
    o << buf;
  }
  o << "\n=========================Confusion Matrix=========================\n";
  o << "(rows: actual class, columns: predicted class)\n";
  std::size_t cell = 3, label = 0;
  for (auto v : matrix_) cell = std::max(cell, std::to_string(v).size());
  for (std::size_t a = 0; a < n_; ++a) label = std::max(label, (std::to_string(a) + " " + names_[a]).size());
  o << std::string(label, ' ');
  for (std::size_t p = 0; p < n_; ++p) {
    std::snprintf(buf, sizeof buf, " %*zu", static_cast<int>(cell), p);
    o << buf;
  }
  o << "\n";
  for (std::size_t a = 0; a < n_; ++a) {
    const std::string row = std::to_string(a) + " " + names_[a];
    o << row << std::string(label - row.size(), ' ');
    for (std::size_t p = 0; p < n_; ++p) {
      std::snprintf(buf, sizeof buf, " %*zu", static_cast<int>(cell), confusion(a, p));
      o << buf;
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace xgrad::nn
