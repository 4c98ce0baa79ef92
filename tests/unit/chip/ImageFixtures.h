//===- ImageFixtures.h - Random valid chip images for tests -----*- C++ -*-===//
#ifndef CAJAL_TESTS_CHIP_IMAGEFIXTURES_H
#define CAJAL_TESTS_CHIP_IMAGEFIXTURES_H

#include "cajal/Chip/Image.h"

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
  }
  return out;
}

/// A valid image for `profile`: `cores` cores with random compartments,
/// synapse groups of every width, output axons, one source of each kind and
/// two populations.
inline Image randomImage(std::mt19937_64 &rng, const Profile &profile,
                         uint32_t cores = 3) {
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
  return img;
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
}

inline void expectSameImage(const Image &a, const Image &b) {
  EXPECT_EQ(a.profileName, b.profileName);
  EXPECT_EQ(a.profileFingerprint, b.profileFingerprint);
  ASSERT_EQ(a.cores.size(), b.cores.size());
  for (size_t c = 0; c < a.cores.size(); ++c)
    expectSameCore(a.cores[c], b.cores[c]);
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
