//===- ReferenceCheck.cpp - Reference engine vs golden model on an image --===//
//
// reference-check IMAGE --steps N [--input in.csv] [--profile NAME|PATH]
//
// Runs the image on the golden model and on the reference engine side by
// side. After every step the spiking compartments, the population and
// source spikes, and the state of every compartment (u, v, refractory) and
// of every neuron of every population must be equal; at the end every
// counter. The first difference is printed with its step and the run fails.
// tests/e2e runs it on the images the examples compile to.
//
//===----------------------------------------------------------------------===//
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Reference/ReferenceEngine.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace cajal;

namespace {

struct Options {
  std::string image, profile, input;
  uint32_t steps = 0;
};

int fail(const std::string &msg) {
  std::fprintf(stderr, "reference-check: error: %s\n", msg.c_str());
  return 1;
}

std::string parseArgs(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      o.image = a;
      continue;
    }
    if (i + 1 >= argc)
      return "missing value after " + a;
    const std::string v = argv[++i];
    if (a == "--steps") {
      char *end = nullptr;
      o.steps = uint32_t(std::strtoul(v.c_str(), &end, 10));
      if (v.empty() || *end)
        return "--steps: \"" + v + "\" is not a non-negative integer";
    } else if (a == "--profile") {
      o.profile = v;
    } else if (a == "--input") {
      o.input = v;
    } else {
      return "unknown option " + a;
    }
  }
  return o.image.empty() ? "no image given" : "";
}

std::string text(const chip::CompartmentState &s) {
  return "u " + std::to_string(s.u) + ", v " + std::to_string(s.v) +
         ", refractory " + std::to_string(s.refractoryLeft);
}

/// The first difference after a step, or "".
std::string difference(const golden::GoldenModel &g,
                       const reference::ReferenceEngine &r) {
  if (g.lastSpikingCompartments() != r.lastSpikingCompartments())
    return "spiking compartments differ";
  if (!(g.lastSourceSpikes() == r.lastSourceSpikes()))
    return "source spikes differ";
  std::vector<emulator::NeuronSpike> a, b;
  g.lastSpikes(a);
  r.lastSpikes(b);
  if (a != b)
    return "population spikes differ";
  for (uint32_t c = 0; c < g.compartmentCount(); ++c)
    if (!(g.compartmentState(c) == r.compartmentState(c)))
      return "compartment " + std::to_string(c) + ": golden " +
             text(g.compartmentState(c)) + ", reference " +
             text(r.compartmentState(c));
  for (uint32_t p = 0; p < g.populationCount(); ++p)
    for (uint32_t n = 0; n < g.populationSize(p); ++n)
      if (!(g.state(p, n) == r.state(p, n)))
        return "population " + g.nodes().name(p) + ", neuron " +
               std::to_string(n) + ": golden " + text(g.state(p, n)) +
               ", reference " + text(r.state(p, n));
  return "";
}

std::string counterDifference(const emulator::Counters &g,
                              const emulator::Counters &r) {
  const std::pair<const char *, std::pair<uint64_t, uint64_t>> all[] = {
      {"steps", {g.steps, r.steps}},
      {"compartment spikes", {g.compartmentSpikes, r.compartmentSpikes}},
      {"source spikes", {g.sourceSpikes, r.sourceSpikes}},
      {"axon events", {g.axonEvents, r.axonEvents}},
      {"synaptic events", {g.synapticEvents, r.synapticEvents}},
      {"active updates", {g.activeUpdates, r.activeUpdates}},
      {"idle updates", {g.idleUpdates, r.idleUpdates}}};
  for (const auto &[name, values] : all)
    if (values.first != values.second)
      return std::string(name) + ": golden " + std::to_string(values.first) +
             ", reference " + std::to_string(values.second);
  return "";
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (std::string msg = parseArgs(argc, argv, o); !msg.empty())
    return fail(msg);
  Result<chip::Image> image = chip::readImageUnchecked(o.image);
  if (!image)
    return fail(image.error());
  Result<chip::Profile> profile =
      chip::findProfile(o.profile.empty() ? image->profileName : o.profile,
                        chip::defaultProfileDir());
  if (!profile)
    return fail(profile.error());
  Result<golden::GoldenModel> g = golden::GoldenModel::create(*image, *profile);
  if (!g)
    return fail(o.image + ": " + g.error());
  Result<reference::ReferenceEngine> r =
      reference::ReferenceEngine::create(*image, *profile);
  if (!r)
    return fail(o.image + ": " + r.error());
  if (!o.input.empty()) {
    auto spikes = spikeio::readSpikeCsv(o.input, g->nodes(),
                                        spikeio::NodeSet::ExternalSources);
    if (!spikes)
      return fail(spikes.error());
    if (Status s = g->setExternalSpikes(*spikes); !s)
      return fail(o.input + ": " + s.error());
    if (Status s = r->setExternalSpikes(std::move(*spikes)); !s)
      return fail(o.input + ": " + s.error());
  }
  for (uint32_t t = 0; t < o.steps; ++t) {
    g->step();
    r->step();
    if (std::string d = difference(*g, *r); !d.empty())
      return fail(o.image + ": step " + std::to_string(t) + ": " + d);
  }
  if (std::string d = counterDifference(g->counters(), r->counters());
      !d.empty())
    return fail(o.image + ": counters differ: " + d);
  std::printf("ok: %u steps, %llu spikes, every spike and state equal\n",
              o.steps, (unsigned long long)r->counters().compartmentSpikes);
  return 0;
}
