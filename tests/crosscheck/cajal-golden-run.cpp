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
#include "cajal/TestSupport/ToolArgs.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace cajal;

namespace {

constexpr const char *kTool = "cajal-golden-run";

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
      "isa %s\nlanes32-compartments %u\nclip-free-compartments %u\n"
      "accumulators int%u\n"
      "accumulator-shift %u\n"
      "wide-windows %llu\nwide-weight-copies %llu\nnarrow-windows %llu\n"
      "window-synapses %llu\n"
      "single-synapses %llu\nplaced-compartments %llu\nrun-seconds %.6f\n"
      "write-seconds %.6f\n",
      golden::isaName(m.isa()), m.compartmentsIn32BitLanes(),
      m.clipFreeCompartments(), m.accumulatorBits(), m.accumulatorShift(),
      (unsigned long long)d.wideWindows, (unsigned long long)d.wideWeightCopies,
      (unsigned long long)d.narrowWindows, (unsigned long long)d.windowSynapses,
      (unsigned long long)d.singleSynapses,
      (unsigned long long)d.placedCompartments, seconds, writeSeconds);
}

} // namespace

int main(int argc, char **argv) {
  test::ToolArgs args;
  if (std::string msg = test::parseToolArgs(
          argc, argv, {"--spikes-out", "--state-out"},
          {"--record-sources", "--record-all", "--stats"}, args);
      !msg.empty())
    return test::toolFailure(kTool, msg);
  Result<test::LoadedImage> loaded = test::loadToolImage(args);
  if (!loaded)
    return test::toolFailure(kTool, loaded.error());
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(loaded->image, loaded->profile);
  if (!model)
    return test::toolFailure(kTool, args.image + ": " + model.error());
  if (Status s = test::giveInputSpikes(*model, args); !s)
    return test::toolFailure(kTool, s.error());
  emulator::RecordOptions record;
  record.spikesPath = args.values["--spikes-out"];
  record.statePath = args.values["--state-out"];
  record.recordAll = args.flags.count("--record-all") > 0;
  record.recordSources = args.flags.count("--record-sources") > 0;
  double writeSeconds = 0;
  record.writeSeconds = &writeSeconds;
  const auto start = std::chrono::steady_clock::now();
  if (Status s = golden::runAndRecord(*model, args.steps, record); !s)
    return test::toolFailure(kTool, s.error());
  const std::chrono::duration<double> took =
      std::chrono::steady_clock::now() - start;
  if (args.flags.count("--stats"))
    printStats(*model, took.count(), writeSeconds);
  return 0;
}
