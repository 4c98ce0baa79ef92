//===- LearningImages.h - Hand-made images that learn -----------*- C++ -*-===//
//
// Small images whose learning follows from docs/learning.md by hand, for
// every engine's tests: pair STDP pairings at chosen pre/post time
// differences, and a reward that reaches one of two tagged synapses.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTSUPPORT_LEARNINGIMAGES_H
#define CAJAL_TESTSUPPORT_LEARNINGIMAGES_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Learning.h"
#include "cajal/ImageGen/ImageBuilder.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace cajal::test {

/// u and v forget everything each step: a detector spikes in the step an
/// input of at least its threshold arrives, and never otherwise.
inline chip::CompartmentParams detectorCompartment(const chip::Profile &p) {
  chip::CompartmentParams c;
  c.decayU = uint16_t((1u << p.neuron.decayBits) - 1);
  c.decayV = c.decayU;
  c.thresholdMantissa = 1;
  c.refractory = 1;
  c.vmaxExponent = 7;
  c.vminExponent = 20;
  return c;
}

inline chip::LearningRule ruleOf(const std::string &text) {
  Result<chip::LearningRule> r = chip::parseLearningRule(text);
  if (!r)
    throw std::invalid_argument(r.error());
  return *r;
}

inline chip::Source fileSourceOf(const std::string &name, uint32_t size,
                                 std::vector<chip::SourceSpike> spikes) {
  chip::Source s;
  s.name = name;
  s.kind = chip::SourceKind::File;
  s.size = size;
  std::sort(spikes.begin(), spikes.end(), [](auto &a, auto &b) {
    return std::tie(a.step, a.index) < std::tie(b.step, b.index);
  });
  s.spikes = std::move(spikes);
  return s;
}

/// The pair STDP images' trace: impulse 64, decay 256 / 4096 (tau 16).
constexpr uint32_t kStdpImpulse = 64;
constexpr uint32_t kStdpDecay = 256;
constexpr uint32_t kStdpPostStep = 60;

/// Pair STDP (dw = 2^-2 * x1 * y0 - 2^-2 * y1 * x0), one pairing per
/// compartment: compartment k's post spike is forced at kStdpPostStep (a
/// drive source fires the step before through a fixed synapse), and its
/// learning synapse (input axon 2k, weight 0 so that it never drives it)
/// sees one pre spike at kStdpPostStep - deltas[k]. Seed 42.
inline chip::Image stdpPairingImage(const chip::Profile &profile,
                                    const std::vector<int> &deltas,
                                    uint32_t epochSteps) {
  imagegen::ImageBuilder b(profile);
  const uint32_t n = uint32_t(deltas.size());
  const uint32_t core = b.addCore(
      std::vector<chip::CompartmentParams>(n, detectorCompartment(profile)));
  const uint32_t pair =
      b.addLearningRule({ruleOf("dw = 2^-2 * x1 * y0 - 2^-2 * y1 * x0"),
                         {kStdpImpulse, 0, kStdpDecay},
                         {}});
  b.setLearningEpoch(epochSteps, 42);
  std::vector<chip::SourceSpike> pre, drive;
  for (uint32_t k = 0; k < n; ++k) {
    pre.push_back({uint32_t(int(kStdpPostStep) - deltas[k]), k});
    drive.push_back({kStdpPostStep - 1, k});
  }
  const uint32_t preSource = b.addSource(fileSourceOf("pre", n, pre));
  const uint32_t driveSource = b.addSource(fileSourceOf("drive", n, drive));
  for (uint32_t k = 0; k < n; ++k) {
    const uint32_t learning = b.addLearningAxon(core, {{k, 0, 1, 0}}, 0, pair);
    const uint32_t fixed = b.addInputAxon(core, {{k, 100, 1}}, 8, 0, false);
    b.addSourceTarget(preSource, k, {core, learning});
    b.addSourceTarget(driveSource, k, {core, fixed});
  }
  const uint32_t post = b.addPopulation("post", {{core, 0, 0, n}});
  b.setPostTraces(post,
                  {chip::TraceParams{kStdpImpulse, 0, kStdpDecay}, {}, {}});
  return b.build();
}

/// Two detectors learn by an eligibility tag (dt = x1 * y0; dw = 2^-4 * r *
/// t * u, epoch 1, seed 3): pre spikes at step 10 on both learning axons
/// (input axons 0 and 1, weight 0), a drive at 12 makes both spike at 13,
/// and a reward of 4 sent at 30 reaches compartment 0 only at 31.
inline chip::Image rewardImage(const chip::Profile &profile) {
  imagegen::ImageBuilder b(profile);
  const uint32_t core = b.addCore(
      std::vector<chip::CompartmentParams>(2, detectorCompartment(profile)));
  const uint32_t tagged =
      b.addLearningRule({ruleOf("dt = x1 * y0; dw = 2^-4 * r * t * u"),
                         {kStdpImpulse, 0, kStdpDecay},
                         {}});
  b.setLearningEpoch(1, 3);
  const uint32_t a = b.addLearningAxon(core, {{0, 0, 1, 0}}, 0, tagged);
  const uint32_t second = b.addLearningAxon(core, {{1, 0, 1, 0}}, 0, tagged);
  const uint32_t drive =
      b.addInputAxon(core, {{0, 100, 1}, {1, 100, 1}}, 8, 0, false);
  // Weight 4 << (6 - 6) = 4 of reward, on compartment 0 only.
  const uint32_t reward = b.addRewardAxon(core, {{0, 4, 1, 0}}, -6);
  const uint32_t s =
      b.addSource(fileSourceOf("events", 3, {{10, 0}, {12, 1}, {30, 2}}));
  b.addSourceTarget(s, 0, {core, a});
  b.addSourceTarget(s, 0, {core, second});
  b.addSourceTarget(s, 1, {core, drive});
  b.addSourceTarget(s, 2, {core, reward});
  const uint32_t post = b.addPopulation("post", {{core, 0, 0, 2}});
  b.setPostTraces(post,
                  {chip::TraceParams{kStdpImpulse, 0, kStdpDecay}, {}, {}});
  return b.build();
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_LEARNINGIMAGES_H
