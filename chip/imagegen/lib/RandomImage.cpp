//===- RandomImage.cpp - Seeded random chip images ------------------------===//
//
// Every choice is drawn from one splitmix64 stream, in a fixed order: cores
// and their compartments, then input axons with their synapse groups, then
// output axons, sources, populations. A Poisson group source comes last,
// from a stream of its own (so it leaves the other choices as they were).
// About half of the compartments of a
// core draw every parameter uniformly over its legal range; the others
// ("active") get low thresholds and high vmax so that the network fires and
// the routing, delays and refractory paths are exercised. Sizes are clamped
// to the profile's per-core limits.
//
//===----------------------------------------------------------------------===//
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/ImageGen/RandomProgram.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Source.h"
#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <tuple>

namespace cajal::imagegen {

namespace {

class ImageRng {
public:
  explicit ImageRng(uint64_t seed) : state(seed) {}
  uint64_t next() { return chip::splitmix64(state++ * 0x2545f4914f6cdd1dull); }
  /// Uniform in [0, n) (n >= 1; the modulo bias is irrelevant here).
  uint64_t below(uint64_t n) { return next() % n; }
  /// Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) {
    return lo + int64_t(below(uint64_t(hi - lo) + 1));
  }
  bool chance(unsigned num, unsigned den) { return below(den) < num; }

private:
  uint64_t state;
};

constexpr unsigned activeThresholdDrop = 6; ///< active vth uses fewer bits

chip::CompartmentParams
randomParams(ImageRng &rng, const chip::Profile &profile, bool active) {
  const chip::NeuronFormat &n = profile.neuron;
  const int64_t decayMax = (int64_t(1) << n.decayBits) - 1;
  chip::CompartmentParams p;
  auto decay = [&] {
    if (rng.chance(1, 5))
      return uint16_t(rng.chance(1, 2) ? 0 : decayMax);
    return uint16_t(rng.range(0, decayMax));
  };
  p.decayU = decay();
  p.decayV = decay();
  if (!rng.chance(1, 3))
    p.biasMantissa =
        int16_t(rng.range(-int64_t(n.biasMantissaMax), n.biasMantissaMax));
  p.biasExponent = uint8_t(rng.range(0, n.biasExponentMax));
  p.refractory = uint8_t(active && rng.chance(1, 2)
                             ? rng.range(n.refractoryMin, n.refractoryMin + 3)
                             : rng.range(n.refractoryMin, n.refractoryMax));
  const unsigned vthBits =
      active && n.thresholdMantissaBits > activeThresholdDrop
          ? n.thresholdMantissaBits - activeThresholdDrop
          : n.thresholdMantissaBits;
  p.thresholdMantissa = uint32_t(rng.below(uint64_t(1) << vthBits));
  p.vminExponent = uint8_t(rng.range(0, n.vminExponentMax));
  p.vmaxExponent =
      uint8_t(active ? rng.range(n.vmaxExponentMax / 2, n.vmaxExponentMax)
                     : rng.range(0, n.vmaxExponentMax));
  if (rng.chance(1, 10))
    p.flags |= chip::NoSpike;
  if (n.resetBySubtraction && rng.chance(1, 2))
    p.flags |= chip::ResetBySubtraction;
  return p;
}

/// A random synapse group for a core of `comps` compartments, shrunk so that
/// it fits in the `wordsLeft` synapse words.
void addRandomAxon(ImageRng &rng, ImageBuilder &b, uint32_t core,
                   uint32_t comps, uint32_t wordsLeft,
                   const chip::SynapseFormat &f) {
  chip::InputAxon shape;
  shape.weightBits = uint8_t(rng.range(1, f.weightBitsMax));
  shape.weightExponent =
      int8_t(rng.range(f.weightExponentMin, f.weightExponentMax));
  shape.hasDelay = f.delayBits > 0 && rng.chance(1, 2);
  const bool longDelays = rng.chance(1, 4);
  const uint32_t shortDelay = std::min<uint32_t>(f.maxDelay, 8);
  const int64_t mantMax = (int64_t(1) << shape.weightBits) - 1;
  shape.synapseCount = uint32_t(rng.below(3 * uint64_t(comps) + 1));
  while (shape.synapseCount > 0 && chip::wordsForGroup(shape, f) > wordsLeft)
    --shape.synapseCount;
  std::vector<chip::Synapse> syn(shape.synapseCount);
  for (chip::Synapse &s : syn) {
    s.compartment = uint32_t(rng.below(comps));
    s.mantissa = int32_t(rng.range(-mantMax, mantMax));
    s.delay = !shape.hasDelay ? 1
              : longDelays    ? uint32_t(rng.range(1, f.maxDelay))
                              : uint32_t(rng.range(1, shortDelay));
  }
  b.addInputAxon(core, syn, shape.weightBits, shape.weightExponent,
                 shape.hasDelay);
}

chip::AxonTarget randomTarget(ImageRng &rng,
                              const std::vector<uint32_t> &axons) {
  const uint32_t core = uint32_t(rng.below(axons.size()));
  return {core, uint32_t(rng.below(axons[core]))};
}

/// Sources: one of each kind, each channel fanning out to 0..3 input axons.
void addSources(ImageRng &rng, ImageBuilder &b,
                const std::vector<uint32_t> &axons, const RandomOptions &o,
                std::vector<ExternalSpike> &external) {
  const chip::SourceKind kinds[] = {
      chip::SourceKind::Poisson, chip::SourceKind::Periodic,
      chip::SourceKind::File, chip::SourceKind::External};
  const char *names[] = {"noise", "clock", "stim", "ext"};
  constexpr uint32_t listedSpikeOdds = 20; ///< 1 in 20 per step and channel
  for (size_t k = 0; k < 4; ++k) {
    chip::Source s;
    s.name = names[k];
    s.kind = kinds[k];
    s.size = uint32_t(rng.range(1, 12));
    s.seed = rng.next();
    const uint64_t full = uint64_t(1) << 32;
    s.probability = uint32_t(rng.chance(1, 8) ? full - 1 : rng.below(full / 4));
    s.period = uint32_t(rng.range(1, 30));
    s.phase = uint32_t(rng.below(40));
    const bool listed = s.kind == chip::SourceKind::File ||
                        s.kind == chip::SourceKind::External;
    for (uint32_t t = 0; listed && t < o.steps; ++t)
      for (uint32_t i = 0; i < s.size; ++i)
        if (rng.chance(1, listedSpikeOdds)) {
          if (s.kind == chip::SourceKind::File)
            s.spikes.push_back({t, i});
          else
            external.push_back({uint32_t(k), t, i});
        }
    const uint32_t src = b.addSource(s);
    for (uint32_t i = 0; i < s.size; ++i)
      for (uint64_t n = rng.below(4); n > 0; --n)
        b.addSourceTarget(src, i, randomTarget(rng, axons));
  }
}

/// A Poisson group source ("group", after the others) from its own stream:
/// a mean of 0 to 16 spikes per step per channel, often below 2 (as a
/// cortical background's), each channel fanning out to 0..3 input axons.
void addPoissonGroup(uint64_t seed, ImageBuilder &b,
                     const std::vector<uint32_t> &axons) {
  ImageRng rng(seed ^ 0x706f6973736f6e67ull);
  chip::Source s;
  s.name = "group";
  s.kind = chip::SourceKind::PoissonGroup;
  s.size = uint32_t(rng.range(1, 12));
  s.seed = rng.next();
  const double meanMilli =
      rng.chance(1, 4) ? double(rng.below(16001)) : double(rng.below(2001));
  s.probability = chip::poissonGroupThreshold(meanMilli / 1000);
  const uint32_t src = b.addSource(s);
  for (uint32_t i = 0; i < s.size; ++i)
    for (uint64_t n = rng.below(4); n > 0; --n)
      b.addSourceTarget(src, i, randomTarget(rng, axons));
}

/// Split every core into up to two chunks, give each chunk to one of 1..4
/// populations (a few chunks to none), in core order.
void addPopulations(ImageRng &rng, ImageBuilder &b,
                    const std::vector<uint32_t> &comps) {
  const uint32_t count = uint32_t(rng.range(1, 4));
  std::vector<std::vector<chip::Slice>> slices(count);
  std::vector<uint32_t> sizes(count, 0);
  for (uint32_t c = 0; c < comps.size(); ++c) {
    const uint32_t cut = uint32_t(rng.range(0, comps[c]));
    const uint32_t bounds[3] = {0, cut, comps[c]};
    for (int k = 0; k < 2; ++k) {
      const uint32_t n = bounds[k + 1] - bounds[k];
      if (n == 0 || rng.chance(1, 8))
        continue;
      const uint32_t p = uint32_t(rng.below(count));
      slices[p].push_back({c, bounds[k], sizes[p], n});
      sizes[p] += n;
    }
  }
  for (uint32_t p = 0; p < count; ++p)
    if (sizes[p] > 0)
      b.addPopulation("pop" + std::to_string(p), slices[p], true,
                      rng.chance(1, 3));
}

/// Programs for populations (RandomOptions::programPopulations): every core
/// is cut into chunks of 1..8 compartments, each chunk one population; about
/// three in four run a random program of their own (drawn from a stream of
/// their own, RandomProgram.h), the others their LIF records. On a
/// fixed-function chip the trees are the compiler's (randomLifTree) and the
/// other populations LIF.
void addProgramPopulations(
    ImageRng &rng, ImageBuilder &b, const std::vector<uint32_t> &comps,
    const chip::Profile &profile, uint64_t seed, bool trees,
    std::vector<std::vector<std::vector<int64_t>>> &paramWords,
    std::vector<chip::Program> &programs,
    std::vector<uint32_t> &populationProgram,
    std::vector<chip::DendriticTree> &populationTree) {
  Rng programRng(seed * 0x9e3779b97f4a7c15ull + 0x5851f42d4c957f2dull);
  Rng treeRng(seed * 0xd1b54a32d192ed03ull + 0x8bb84b93962eacc9ull);
  paramWords.assign(comps.size(), {});
  for (uint32_t c = 0; c < comps.size(); ++c) {
    paramWords[c].resize(comps[c]);
    for (uint32_t first = 0; first < comps[c];) {
      const uint32_t n = std::min(uint32_t(rng.range(1, 8)), comps[c] - first);
      if (trees && treeRng.coin()) {
        // n compartments hold n / tree.size() neurons of one tree.
        RandomTree t = profile.isa.programmable
                           ? randomTree(treeRng, profile, 4)
                           : randomLifTree(treeRng, profile, 4);
        const uint32_t perNeuron = uint32_t(t.tree.size());
        const uint32_t neurons = n / perNeuron;
        if (neurons > 0) {
          b.addPopulation("pop" + std::to_string(populationProgram.size()),
                          {{c, first, 0, neurons}}, true, treeRng.coin());
          const uint32_t base = uint32_t(programs.size());
          for (chip::TreeCompartment &k : t.tree)
            k.program += base;
          for (uint32_t i = 0; i < neurons * perNeuron; ++i)
            paramWords[c][first + i] =
                randomParamWords(treeRng, t.programs[i % perNeuron]);
          programs.insert(programs.end(), t.programs.begin(), t.programs.end());
          populationProgram.push_back(t.tree.back().program);
          populationTree.push_back(std::move(t.tree));
          first += neurons * perNeuron;
          continue;
        }
      }
      const uint32_t pop =
          b.addPopulation("pop" + std::to_string(populationProgram.size()),
                          {{c, first, 0, n}}, true, rng.chance(1, 3));
      (void)pop;
      uint32_t program = chip::Population::kLifByRecord;
      if (profile.isa.programmable && rng.chance(3, 4)) {
        program = uint32_t(programs.size());
        programs.push_back(randomProgram(programRng, profile));
        for (uint32_t i = 0; i < n; ++i)
          paramWords[c][first + i] =
              randomParamWords(programRng, programs.back());
      }
      populationProgram.push_back(program);
      populationTree.emplace_back();
      first += n;
    }
  }
}

/// Only a tree's root sends spikes: the other compartments' output axons go.
void dropNonRootOutputs(chip::Image &image) {
  for (const chip::Population &pop : image.populations) {
    const uint32_t perNeuron = chip::compartmentsPerNeuron(pop);
    if (perNeuron == 1)
      continue;
    for (const chip::Slice &sl : pop.slices) {
      chip::Core &core = image.cores[sl.core];
      for (uint32_t i = 0; i < sl.count * perNeuron; ++i) {
        if (i % perNeuron == perNeuron - 1)
          continue;
        const uint32_t c = sl.firstCompartment + i;
        const uint32_t begin = core.outputBegin[c],
                       removed = core.outputBegin[c + 1] - begin;
        core.outputAxons.erase(core.outputAxons.begin() + begin,
                               core.outputAxons.begin() + begin + removed);
        for (size_t k = c + 1; k < core.outputBegin.size(); ++k)
          core.outputBegin[k] -= removed;
      }
    }
  }
}

/// RandomOptions::initialState, once the image's programs are in place.
void addInitialState(chip::Image &image, const chip::Profile &profile,
                     uint64_t seed) {
  Result<chip::ResolvedPrograms> resolved =
      chip::resolvePrograms(image, profile);
  if (!resolved)
    return; // the generator's images resolve; validate() would say why not
  Rng rng(seed * 0xd1342543de82ef95ull + 0x2545f4914f6cdd1dull);
  const chip::NeuronFormat &f = profile.neuron;
  for (uint32_t k = 0; k < image.cores.size(); ++k) {
    chip::Core &core = image.cores[k];
    core.initialBegin.assign(1, 0);
    for (uint32_t c = 0; c < core.compartments.size(); ++c) {
      if (rng.range(0, 2) == 0) {
        const uint32_t p = resolved->compartmentProgram[k][c];
        std::vector<int32_t> words;
        if (resolved->lifFamily[p]) {
          const chip::LifConstants lif =
              chip::lifConstants(core.compartments[c], f);
          const int64_t half = int64_t(1) << (f.currentBits - 1);
          chip::CompartmentState s;
          s.u = int32_t(rng.range(-half, half - 1));
          s.v = int32_t(rng.range(std::max<int64_t>(lif.vmin, INT32_MIN),
                                  std::min<int64_t>(lif.vmax, INT32_MAX)));
          s.refractoryLeft = uint8_t(rng.range(0, 3));
          words.resize(3);
          chip::lifStateToWords(s, words.data());
        } else {
          words = randomStateWords(rng, resolved->programs[p]);
        }
        core.initialWords.insert(core.initialWords.end(), words.begin(),
                                 words.end());
      }
      core.initialBegin.push_back(uint32_t(core.initialWords.size()));
    }
  }
}

/// A random trace: often none or a short time constant, sometimes any
/// value inside the profile's widths.
chip::TraceParams randomTrace(ImageRng &rng, const chip::LearningFormat &f) {
  chip::TraceParams t;
  if (rng.chance(1, 6))
    return t;
  const int64_t traceMax = (int64_t(1) << f.traceBits) - 1;
  const int64_t one = int64_t(1) << f.traceDecayBits;
  t.impulseInteger = uint32_t(rng.chance(1, 4) ? rng.range(0, traceMax)
                                               : rng.range(0, traceMax / 4));
  t.impulseFraction = uint32_t(
      rng.chance(1, 3)
          ? 0
          : rng.range(0, (int64_t(1) << f.traceImpulseFractionBits) - 1));
  if (rng.chance(1, 8))
    t.decay = uint32_t(rng.chance(1, 2) ? 0 : one);
  else if (rng.chance(1, 3))
    t.decay = uint32_t(rng.range(0, one));
  else
    t.decay = uint32_t(one / rng.range(2, 64));
  return t;
}

/// A random rule that passes chip::checkLearningRule: 1..4 terms of dw,
/// often terms of dd and dt, each with a random dependency, mantissa,
/// exponent and up to maxFactors - 1 factors over every variable.
chip::LearningRule randomRule(ImageRng &rng, const chip::LearningFormat &f) {
  using V = chip::LearningVariable;
  static constexpr V dependencies[] = {V::X0, V::Y0, V::U};
  static constexpr V variables[] = {V::X1, V::X2, V::Y1, V::Y2, V::Y3,
                                    V::R,  V::W,  V::D,  V::T,  V::C};
  const int64_t mantissaMax = (int64_t(1) << f.scaleMantissaBits) - 1;
  const int64_t constantMax = int64_t(1) << f.constantBits;
  const int64_t exponentMax = f.accumulatorBits;
  const auto term = [&] {
    chip::RuleTerm t;
    t.mantissa = int32_t(rng.range(-mantissaMax, mantissaMax));
    t.exponent = int32_t(rng.chance(1, 5) ? rng.range(-exponentMax, exponentMax)
                                          : rng.range(-10, 1));
    t.dependency = dependencies[rng.below(3)];
    const uint64_t factors = rng.below(std::max(1u, f.maxFactors));
    for (uint64_t k = 0; k < factors; ++k) {
      chip::RuleFactor factor;
      factor.variable = variables[rng.below(std::size(variables))];
      if (factor.variable == V::C || rng.chance(1, 3))
        factor.constant =
            int32_t(rng.chance(1, 2) ? rng.range(-constantMax, constantMax - 1)
                                     : rng.range(-8, 8));
      t.factors.push_back(factor);
    }
    return t;
  };
  chip::LearningRule rule;
  const uint64_t maxTerms = std::max(1u, f.maxTerms);
  const uint64_t dw = 1 + rng.below(std::min<uint64_t>(4, maxTerms));
  for (uint64_t k = 0; k < dw; ++k)
    rule.of(chip::LearningTarget::Weight).push_back(term());
  if (rng.chance(1, 3))
    for (uint64_t k = 1 + rng.below(std::min<uint64_t>(2, maxTerms)); k > 0;
         --k)
      rule.of(chip::LearningTarget::Delay).push_back(term());
  if (rng.chance(1, 2))
    for (uint64_t k = 1 + rng.below(std::min<uint64_t>(3, maxTerms)); k > 0;
         --k)
      rule.of(chip::LearningTarget::Tag).push_back(term());
  return rule;
}

/// RandomOptions::learning, once the image is built: the epoch, the rules,
/// the populations' post-synaptic traces, and each core's synapse groups
/// re-packed with a third of them learning and a few rewarding.
void addLearning(chip::Image &image, const chip::Profile &profile,
                 uint64_t seed) {
  ImageRng rng(seed * 0xa0761d6478bd642full + 0xe7037ed1a0b428dbull);
  const chip::LearningFormat &lf = profile.learning;
  const chip::SynapseFormat &sf = profile.synapse;
  chip::ImageLearning &l = image.learning;
  const uint32_t maxEpoch = std::max(1u, lf.maxEpochSteps);
  l.epochSteps =
      uint32_t(rng.chance(1, 2)   ? rng.range(1, std::min(4u, maxEpoch))
               : rng.chance(1, 2) ? rng.range(1, std::min(16u, maxEpoch))
                                  : rng.range(1, maxEpoch));
  l.seed = rng.next();
  for (uint64_t r = rng.range(1, 4); r > 0; --r)
    l.rules.push_back(
        {randomRule(rng, lf), randomTrace(rng, lf), randomTrace(rng, lf),
         chip::WeightSign(rng.range(0, chip::kWeightSignCount - 1))});
  for (chip::Population &p : image.populations)
    if (rng.chance(2, 3))
      for (chip::TraceParams &t : p.postTraces)
        t = randomTrace(rng, lf);
  const int64_t weightMax = (int64_t(1) << sf.weightBitsMax) - 1;
  const int64_t tagMax = int64_t(1) << sf.tagBits;
  const uint32_t shortDelay = std::min<uint32_t>(sf.maxDelay, 8);
  std::vector<chip::Synapse> group;
  for (chip::Core &core : image.cores) {
    std::vector<uint64_t> words;
    uint64_t oldLeft = 0; // words of the groups not yet re-packed
    for (const chip::InputAxon &axon : core.inputAxons)
      oldLeft += chip::wordsForGroup(axon, sf);
    for (chip::InputAxon &axon : core.inputAxons) {
      chip::unpackSynapses(core.synapseWords, axon, sf, group);
      group.resize(axon.synapseCount);
      oldLeft -= chip::wordsForGroup(axon, sf);
      chip::InputAxon changed = axon;
      std::vector<chip::Synapse> synapses = group;
      if (rng.chance(1, 3) && sf.delayBits > 0) {
        changed.learning = uint32_t(rng.below(l.rules.size()));
        changed.weightBits = uint8_t(sf.weightBitsMax);
        const bool hadDelay = changed.hasDelay;
        changed.hasDelay = true;
        for (chip::Synapse &s : synapses) {
          s.mantissa =
              int32_t(std::clamp<int64_t>(s.mantissa, -weightMax, weightMax));
          if (!hadDelay)
            s.delay = uint32_t(rng.range(1, shortDelay));
          s.tag =
              int32_t(rng.chance(1, 3) ? 0 : rng.range(-tagMax, tagMax - 1));
        }
      } else if (rng.chance(1, 10)) {
        changed.reward = true;
      }
      if (words.size() + chip::wordsForGroup(changed, sf) + oldLeft >
          profile.core.synapseWords) {
        changed = axon; // no room: the group stays fixed
        synapses = group;
      }
      chip::packSynapses(synapses, changed, words, sf);
      axon = changed;
    }
    core.synapseWords = std::move(words);
  }
}

} // namespace

RandomNetwork randomNetwork(const chip::Profile &profile,
                            const RandomOptions &o) {
  ImageRng rng(o.seed);
  ImageBuilder b(profile);
  const chip::CoreLimits &lim = profile.core;
  const uint32_t maxComps = std::min(o.maxCompartments, lim.compartments);
  const uint32_t maxAxons = std::min(o.maxInputAxons, lim.inputAxons);
  const uint32_t cores = uint32_t(
      rng.range(o.minCores, std::min(o.maxCores, profile.mesh.totalCores())));
  std::vector<uint32_t> comps, axons;
  for (uint32_t c = 0; c < cores; ++c) {
    const bool active = rng.chance(2, 3);
    std::vector<chip::CompartmentParams> params(rng.range(1, maxComps));
    for (chip::CompartmentParams &p : params)
      p = randomParams(rng, profile, active && rng.chance(3, 4));
    comps.push_back(uint32_t(params.size()));
    b.addCore(std::move(params));
  }
  for (uint32_t c = 0; c < cores; ++c) {
    axons.push_back(uint32_t(rng.range(1, maxAxons)));
    for (uint32_t a = 0; a < axons[c]; ++a) {
      const uint32_t used = uint32_t(b.core(c).synapseWords.size());
      addRandomAxon(rng, b, c, comps[c], lim.synapseWords - used,
                    profile.synapse);
    }
  }
  for (uint32_t c = 0; c < cores; ++c) {
    uint32_t outputs = 0;
    for (uint32_t l = 0; l < comps[c]; ++l)
      for (uint64_t n = rng.below(4); n > 0 && outputs < lim.outputAxons;
           --n, ++outputs)
        b.addOutput(c, l, randomTarget(rng, axons));
  }
  RandomNetwork net;
  addSources(rng, b, axons, o, net.external);
  if (o.poissonGroup)
    addPoissonGroup(o.seed, b, axons);
  std::vector<std::vector<std::vector<int64_t>>> paramWords;
  std::vector<chip::Program> programs;
  std::vector<uint32_t> populationProgram;
  std::vector<chip::DendriticTree> populationTree;
  const bool trees = o.treePopulations && profile.isa.stackDepth >= 8;
  if (o.programPopulations && (profile.isa.programmable || trees))
    addProgramPopulations(rng, b, comps, profile, o.seed, trees, paramWords,
                          programs, populationProgram, populationTree);
  else
    addPopulations(rng, b, comps);
  net.image = b.build();
  if (!programs.empty()) {
    chip::Image &image = net.image;
    image.programs = std::move(programs);
    for (size_t p = 0; p < populationProgram.size(); ++p) {
      image.populations[p].program = populationProgram[p];
      image.populations[p].tree = std::move(populationTree[p]);
    }
    if (trees)
      dropNonRootOutputs(image);
    for (uint32_t c = 0; c < comps.size(); ++c) {
      chip::Core &core = image.cores[c];
      core.paramBegin.assign(1, 0);
      for (const std::vector<int64_t> &words : paramWords[c]) {
        core.paramWords.insert(core.paramWords.end(), words.begin(),
                               words.end());
        core.paramBegin.push_back(uint32_t(core.paramWords.size()));
      }
    }
  }
  if (o.initialState)
    addInitialState(net.image, profile, o.seed);
  if (o.learning)
    addLearning(net.image, profile, o.seed);
  std::sort(net.external.begin(), net.external.end(),
            [](const ExternalSpike &x, const ExternalSpike &y) {
              return std::tie(x.step, x.source, x.index) <
                     std::tie(y.step, y.source, y.index);
            });
  return net;
}

} // namespace cajal::imagegen
