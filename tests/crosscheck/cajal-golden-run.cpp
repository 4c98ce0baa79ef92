//===- cajal-golden-run.cpp - Run an image on the golden model ------------===//
//
// cajal-golden-run IMAGE --steps N [--profile NAME|PATH] [--input in.csv]
//                  [--spikes-out spikes.csv] [--state-out state.csv]
//                  [--record-sources] [--record-all] [--stats]
// --stats prints the counters, the update loop's instruction set (set it
// with CAJAL_GOLDEN_ISA=generic|avx2|avx512), how delivery stores the
// synapses (windows and single synapses) and the run's wall time.
// A thin wrapper of GoldenModel and runAndRecord for the cross-checks; the
// user-facing driver is `cajal run`.
//
//===----------------------------------------------------------------------===//
#include "cajal/Golden/GoldenRun.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace cajal;

namespace {

struct Options {
  std::string image, profile, input;
  uint32_t steps = 0;
  emulator::RecordOptions record;
  bool stats = false;
};

int fail(const std::string &msg) {
  std::fprintf(stderr, "cajal-golden-run: error: %s\n", msg.c_str());
  return 1;
}

/// Fill `o` from argv; on error return the message.
std::string parseArgs(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--record-sources" || a == "--record-all" || a == "--stats") {
      (a == "--stats"        ? o.stats
       : a == "--record-all" ? o.record.recordAll
                             : o.record.recordSources) = true;
      continue;
    }
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
    } else if (a == "--profile")
      o.profile = v;
    else if (a == "--input")
      o.input = v;
    else if (a == "--spikes-out")
      o.record.spikesPath = v;
    else if (a == "--state-out")
      o.record.statePath = v;
    else
      return "unknown option " + a;
  }
  return o.image.empty() ? "no image given" : "";
}

void printStats(const golden::GoldenModel &m, double seconds,
                double writeSeconds) {
  const emulator::Counters &c = m.counters();
  std::printf(
      "steps %llu\ncompartment-spikes %llu\nsource-spikes %llu\n"
      "axon-events %llu\nsynaptic-events %llu\nactive-updates %llu\n"
      "idle-updates %llu\n",
      (unsigned long long)c.steps, (unsigned long long)c.compartmentSpikes,
      (unsigned long long)c.sourceSpikes, (unsigned long long)c.axonEvents,
      (unsigned long long)c.synapticEvents, (unsigned long long)c.activeUpdates,
      (unsigned long long)c.idleUpdates);
  const golden::DeliveryLayout &d = m.deliveryLayout();
  std::printf(
      "isa %s\nlanes32-compartments %u\naccumulators int%u\n"
      "accumulator-shift %u\n"
      "wide-windows %llu\nnarrow-windows %llu\nwindow-synapses %llu\n"
      "single-synapses %llu\nplaced-compartments %llu\nrun-seconds %.6f\n"
      "write-seconds %.6f\n",
      golden::isaName(m.isa()), m.compartmentsIn32BitLanes(),
      m.accumulatorBits(), m.accumulatorShift(),
      (unsigned long long)d.wideWindows, (unsigned long long)d.narrowWindows,
      (unsigned long long)d.windowSynapses,
      (unsigned long long)d.singleSynapses,
      (unsigned long long)d.placedCompartments, seconds, writeSeconds);
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
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(*image, *profile);
  if (!model)
    return fail(o.image + ": " + model.error());
  if (!o.input.empty()) {
    auto spikes = spikeio::readSpikeCsv(o.input, model->nodes(),
                                        spikeio::NodeSet::ExternalSources);
    if (!spikes)
      return fail(spikes.error());
    if (Status s = model->setExternalSpikes(std::move(*spikes)); !s)
      return fail(o.input + ": " + s.error());
  }
  double writeSeconds = 0;
  o.record.writeSeconds = &writeSeconds;
  const auto start = std::chrono::steady_clock::now();
  if (Status s = golden::runAndRecord(*model, o.steps, o.record); !s)
    return fail(s.error());
  const std::chrono::duration<double> took =
      std::chrono::steady_clock::now() - start;
  if (o.stats)
    printStats(*model, took.count(), writeSeconds);
  return 0;
}
