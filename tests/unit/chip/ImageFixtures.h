//===- ImageFixtures.h - Random valid chip images for tests -----*- C++ -*-===//
#ifndef CAJAL_TESTS_CHIP_IMAGEFIXTURES_H
#define CAJAL_TESTS_CHIP_IMAGEFIXTURES_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/ImageBuilder.h"

#include <gtest/gtest.h>

#include <random>

namespace cajal::chip::test {

inline uint32_t pick(std::mt19937_64 &rng, uint64_t lo, uint64_t hi) {
  return uint32_t(std::uniform_int_distribution<uint64_t>(lo, hi)(rng));
}

/// A random group of `count` synapses valid for `axon` and `compartments`.
inline std::vector<Synapse>
randomSynapses(std::mt19937_64 &rng, const InputAxon &axon, uint32_t count,
               uint32_t compartments, const SynapseFormat &f) {
  std::vector<Synapse> out(count);
  const int32_t maxMag = int32_t((1u << axon.weightBits) - 1);
  for (Synapse &s : out) {
    s.compartment = pick(rng, 0, compartments - 1);
    s.mantissa = int32_t(pick(rng, 0, 2 * uint64_t(maxMag))) - maxMag;
    s.delay = axon.hasDelay ? pick(rng, 1, f.maxDelay) : 1;
    if (axon.learns())
      s.tag = int32_t(pick(rng, 0, (2u << f.tagBits) - 1)) -
              int32_t(1u << f.tagBits);
  }
  return out;
}

/// A random trace: impulse, fraction and decay anywhere in their ranges.
inline TraceParams randomTrace(std::mt19937_64 &rng, const Profile &profile) {
  const LearningFormat &l = profile.learning;
  return {pick(rng, 0, (1u << l.traceBits) - 1),
          pick(rng, 0, (1u << l.traceImpulseFractionBits) - 1),
          pick(rng, 0, 1u << l.traceDecayBits)};
}

/// A valid image for `profile`: `cores` cores with random compartments,
/// synapse groups of every width, output axons, one source of each kind and
/// two populations. With `learning`, about a third of the groups learn (by
/// one of three rules), some are reward groups, and population "a" has
/// post-synaptic traces.
inline Image randomImage(std::mt19937_64 &rng, const Profile &profile,
                         uint32_t cores = 3, bool learning = false) {
  Image img;
  img.profileName = profile.name;
  img.profileFingerprint = profile.fingerprint();
  const SynapseFormat &f = profile.synapse;
  img.cores.resize(cores);
  for (uint32_t c = 0; c < cores; ++c) {
    Core &core = img.cores[c];
    core.x = c % profile.mesh.tilesX;
    core.y = (c / profile.mesh.tilesX) % profile.mesh.tilesY;
    core.tileSlot = c / (profile.mesh.tilesX * profile.mesh.tilesY);
    const uint32_t comps = pick(rng, 8, 40);
    for (uint32_t i = 0; i < comps; ++i) {
      CompartmentParams p;
      p.decayU = uint16_t(pick(rng, 0, 4095));
      p.decayV = uint16_t(pick(rng, 0, 4095));
      p.biasMantissa = int16_t(int(pick(rng, 0, 8190)) - 4095);
      p.biasExponent = uint8_t(pick(rng, 0, 7));
      p.refractory = uint8_t(pick(rng, 0, 62));
      p.thresholdMantissa = pick(rng, 0, (1u << 17) - 1);
      p.vminExponent = uint8_t(pick(rng, 0, 31));
      p.vmaxExponent = uint8_t(pick(rng, 0, 7));
      p.flags = uint8_t(pick(rng, 0, 1) ? NoSpike : 0);
      core.compartments.push_back(p);
    }
    const uint32_t axons = pick(rng, 1, 12);
    for (uint32_t a = 0; a < axons; ++a) {
      InputAxon ax;
      ax.weightBits = uint8_t(pick(rng, 1, f.weightBitsMax));
      ax.weightExponent = int8_t(int(pick(rng, 0, 15)) - 8);
      ax.hasDelay = pick(rng, 0, 1);
      if (learning && pick(rng, 0, 2) == 0) {
        ax.learning = pick(rng, 0, 2);
        ax.weightBits = uint8_t(f.weightBitsMax);
        ax.hasDelay = true;
      } else if (learning && pick(rng, 0, 5) == 0) {
        ax.reward = true;
      }
      const auto syn = randomSynapses(rng, ax, pick(rng, 0, 30), comps, f);
      packSynapses(syn, ax, core.synapseWords, f);
      core.inputAxons.push_back(ax);
    }
  }
  for (uint32_t c = 0; c < cores; ++c) {
    Core &core = img.cores[c];
    core.outputBegin.push_back(0);
    for (size_t i = 0; i < core.compartments.size(); ++i) {
      const uint32_t n = pick(rng, 0, 3);
      for (uint32_t k = 0; k < n; ++k) {
        const uint32_t t = pick(rng, 0, cores - 1);
        core.outputAxons.push_back(
            {t, pick(rng, 0, img.cores[t].inputAxons.size() - 1)});
      }
      core.outputBegin.push_back(uint32_t(core.outputAxons.size()));
    }
  }
  const SourceKind kinds[] = {SourceKind::External, SourceKind::File,
                              SourceKind::Poisson, SourceKind::Periodic};
  for (SourceKind k : kinds) {
    Source s;
    s.name = "src" + std::to_string(int(k));
    s.kind = k;
    s.size = pick(rng, 1, 6);
    s.probability = k == SourceKind::Poisson ? pick(rng, 0, 0xffffffffu) : 0;
    s.seed = k == SourceKind::Poisson ? rng() : 0;
    s.period = k == SourceKind::Periodic ? pick(rng, 1, 9) : 0;
    s.phase = k == SourceKind::Periodic ? pick(rng, 0, 9) : 0;
    if (k == SourceKind::File)
      for (uint32_t step = 0; step < 5; ++step)
        for (uint32_t i = 0; i < s.size; ++i)
          if (pick(rng, 0, 1))
            s.spikes.push_back({step, i});
    s.targetBegin.push_back(0);
    for (uint32_t i = 0; i < s.size; ++i) {
      const uint32_t t = pick(rng, 0, cores - 1);
      s.targets.push_back(
          {t, pick(rng, 0, img.cores[t].inputAxons.size() - 1)});
      s.targetBegin.push_back(uint32_t(s.targets.size()));
    }
    img.sources.push_back(s);
  }
  // Population "a": core 0 entirely; "b": 4 compartments of every core.
  Population a{"a", uint32_t(img.cores[0].compartments.size()), {}, true, false,
               {}};
  a.slices.push_back({0, 0, 0, a.size});
  a.aliases = {"out", "a-copy"};
  img.populations.push_back(a);
  Population b{"b \"quoted\"", 0, {}, false, true, {}};
  for (uint32_t c = 0; c < cores; ++c) {
    b.slices.push_back({c, 4, b.size, 4});
    b.size += 4;
  }
  img.populations.push_back(b);
  if (learning) {
    img.learning.epochSteps = pick(rng, 1, profile.learning.maxEpochSteps);
    img.learning.seed = rng();
    const char *rules[] = {
        "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0",
        "dw = -3 * 2^-2 * (x2 - 4) * y2 * y0; dt = x1 * y0 - t * u",
        "dw = r * t * u; dd = -x0 * 2"};
    for (const char *text : rules)
      img.learning.rules.push_back({*parseLearningRule(text),
                                    randomTrace(rng, profile),
                                    randomTrace(rng, profile)});
    for (TraceParams &t : img.populations[0].postTraces)
      t = randomTrace(rng, profile);
  }
  return img;
}

/// randomImage with `extraAxons` more input axons of up to 30 random
/// synapses each on core 0, and as many output axons from core 0's first
/// compartment to them: a core whose columns are far above the 4 KiB from
/// which a writer compresses them.
inline Image largeCoreImage(std::mt19937_64 &rng, const Profile &profile,
                            uint32_t extraAxons = 1000) {
  Image img = randomImage(rng, profile, 3);
  Core &core = img.cores[0];
  const uint32_t comps = uint32_t(core.compartments.size());
  for (uint32_t a = 0; a < extraAxons; ++a) {
    InputAxon ax;
    ax.weightBits = uint8_t(pick(rng, 1, profile.synapse.weightBitsMax));
    ax.weightExponent = int8_t(int(pick(rng, 0, 15)) - 8);
    ax.hasDelay = pick(rng, 0, 1);
    const auto syn =
        randomSynapses(rng, ax, pick(rng, 0, 30), comps, profile.synapse);
    packSynapses(syn, ax, core.synapseWords, profile.synapse);
    const uint32_t index = uint32_t(core.inputAxons.size());
    core.inputAxons.push_back(ax);
    core.outputAxons.insert(core.outputAxons.begin() + core.outputBegin[1],
                            AxonTarget{0, index});
    for (size_t c = 1; c < core.outputBegin.size(); ++c)
      ++core.outputBegin[c];
  }
  return img;
}

/// A valid image for a programmable profile (loihi2) whose populations run
/// programs: "exc" (4 neurons, core 0) Izhikevich with its own words per
/// neuron, "inh" (2 neurons, core 1) the LIF program its records name,
/// "readout" (2 neurons, core 1) the LI program from the image's table; the
/// last compartment of core 1 is in no population.
inline Image programImage(const Profile &profile) {
  imagegen::ImageBuilder b(profile);
  const uint32_t c0 = b.addCore(std::vector<CompartmentParams>(4));
  std::vector<CompartmentParams> records(5);
  records[2].flags = records[3].flags = NoSpike;
  const uint32_t c1 = b.addCore(records);
  const uint32_t in0 =
      b.addInputAxon(c0, {{0, 3, 1}, {1, -2, 1}, {3, 1, 1}}, 4, 0, false);
  const uint32_t in1 = b.addInputAxon(c1, {{2, 5, 1}, {3, 5, 1}}, 4, 0, false);
  b.addOutput(c0, 0, {c1, in1});
  b.addOutput(c1, 1, {c0, in0});
  Source source;
  source.name = "in";
  source.size = 2;
  const uint32_t s = b.addSource(source);
  b.addSourceTarget(s, 0, {c0, in0});
  b.addSourceTarget(s, 1, {c1, in1});
  const uint32_t izh = b.addProgram(izhikevichProgram({}));
  const uint32_t li =
      b.addProgram(lifProgram(profile.neuron, LifReset::NoSpike));
  std::vector<std::vector<int64_t>> words;
  for (int n = 0; n < 4; ++n) {
    IzhikevichParams p;
    p.current = 2.5 * n;
    words.push_back(izhikevichParamWords(p));
  }
  b.addProgramPopulation("exc", {{c0, 0, 0, 4}}, izh, words);
  b.addPopulation("inh", {{c1, 0, 0, 2}});
  b.addProgramPopulation("readout", {{c1, 2, 0, 2}}, li, {}, true, true);
  return b.build();
}

inline void expectSameCore(const Core &a, const Core &b) {
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.tileSlot, b.tileSlot);
  EXPECT_EQ(a.compartments, b.compartments);
  EXPECT_EQ(a.inputAxons, b.inputAxons);
  EXPECT_EQ(a.synapseWords, b.synapseWords);
  EXPECT_EQ(a.outputBegin, b.outputBegin);
  EXPECT_EQ(a.outputAxons, b.outputAxons);
  EXPECT_EQ(a.paramBegin, b.paramBegin);
  EXPECT_EQ(a.paramWords, b.paramWords);
  EXPECT_EQ(a.initialBegin, b.initialBegin);
  EXPECT_EQ(a.initialWords, b.initialWords);
}

inline void expectSameImage(const Image &a, const Image &b) {
  EXPECT_EQ(a.profileName, b.profileName);
  EXPECT_EQ(a.profileFingerprint, b.profileFingerprint);
  ASSERT_EQ(a.cores.size(), b.cores.size());
  for (size_t c = 0; c < a.cores.size(); ++c)
    expectSameCore(a.cores[c], b.cores[c]);
  EXPECT_EQ(a.programs, b.programs);
  EXPECT_EQ(a.learning.epochSteps, b.learning.epochSteps);
  EXPECT_EQ(a.learning.seed, b.learning.seed);
  EXPECT_EQ(a.learning.rules, b.learning.rules);
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (size_t i = 0; i < a.sources.size(); ++i) {
    const Source &x = a.sources[i], &y = b.sources[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.probability, y.probability);
    EXPECT_EQ(x.seed, y.seed);
    EXPECT_EQ(x.period, y.period);
    EXPECT_EQ(x.phase, y.phase);
    ASSERT_EQ(x.spikes.size(), y.spikes.size());
    for (size_t k = 0; k < x.spikes.size(); ++k) {
      EXPECT_EQ(x.spikes[k].step, y.spikes[k].step);
      EXPECT_EQ(x.spikes[k].index, y.spikes[k].index);
    }
    EXPECT_EQ(x.targetBegin, y.targetBegin);
    EXPECT_EQ(x.targets, y.targets);
  }
  ASSERT_EQ(a.populations.size(), b.populations.size());
  for (size_t i = 0; i < a.populations.size(); ++i) {
    const Population &x = a.populations[i], &y = b.populations[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.recordSpikes, y.recordSpikes);
    EXPECT_EQ(x.recordState, y.recordState);
    EXPECT_EQ(x.aliases, y.aliases);
    EXPECT_EQ(x.program, y.program);
    EXPECT_EQ(x.postTraces, y.postTraces);
    ASSERT_EQ(x.slices.size(), y.slices.size());
    for (size_t k = 0; k < x.slices.size(); ++k) {
      EXPECT_EQ(x.slices[k].core, y.slices[k].core);
      EXPECT_EQ(x.slices[k].firstCompartment, y.slices[k].firstCompartment);
      EXPECT_EQ(x.slices[k].firstNeuron, y.slices[k].firstNeuron);
      EXPECT_EQ(x.slices[k].count, y.slices[k].count);
    }
  }
}

} // namespace cajal::chip::test

#endif // CAJAL_TESTS_CHIP_IMAGEFIXTURES_H
