//===- SystemCBench.cpp - Wall time of the SystemC model vs the golden model
//-===//
//
// Runs one image for a number of steps on the golden model and on the
// SystemC model in the same process, checks that both give the same spikes
// every step, and prints one JSON line: wall seconds of each engine, their
// ratio, emulated cycles and emulated cycles per wall second. The image is
// a file (--image) or a synthetic network built here: --cores cores of
// --compartments regularly firing compartments (bias-driven, thresholds
// spread so that they desynchronise), each with --fanout output axons to
// random cores, and --axons input axons per core of --synapses synapses.
// bench/systemc/run_bench.py runs a set of sizes.
//
//===----------------------------------------------------------------------===//
#include "cajal/ImageGen/ImageBuilder.h"

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Source.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/SystemC/SystemCEngine.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

using namespace cajal;

namespace {

struct Args {
  std::string image, profile = "loihi1", vcd, trace, power;
  uint32_t steps = 200, cores = 16, compartments = 1024, fanout = 4;
  uint32_t axons = 512, synapses = 64;
  uint64_t seed = 1;
  bool scatter = false;
};

class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t below(uint64_t n) { return chip::splitmix64(state++) % n; }

private:
  uint64_t state;
};

chip::CompartmentParams firing(Rng &rng, const chip::Profile &p) {
  chip::CompartmentParams c;
  c.decayU = uint16_t((1u << p.neuron.decayBits) - 1); // u = q each step
  c.decayV = uint16_t(rng.below(64));
  c.biasMantissa = int16_t(50 + rng.below(100));
  c.biasExponent = 3;
  c.thresholdMantissa = uint32_t(150 + rng.below(150));
  c.refractory = uint8_t(std::min<uint32_t>(2, p.neuron.refractoryMax));
  c.vmaxExponent = uint8_t(p.neuron.vmaxExponentMax);
  c.vminExponent = 10;
  return c;
}

chip::Image synthetic(const Args &a, const chip::Profile &p) {
  Rng rng(a.seed);
  imagegen::ImageBuilder b(p);
  const uint32_t comps = std::min(a.compartments, p.core.compartments);
  for (uint32_t c = 0; c < a.cores; ++c) {
    std::vector<chip::CompartmentParams> params(comps);
    for (auto &cp : params)
      cp = firing(rng, p);
    b.addCore(std::move(params));
  }
  for (uint32_t c = 0; c < a.cores; ++c)
    for (uint32_t ax = 0; ax < a.axons; ++ax) {
      std::vector<chip::Synapse> syn(a.synapses);
      for (auto &s : syn) {
        s.compartment = uint32_t(rng.below(comps));
        s.mantissa = int32_t(rng.below(31)) - 15;
        s.delay = 1;
      }
      b.addInputAxon(c, syn, 4, 0, false);
    }
  for (uint32_t c = 0; c < a.cores; ++c)
    for (uint32_t l = 0; l < comps; ++l)
      for (uint32_t k = 0; k < a.fanout; ++k)
        b.addOutput(
            c, l, {uint32_t(rng.below(a.cores)), uint32_t(rng.below(a.axons))});
  std::vector<chip::Slice> slices;
  for (uint32_t c = 0; c < a.cores; ++c)
    slices.push_back({c, 0, c * comps, comps});
  b.addPopulation("net", slices);
  chip::Image img = b.build();
  if (a.scatter) { // spread the cores over the mesh, one per tile
    const uint32_t w = p.mesh.tilesX * p.mesh.chipsX;
    for (uint32_t c = 0; c < img.cores.size(); ++c) {
      img.cores[c].x = c % w;
      img.cores[c].y = c / w;
      img.cores[c].tileSlot = 0;
    }
  }
  return img;
}

bool parse(int argc, char **argv, Args &a) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (k == "--scatter") {
      a.scatter = true;
      continue;
    }
    if (i + 1 >= argc)
      return false;
    const std::string v = argv[++i];
    const auto num = [&] { return uint32_t(std::strtoul(v.c_str(), 0, 10)); };
    if (k == "--image")
      a.image = v;
    else if (k == "--profile")
      a.profile = v;
    else if (k == "--vcd")
      a.vcd = v;
    else if (k == "--trace")
      a.trace = v;
    else if (k == "--power")
      a.power = v;
    else if (k == "--steps")
      a.steps = num();
    else if (k == "--cores")
      a.cores = num();
    else if (k == "--compartments")
      a.compartments = num();
    else if (k == "--fanout")
      a.fanout = num();
    else if (k == "--axons")
      a.axons = num();
    else if (k == "--synapses")
      a.synapses = num();
    else if (k == "--seed")
      a.seed = num();
    else
      return false;
  }
  return true;
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

int fail(const std::string &msg) {
  std::fprintf(stderr, "cajal-systemc-bench: error: %s\n", msg.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  Args a;
  if (!parse(argc, argv, a))
    return fail("usage: cajal-systemc-bench [--image F | --cores N "
                "--compartments N --fanout N --axons N --synapses N "
                "--scatter] [--steps N] [--profile P] [--vcd F] [--trace F] "
                "[--power F]");
  Result<chip::Profile> profile =
      chip::findProfile(a.profile, chip::defaultProfileDir());
  if (!profile)
    return fail(profile.error());
  chip::Image image;
  if (!a.image.empty()) {
    Result<chip::Image> img = chip::readImage(a.image, *profile);
    if (!img)
      return fail(img.error());
    image = std::move(*img);
  } else {
    image = synthetic(a, *profile);
  }
  Result<golden::GoldenModel> g = golden::GoldenModel::create(image, *profile);
  if (!g)
    return fail(g.error());
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::vector<uint32_t>> spikes(a.steps);
  for (uint32_t t = 0; t < a.steps; ++t) {
    g->step();
    spikes[t] = g->lastSpikingCompartments();
  }
  const double goldenSeconds = since(t0);
  systemc::Options opt{a.power, a.vcd, a.trace};
  Result<systemc::SystemCEngine> s =
      systemc::SystemCEngine::create(image, *profile, opt);
  if (!s)
    return fail(s.error());
  bool match = true;
  t0 = std::chrono::steady_clock::now();
  for (uint32_t t = 0; t < a.steps; ++t) {
    if (Status st = s->step(); !st)
      return fail(st.error());
    match = match && s->lastSpikingCompartments() == spikes[t];
  }
  const double systemcSeconds = since(t0);
  if (Status st = s->finish(); !st)
    return fail(st.error());
  const systemc::PowerReport r = s->powerReport();
  std::printf("{\"cores\":%zu,\"compartments\":%u,\"steps\":%u,"
              "\"spikes\":%llu,\"synapticOps\":%llu,\"goldenSeconds\":%.4f,"
              "\"systemcSeconds\":%.4f,\"ratio\":%.2f,\"emulatedCycles\":%llu,"
              "\"cyclesPerSecond\":%.4g,\"averagePowerMW\":%.4g,"
              "\"match\":%s}\n",
              image.cores.size(), g->compartmentCount(), a.steps,
              (unsigned long long)g->counters().compartmentSpikes,
              (unsigned long long)g->counters().synapticEvents, goldenSeconds,
              systemcSeconds,
              goldenSeconds > 0 ? systemcSeconds / goldenSeconds : 0.0,
              (unsigned long long)r.cycles,
              systemcSeconds > 0 ? double(r.cycles) / systemcSeconds : 0.0,
              r.averagePowerMW, match ? "true" : "false");
  return match ? 0 : 2;
}
