//===- RandomRuns.h - Random networks fed to two engines alike -*- C++ -*-===//
//
// The engine property tests run one seeded random network on two engines and
// compare them step by step: the network with program populations they use,
// and its External spikes given to an engine in that engine's node numbering.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTSUPPORT_RANDOMRUNS_H
#define CAJAL_TESTSUPPORT_RANDOMRUNS_H

#include "cajal/Emulator/SpikeIO.h"
#include "cajal/ImageGen/RandomImage.h"

#include <gtest/gtest.h>

#include <vector>

namespace cajal::test {

/// What a batch of random program images exercised, so that a batch can
/// check it covered what it claims to.
struct ProgramCoverage {
  size_t programs = 0;
  uint64_t spikes = 0, idleUpdates = 0;
  uint64_t treeCompartments = 0; ///< compartments of dendritic trees
  uint64_t trees = 0;            ///< random trees (tree populations)
  uint64_t treeNeurons = 0;      ///< their neurons, each its own words
};

/// A random image on `profile` whose cores hold small populations, most
/// running random programs (imagegen::RandomOptions::programPopulations).
inline imagegen::RandomOptions programOptions(uint64_t seed, uint32_t steps) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.steps = steps;
  o.maxCores = 12;
  o.maxCompartments = 96;
  o.programPopulations = true;
  return o;
}
inline imagegen::RandomNetwork programNetwork(const chip::Profile &profile,
                                              uint64_t seed, uint32_t steps) {
  return imagegen::randomNetwork(profile, programOptions(seed, steps));
}

/// As programNetwork on up to 6 cores, about half of the program
/// populations neurons with dendritic trees (`profile` needs
/// isa.stackDepth >= 8).
inline imagegen::RandomNetwork treeNetwork(const chip::Profile &profile,
                                           uint64_t seed, uint32_t steps) {
  imagegen::RandomOptions o = programOptions(seed, steps);
  o.maxCores = 6;
  o.treePopulations = true;
  return imagegen::randomNetwork(profile, o);
}

/// The network's External spikes as records in `nodes`' numbering.
inline std::vector<spikeio::SpikeRecord>
externalRecords(const imagegen::RandomNetwork &net,
                const spikeio::NodeTable &nodes) {
  std::vector<spikeio::SpikeRecord> out;
  for (const imagegen::ExternalSpike &e : net.external)
    out.push_back({e.step, nodes.sourceNode(e.source), e.index});
  return out;
}

template <typename Engine>
void giveExternalSpikes(Engine &engine, const imagegen::RandomNetwork &net) {
  ASSERT_TRUE(
      bool(engine.setExternalSpikes(externalRecords(net, engine.nodes()))));
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_RANDOMRUNS_H
