//===- ReferenceTestUtil.h - Test profiles, engine comparison --*- C++ -*-===//
//
// The profiles the reference engine's tests run on, and the comparison of
// the reference engine with the golden model after a step: spikes of
// compartments, populations and sources, and the state of every
// compartment and of every neuron of every population.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTS_REFERENCE_REFERENCETESTUTIL_H
#define CAJAL_TESTS_REFERENCE_REFERENCETESTUTIL_H

#include "cajal/Chip/Profile.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/TestSupport/Profiles.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cajal::reftest {

using cajal::test::loihi1;
using cajal::test::loihi2;

/// loihi1 with reset by subtraction allowed and narrow arithmetic, so that
/// u wraps, q saturates and v is reset by subtraction often.
inline chip::Profile subtractingProfile() {
  chip::Profile p = loihi1();
  p.name = "loihi1-subtract-narrow";
  p.neuron.resetBySubtraction = true;
  p.neuron.currentBits = 18;
  p.neuron.accumulatorBits = 15;
  p.neuron.thresholdShift = 4;
  p.synapse.weightShift = 3;
  return p;
}

/// Assert that the two engines agree after the same step: every spike and
/// every compartment's state. `where` names the image and the step.
inline void expectSameStep(const golden::GoldenModel &golden,
                           const reference::ReferenceEngine &reference,
                           const std::string &where) {
  ASSERT_EQ(golden.lastSpikingCompartments(),
            reference.lastSpikingCompartments())
      << where;
  ASSERT_EQ(golden.lastSourceSpikes(), reference.lastSourceSpikes()) << where;
  std::vector<emulator::NeuronSpike> a, b;
  golden.lastSpikes(a);
  reference.lastSpikes(b);
  ASSERT_EQ(a, b) << where;
  ASSERT_EQ(golden.compartmentCount(), reference.compartmentCount()) << where;
  for (uint32_t g = 0; g < golden.compartmentCount(); ++g)
    ASSERT_EQ(golden.compartmentState(g), reference.compartmentState(g))
        << where << ", compartment " << g;
  ASSERT_EQ(golden.populationCount(), reference.populationCount()) << where;
  for (uint32_t p = 0; p < golden.populationCount(); ++p) {
    ASSERT_EQ(golden.populationSize(p), reference.populationSize(p)) << where;
    for (uint32_t n = 0; n < golden.populationSize(p); ++n)
      ASSERT_EQ(golden.state(p, n), reference.state(p, n))
          << where << ", population " << p << ", neuron " << n;
  }
}

inline void expectSameCounters(const golden::GoldenModel &golden,
                               const reference::ReferenceEngine &reference,
                               const std::string &where) {
  const emulator::Counters &g = golden.counters(), &r = reference.counters();
  EXPECT_EQ(g.steps, r.steps) << where;
  EXPECT_EQ(g.compartmentSpikes, r.compartmentSpikes) << where;
  EXPECT_EQ(g.sourceSpikes, r.sourceSpikes) << where;
  EXPECT_EQ(g.axonEvents, r.axonEvents) << where;
  EXPECT_EQ(g.synapticEvents, r.synapticEvents) << where;
  EXPECT_EQ(g.activeUpdates, r.activeUpdates) << where;
  EXPECT_EQ(g.idleUpdates, r.idleUpdates) << where;
  const std::vector<emulator::CoreCounters> &gc = golden.coreCounters();
  const std::vector<emulator::CoreCounters> &rc = reference.coreCounters();
  ASSERT_EQ(gc.size(), rc.size()) << where;
  for (size_t c = 0; c < gc.size(); ++c) {
    EXPECT_EQ(gc[c].compartmentSpikes, rc[c].compartmentSpikes)
        << where << ", core " << c;
    EXPECT_EQ(gc[c].axonEventsIn, rc[c].axonEventsIn)
        << where << ", core " << c;
    EXPECT_EQ(gc[c].synapticEvents, rc[c].synapticEvents)
        << where << ", core " << c;
    EXPECT_EQ(gc[c].activeUpdates, rc[c].activeUpdates)
        << where << ", core " << c;
    EXPECT_EQ(gc[c].idleUpdates, rc[c].idleUpdates) << where << ", core " << c;
  }
}

} // namespace cajal::reftest

#endif // CAJAL_TESTS_REFERENCE_REFERENCETESTUTIL_H
