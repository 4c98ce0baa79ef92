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
#include "cajal/TestSupport/ToolArgs.h"

#include <cstdio>
#include <string>

using namespace cajal;

namespace {

constexpr const char *kTool = "reference-check";

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
  test::ToolArgs args;
  if (std::string msg = test::parseToolArgs(argc, argv, {}, {}, args);
      !msg.empty())
    return test::toolFailure(kTool, msg);
  Result<test::LoadedImage> loaded = test::loadToolImage(args);
  if (!loaded)
    return test::toolFailure(kTool, loaded.error());
  Result<golden::GoldenModel> g =
      golden::GoldenModel::create(loaded->image, loaded->profile);
  if (!g)
    return test::toolFailure(kTool, args.image + ": " + g.error());
  Result<reference::ReferenceEngine> r =
      reference::ReferenceEngine::create(loaded->image, loaded->profile);
  if (!r)
    return test::toolFailure(kTool, args.image + ": " + r.error());
  if (Status s = test::giveInputSpikes(*g, args); !s)
    return test::toolFailure(kTool, s.error());
  if (Status s = test::giveInputSpikes(*r, args); !s)
    return test::toolFailure(kTool, s.error());
  for (uint32_t t = 0; t < args.steps; ++t) {
    g->step();
    r->step();
    if (std::string d = difference(*g, *r); !d.empty())
      return test::toolFailure(kTool, args.image + ": step " +
                                          std::to_string(t) + ": " + d);
  }
  if (std::string d = counterDifference(g->counters(), r->counters());
      !d.empty())
    return test::toolFailure(kTool, args.image + ": counters differ: " + d);
  std::printf("ok: %u steps, %llu spikes, every spike and state equal\n",
              args.steps, (unsigned long long)r->counters().compartmentSpikes);
  return 0;
}
