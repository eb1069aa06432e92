// The one translation unit per test executable that defines the Boost.Test module (and main()).
#define BOOST_TEST_MODULE xgrad
#include <boost/test/unit_test.hpp>
