//===- CoreInputs.cpp - Input spikes of one core of a whole image --------===//
//
// A golden run of the whole image; after each step t the spikes of the step
// (lastSpikingCompartments, lastSourceSpikes) are followed through their
// output axons or source targets, and those that land on the chosen core
// become inputs[t]. The targets are precomputed per global compartment and
// per source channel. A systemc::CoreLogic fed with inputs[t] before
// update(t) runs alongside: its spikes must equal the core's golden spikes
// at every step, which checks the recording against the golden timing.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/CoreInputs.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/SystemC/CoreLogic.h"

#include <algorithm>

namespace cajal::rtl {

namespace {

/// The input axons of core `core` that `targets` name.
void appendHits(const chip::AxonTarget *begin, const chip::AxonTarget *end,
                uint32_t core, std::vector<uint32_t> &out) {
  for (const chip::AxonTarget *t = begin; t != end; ++t)
    if (t->core == core)
      out.push_back(t->inputAxon);
}

} // namespace

Result<std::vector<std::vector<uint32_t>>>
coreInputsFromGolden(const chip::Image &image, const chip::Profile &profile,
                     uint32_t core, uint32_t steps) {
  if (core >= image.cores.size())
    return makeError("core " + std::to_string(core) +
                     " does not exist (the image has " +
                     std::to_string(image.cores.size()) + " cores, 0.." +
                     std::to_string(image.cores.size() - 1) + ")");
  auto golden = golden::GoldenModel::create(image, profile);
  if (!golden)
    return golden.takeError();
  const std::vector<uint32_t> &begin = golden->coreCompartmentBegin();
  // hits[g]: this core's input axons reached by a spike of compartment g.
  std::vector<std::vector<uint32_t>> hits(golden->compartmentCount());
  for (uint32_t k = 0; k < image.cores.size(); ++k) {
    const chip::Core &c = image.cores[k];
    for (uint32_t i = 0; i < c.compartments.size(); ++i)
      appendHits(c.outputAxons.data() + c.outputBegin[i],
                 c.outputAxons.data() + c.outputBegin[i + 1], core,
                 hits[begin[k] + i]);
  }
  const chip::Core &target = image.cores[core];
  // The core's compartments run their programs (a tree's on its stack), as
  // in the golden model.
  auto resolved = chip::resolvePrograms(image, profile);
  if (!resolved)
    return resolved.takeError();
  // An image that learns: the core learns as in the golden run.
  const systemc::CoreLogic::LearningSetup learning =
      systemc::CoreLogic::learningSetupFor(image, core);
  systemc::CoreLogic logic(target, profile, *resolved, core, &learning);
  std::vector<systemc::CoreLogic::Emission> emitted;
  std::vector<std::vector<uint32_t>> inputs(steps);
  for (uint32_t t = 0; t < steps; ++t) {
    golden->step();
    for (uint32_t g : golden->lastSpikingCompartments())
      inputs[t].insert(inputs[t].end(), hits[g].begin(), hits[g].end());
    for (const emulator::SourceSpikeEvent &s : golden->lastSourceSpikes()) {
      const chip::Source &src = image.sources[s.source];
      appendHits(src.targets.data() + src.targetBegin[s.index],
                 src.targets.data() + src.targetBegin[s.index + 1], core,
                 inputs[t]);
    }
    // Check: the core logic reproduces the core's golden spikes.
    for (uint32_t a : inputs[t])
      logic.receive(t, a);
    emitted.clear();
    logic.update(t, 1, 1, emitted);
    logic.learn(t, emitted);
    std::vector<uint32_t> expect;
    for (uint32_t g : golden->lastSpikingCompartments())
      if (g >= begin[core] && g < begin[core + 1])
        expect.push_back(g - begin[core]);
    for (size_t i = 0; i < std::max(expect.size(), emitted.size()); ++i) {
      const bool same = i < expect.size() && i < emitted.size() &&
                        expect[i] == emitted[i].compartment;
      if (!same)
        return makeError("core " + std::to_string(core) +
                         ": recorded inputs do not "
                         "reproduce the golden run at step " +
                         std::to_string(t) + ", compartment " +
                         std::to_string(i < expect.size()
                                            ? expect[i]
                                            : emitted[i].compartment));
    }
  }
  return inputs;
}

std::vector<std::vector<uint32_t>> randomInputs(uint64_t seed, uint32_t axons,
                                                uint32_t steps) {
  auto mix = [](uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  };
  std::vector<std::vector<uint32_t>> in(steps);
  uint64_t s = mix(seed ^ 0x5eedull);
  for (uint32_t t = 0; t < steps; ++t) {
    for (uint32_t a = 0; a < axons; ++a) {
      s = mix(s);
      if (s % 3 == 0)
        in[t].push_back(a);
      if (s % 37 == 1)
        in[t].push_back(a);
    }
  }
  return in;
}

} // namespace cajal::rtl
