//===- Run.cpp - `cajal run`: run a chip image on an engine ---------------===//
//
// Loads and validates the image against its profile, feeds external input
// spikes, runs the requested number of steps and streams the recorded
// spikes (and state probes) to CSV. Output files are written to a temporary
// and renamed at the end, so an error never leaves a partial file behind.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Chip/Image.h"
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Golden/GoldenRun.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;

namespace cajal::driver {
namespace {
enum class Engine { Golden };

cl::opt<std::string> imagePath(cl::Positional, cl::desc("<image.cjimg>"),
                               cl::Required, cl::sub(runCommand),
                               cl::cat(category()));
cl::opt<unsigned> steps("steps", cl::desc("Time steps to run"), cl::Required,
                        cl::sub(runCommand), cl::cat(category()));
cl::opt<Engine> engine("engine", cl::desc("Simulation engine"),
                       cl::values(clEnumValN(Engine::Golden, "golden",
                                             "integer-exact step model")),
                       cl::init(Engine::Golden), cl::sub(runCommand),
                       cl::cat(category()));
cl::opt<std::string> inputPath(
    "input",
    cl::desc("Spikes for the external inputs (CSV step,node,index)"),
    cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string> spikesOut("spikes-out",
                               cl::desc("Write recorded spikes (CSV)"),
                               cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    probesOut("probes-out",
              cl::desc("Write u and v of state-probed populations (CSV)"),
              cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    profileName("profile",
                cl::desc("Profile (default: the one the image names)"),
                cl::sub(runCommand), cl::cat(category()));
cl::opt<bool> quiet("quiet", cl::desc("Print nothing on success"),
                    cl::sub(runCommand), cl::cat(category()));

Result<chip::Image> loadImage(chip::Profile &profileOut) {
  Result<chip::Image> unchecked = chip::readImageUnchecked(imagePath);
  if (!unchecked)
    return unchecked.takeError();
  const std::string wanted =
      profileName.empty() ? unchecked->profileName : std::string(profileName);
  Result<chip::Profile> profile = chip::findProfile(wanted, profileDirectory());
  if (!profile)
    return profile.takeError();
  profileOut = *profile;
  return chip::readImage(imagePath, profileOut);
}

void printSummary(const golden::GoldenModel &model,
                  const std::vector<uint64_t> &spikesPerPopulation,
                  double seconds) {
  const golden::Counters &c = model.counters();
  outs() << "ran " << c.steps << " steps on the golden model in "
         << format("%.3f", seconds) << " s\n";
  outs() << "  population                  neurons       spikes  "
            "spikes/neuron/step\n";
  for (uint32_t p = 0; p < model.populationCount(); ++p) {
    const uint32_t size = model.populationSize(p);
    const double rate =
        size && c.steps ? double(spikesPerPopulation[p]) / size / c.steps : 0;
    outs() << format("  %-24s %10u %12llu %14.5f\n",
                     model.nodes().name(p).c_str(), size,
                     (unsigned long long)spikesPerPopulation[p], rate);
  }
  outs() << "  source spikes " << c.sourceSpikes << ", synaptic events "
         << c.synapticEvents << " ("
         << format("%.3g", seconds > 0 ? c.synapticEvents / seconds : 0.0)
         << " per second)\n";
}
} // namespace

int runRun() {
  chip::Profile profile;
  Result<chip::Image> image = loadImage(profile);
  if (!image)
    return reportError(image.error());
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(*image, profile);
  if (!model)
    return reportError(model.error());

  if (!inputPath.empty()) {
    auto spikes = spikeio::readSpikeCsv(inputPath, model->nodes(),
                                        spikeio::NodeSet::ExternalSources);
    if (!spikes)
      return reportError(spikes.error());
    if (Status s = model->setExternalSpikes(std::move(*spikes)); !s)
      return reportError(s.error());
  }

  golden::RecordOptions record;
  record.spikesPath = spikesOut;
  record.statePath = probesOut;
  std::vector<uint64_t> spikesPerPopulation;
  record.spikeCounts = &spikesPerPopulation;
  const auto start = std::chrono::steady_clock::now();
  if (Status s = golden::runAndRecord(*model, steps, record); !s)
    return reportError(s.error());
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  if (!quiet)
    printSummary(*model, spikesPerPopulation, seconds);
  return 0;
}

} // namespace cajal::driver
