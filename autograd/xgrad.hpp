#pragma once
// Umbrella header of the autograd engine.
#include "autograd/errors.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/op.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/reductions.hpp"
#include "autograd/parallel.hpp"
#include "autograd/random.hpp"
#include "autograd/tape.hpp"
#include "autograd/tensor.hpp"
#include "autograd/variable.hpp"
