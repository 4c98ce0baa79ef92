//===- LearningCompare.h - Two engines learn alike, step by step -*- C++
//-*-===//
//
// Every engine learns bit for bit as the reference engine does: its tests run
// both and compare, after every step, the spikes, every learning and reward
// synapse (weight, delay, tag), every pre-synaptic trace x1, x2, every
// post-synaptic trace y1, y2, y3 and every third factor r. A failure names
// the caller's `at` (profile, seed, step), then the core and input axon or the
// compartment.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTSUPPORT_LEARNINGCOMPARE_H
#define CAJAL_TESTSUPPORT_LEARNINGCOMPARE_H

#include "cajal/Chip/Image.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace cajal::test {

/// How many traces and third factors were not zero, so that a batch of
/// random images can check that it exercised them.
struct NonZeroLearningState {
  uint64_t preTraces = 0, postTraces = 0, rewards = 0;
};

/// `engine` and `expected` (any engines with the learning accessors of
/// ReferenceEngine) after the same step of `image`: the same spiking
/// compartments and learning state. `nonZero`, when given, counts `engine`'s
/// traces and third factors that are not zero.
template <class Engine, class Expected>
void expectSameLearningStep(const Engine &engine, const Expected &expected,
                            const chip::Image &image, const std::string &at,
                            NonZeroLearningState *nonZero = nullptr) {
  ASSERT_EQ(engine.lastSpikingCompartments(),
            expected.lastSpikingCompartments())
      << at;
  for (uint32_t c = 0; c < image.cores.size(); ++c)
    for (uint32_t a = 0; a < image.cores[c].inputAxons.size(); ++a) {
      const chip::InputAxon &axon = image.cores[c].inputAxons[a];
      if (!axon.learns() && !axon.reward)
        continue;
      const std::string where = at + ", core " + std::to_string(c) +
                                ", input axon " + std::to_string(a);
      ASSERT_EQ(engine.synapses(c, a), expected.synapses(c, a)) << where;
      for (unsigned k = 0; k < 2; ++k) {
        const uint32_t trace = engine.preTrace(c, a, k);
        ASSERT_EQ(trace, expected.preTrace(c, a, k)) << where << ", x" << k + 1;
        if (nonZero)
          nonZero->preTraces += trace != 0;
      }
    }
  ASSERT_EQ(engine.compartmentCount(), expected.compartmentCount()) << at;
  for (uint32_t g = 0; g < expected.compartmentCount(); ++g) {
    for (unsigned k = 0; k < 3; ++k) {
      const uint32_t trace = engine.postTrace(g, k);
      ASSERT_EQ(trace, expected.postTrace(g, k))
          << at << ", compartment " << g << ", y" << k + 1;
      if (nonZero)
        nonZero->postTraces += trace != 0;
    }
    ASSERT_EQ(engine.reward(g), expected.reward(g))
        << at << ", compartment " << g << ", reward";
    if (nonZero)
      nonZero->rewards += engine.reward(g) != 0;
  }
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_LEARNINGCOMPARE_H
