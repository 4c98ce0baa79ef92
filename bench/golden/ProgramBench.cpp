//===- ProgramBench.cpp - Golden program groups' speed --------------------===//
//
// Neuron updates per second of the golden model on one population of
// Izhikevich neurons (chip::izhikevichProgram, loihi2: 10,000 compartments
// over two cores, bias currents spread over 0..15 so that most of them
// spike) and one of adaptive-LIF neurons (chip::adaptiveLifProgram, the LIF
// population's words plus adaptation), each through its fast path and
// through the fused interpreter (ModelOptions::programFastPaths off); for
// comparison the same compartments as a LIF population (the LIF fast path)
// and the Izhikevich population in the reference engine. Usage:
//
//   cajal-golden-program-bench [PROFILE_DIR] [--steps N] [--compartments N]
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/Reference/ReferenceEngine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace cajal;

namespace {

enum class Model { Lif, Izhikevich, AdaptiveLif };

/// `n` compartments over cores of at most half of n (two cores for 10k on
/// loihi2), one population running `model`.
chip::Image benchImage(const chip::Profile &profile, uint32_t n, Model model) {
  imagegen::ImageBuilder b(profile);
  const uint32_t perCore = std::min(profile.core.compartments, (n + 1) / 2);
  std::vector<chip::Slice> slices;
  for (uint32_t first = 0; first < n; first += perCore) {
    const uint32_t count = std::min(perCore, n - first);
    std::vector<chip::CompartmentParams> records(count);
    for (uint32_t i = 0; i < count; ++i) { // LIF: bias drives most to fire
      records[i].biasMantissa = int16_t((first + i) % 64);
      records[i].biasExponent = 6;
      records[i].thresholdMantissa = 200;
      records[i].decayV = 200;
      records[i].decayU = 4095;
      records[i].vmaxExponent = uint8_t(profile.neuron.vmaxExponentMax);
    }
    const uint32_t core = b.addCore(std::move(records));
    slices.push_back({core, 0, first, count});
  }
  b.addPopulation("neurons", slices, true, false);
  chip::Image image = b.build();
  if (model == Model::Lif)
    return image;
  if (model == Model::AdaptiveLif) {
    image.programs.push_back(chip::adaptiveLifProgram(profile.neuron));
    image.populations[0].program = 0;
    for (chip::Core &core : image.cores) {
      core.paramBegin.assign(1, 0);
      for (uint32_t i = 0; i < core.compartments.size(); ++i) {
        std::vector<int64_t> words =
            chip::lifParamWords(core.compartments[i], profile.neuron);
        words.push_back(4000);            // decayA
        words.push_back(int64_t(1) << 8); // jump
        words.push_back(64);              // beta
        for (int64_t w : words)
          core.paramWords.push_back(w);
        core.paramBegin.push_back(uint32_t(core.paramWords.size()));
      }
    }
    return image;
  }
  image.programs.push_back(chip::izhikevichProgram({}));
  image.populations[0].program = 0;
  uint32_t k = 0;
  for (chip::Core &core : image.cores) {
    core.paramBegin.assign(1, 0);
    for (size_t i = 0; i < core.compartments.size(); ++i, ++k) {
      chip::IzhikevichParams p;
      p.current = double(k % 16);
      for (int64_t w : chip::izhikevichParamWords(p))
        core.paramWords.push_back(w);
      core.paramBegin.push_back(uint32_t(core.paramWords.size()));
    }
  }
  return image;
}

template <typename Engine>
double updatesPerSecond(Engine &engine, uint32_t steps, uint32_t n,
                        uint64_t &spikes) {
  const auto start = std::chrono::steady_clock::now();
  for (uint32_t t = 0; t < steps; ++t)
    engine.step();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  spikes = engine.counters().compartmentSpikes;
  return double(steps) * n / seconds;
}

} // namespace

int main(int argc, char **argv) {
  std::string dir = chip::defaultProfileDir();
  uint32_t steps = 2000, n = 10000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--steps") && i + 1 < argc)
      steps = uint32_t(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--compartments") && i + 1 < argc)
      n = uint32_t(std::atoi(argv[++i]));
    else
      dir = argv[i];
  }
  Result<chip::Profile> profile = chip::findProfile("loihi2", dir);
  if (!profile) {
    std::fprintf(stderr, "%s\n", profile.error().c_str());
    return 1;
  }
  const chip::Image izh = benchImage(*profile, n, Model::Izhikevich);
  const chip::Image alif = benchImage(*profile, n, Model::AdaptiveLif);
  const chip::Image lif = benchImage(*profile, n, Model::Lif);
  golden::ModelOptions interpreted;
  interpreted.programFastPaths = false;
  struct Case {
    const char *name;
    const chip::Image &image;
    golden::ModelOptions options;
  };
  const Case cases[] = {{"izhikevich (fast path)        ", izh, {}},
                        {"izhikevich (fused interpreter)", izh, interpreted},
                        {"adaptive lif (fast path)      ", alif, {}},
                        {"adaptive lif (fused interp.)  ", alif, interpreted},
                        {"lif (LIF fast path)           ", lif, {}}};
  uint64_t spikes = 0;
  for (const Case &c : cases) {
    Result<golden::GoldenModel> g =
        golden::GoldenModel::create(c.image, *profile, c.options);
    if (!g) {
      std::fprintf(stderr, "create failed: %s\n", g.error().c_str());
      return 1;
    }
    const double r = updatesPerSecond(*g, steps, n, spikes);
    std::printf("golden, %s isa %s: %u compartments, %u steps, %llu "
                "spikes: %.3g neuron updates/s\n",
                c.name, golden::isaName(g->isa()), n, steps,
                (unsigned long long)spikes, r);
  }
  Result<reference::ReferenceEngine> ri =
      reference::ReferenceEngine::create(izh, *profile);
  if (!ri) {
    std::fprintf(stderr, "create failed: %s\n", ri.error().c_str());
    return 1;
  }
  const uint32_t refSteps = std::max(1u, steps / 10);
  const double r = updatesPerSecond(*ri, refSteps, n, spikes);
  std::printf("reference, izhikevich (chip::interpret):          %u "
              "compartments, %u steps, %llu spikes: %.3g neuron updates/s\n",
              n, refSteps, (unsigned long long)spikes, r);
  return 0;
}
