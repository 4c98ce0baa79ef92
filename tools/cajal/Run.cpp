//===- Run.cpp - `cajal run`: run a chip image on an engine ---------------===//
//
// Loads and validates the image against its profile, feeds external input
// spikes, runs the requested number of steps and streams the recorded
// spikes (and state probes) to CSV. Output files are written to a temporary
// and renamed at the end: a run that ends in an error writes none of them;
// one stopped by Ctrl-C writes every file up to its last finished step.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Model.h"
#include "Modules.h"
#include "Processes.h"
#include "RunCommon.h"
#include "SystemCModule.h"

#include "cajal/Chip/Image.h"
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/Emulator/WeightsOut.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Golden/GoldenRun.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/Reference/ReferenceRun.h"

#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <optional>
#include <utility>

using namespace llvm;

namespace cajal::driver {
namespace {
enum class Engine { Golden, Reference, SystemC, Float };

cl::opt<std::string> imagePath(
    cl::Positional,
    cl::desc("<image.cjimg> (a .mlir/.nir model with --engine float)"),
    cl::Required, cl::sub(runCommand), cl::cat(category()));
cl::opt<unsigned> steps("steps", cl::desc("Time steps to run"), cl::Required,
                        cl::sub(runCommand), cl::cat(category()));
cl::opt<Engine> engine("engine", cl::desc("Simulation engine"),
                       cl::values(clEnumValN(Engine::Golden, "golden",
                                             "integer-exact step model"),
                                  clEnumValN(Engine::Reference, "reference",
                                             "the oracle the golden model is "
                                             "tested against: each "
                                             "compartment's program in the "
                                             "reference interpreter (slow on "
                                             "purpose)"),
                                  clEnumValN(Engine::SystemC, "systemc",
                                             "cycle-level SystemC model: "
                                             "cycles, energy, VCD, trace"),
                                  clEnumValN(Engine::Float, "float",
                                             "the model (.mlir/.nir) before "
                                             "quantisation, against its "
                                             "image on the golden model")),
                       cl::init(Engine::Golden), cl::sub(runCommand),
                       cl::cat(category()));
cl::opt<std::string>
    inputPath("input",
              cl::desc("Spikes for the external inputs (CSV step,node,index)"),
              cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string> spikesOut("spikes-out",
                               cl::desc("Write recorded spikes (CSV; HDF5 "
                                        "for a .h5 or .hdf5 name)"),
                               cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    probesOut("probes-out",
              cl::desc("Write u and v of state-probed populations (CSV)"),
              cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    profileName("profile",
                cl::desc("Profile name or file (default: the installed "
                         "profile the image names; an image compiled with "
                         "a profile file needs that file)"),
                cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    powerOut("power",
             cl::desc("Write the power report (JSON; --engine systemc)"),
             cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    vcdOut("vcd",
           cl::desc("Write a VCD of cores and routers (--engine systemc)"),
           cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string>
    traceOut("trace",
             cl::desc("Write a Chrome/Perfetto trace (--engine systemc)"),
             cl::sub(runCommand), cl::cat(category()));
cl::opt<unsigned> threads(
    "threads",
    cl::desc("--engine golden: threads each step runs on (the results are "
             "the same for any number)"),
    cl::init(1), cl::sub(runCommand), cl::cat(category()));
cl::opt<std::string> weightsOut(
    "weights-out",
    cl::desc("Write the learning synapses' weights, delays and tags at the "
             "end of the run (CSV; HDF5 for a .h5 or .hdf5 name; "
             "docs/learning.md)"),
    cl::sub(runCommand), cl::cat(category()));
cl::opt<unsigned>
    weightsEvery("weights-every",
                 cl::desc("With --weights-out: also a snapshot every N steps"),
                 cl::init(0), cl::sub(runCommand), cl::cat(category()));
cl::list<std::string>
    weightsOf("weights-of",
              cl::desc("With --weights-out: only the synapses from or to these "
                       "populations or sources (comma-separated names)"),
              cl::CommaSeparated, cl::sub(runCommand), cl::cat(category()));
cl::opt<bool> quiet("quiet", cl::desc("Print nothing on success"),
                    cl::sub(runCommand), cl::cat(category()));
cl::opt<unsigned> calibrateSteps(
    "calibrate-steps",
    cl::desc("--engine float: compile the image to compare with as "
             "`cajal compile --calibrate-steps N` does (undeclared state "
             "ranges from N steps of the float engine)"),
    cl::init(0), cl::sub(runCommand), cl::cat(category()));

/// Set by Ctrl-C (once: a second Ctrl-C removes the output temporaries and
/// kills the process as usual).
std::atomic<bool> interrupted{false};
void onInterrupt() { interrupted = true; }

/// loadImage() has validated the image against its profile: the golden
/// model need not do it again (at 10^7 synapses that is seconds).
golden::ModelOptions validatedOnLoad() {
  golden::ModelOptions options;
  options.imageValidated = true;
  options.threads = threads;
  return options;
}

/// The options every engine's run reads.
RunSettings runSettings() {
  RunSettings run;
  run.steps = steps;
  run.inputPath = inputPath;
  run.spikesOut = spikesOut;
  run.probesOut = probesOut;
  run.quiet = quiet;
  run.weightsEvery = weightsEvery;
  run.interrupted = &interrupted;
  return run;
}

/// --engine golden and --engine reference: read the input, run and record
/// with `runAndRecord`, print the summary. In a group of processes, process
/// 0 records and prints; an error in the run ends every process.
template <typename Model>
int runStepEngine(Model &model, const std::string &engineName,
                  Status (*runAndRecord)(Model &, uint32_t,
                                         const emulator::RecordOptions &),
                  ProcessGroup &processes,
                  emulator::WeightsWriter *weights = nullptr) {
  const RunSettings run = runSettings();
  if (Status s = readInput(run, model); !s)
    return reportError(s.error());
  std::vector<uint64_t> spikesPerPopulation;
  double writeSeconds = 0;
  const bool first = processes.rank() == 0;
  emulator::RecordOptions record =
      first ? recordOptions(run, spikesPerPopulation, writeSeconds)
            : emulator::RecordOptions();
  if (weights)
    snapshotWeights(run, *weights, model, record);
  const auto start = std::chrono::steady_clock::now();
  if (Status s = runAndRecord(model, steps, record); !s) {
    reportError(s.error());
    if (processes.size() > 1)
      processes.abort(1);
    return 1;
  }
  if (weights) {
    weights->snapshot(model.currentStep(), model);
    if (Status s = weights->finish(); !s)
      return reportError(s.error());
  }
  if (!quiet && first)
    printSummary(model, engineName.c_str(), spikesPerPopulation,
                 secondsSince(start), writeSeconds);
  return interrupted ? reportInterrupt(model.currentStep()) : 0;
}

/// --engine golden: the model built from `image`, its tables from `tables`
/// when given (a streamed read), else from the image itself.
int runGolden(chip::Image &&image, chip::CoreTables *tables,
              const chip::Profile &profile, ProcessGroup &processes,
              emulator::WeightsWriter *weights) {
  golden::ModelOptions options = validatedOnLoad();
  Result<MpiSpikeExchange> exchange = MpiSpikeExchange::create(processes);
  if (!exchange)
    return reportError(exchange.error());
  if (processes.size() > 1) {
    options.part = processes.rank();
    options.parts = processes.size();
    options.exchange = &*exchange;
  }
  Result<golden::GoldenModel> model =
      tables ? golden::GoldenModel::create(std::move(image), *tables, profile,
                                           options)
             : golden::GoldenModel::create(std::move(image), profile, options);
  if (!model)
    return reportError(model.error());
  return runStepEngine(
      *model,
      processes.size() > 1
          ? "golden model (" + std::to_string(processes.size()) + " processes)"
          : std::string("golden model"),
      &golden::runAndRecord, processes, weights);
}

/// --engine systemc, in the driver's SystemC module; the weights file is
/// written here, after the run (also after Ctrl-C).
int runSystemC(const chip::Image &image, const chip::Profile &profile,
               emulator::WeightsWriter *weights) {
  Result<void *> entry = loadModuleSymbol("cajal-systemc", "cajalRunSystemC");
  if (!entry)
    return reportError(entry.error());
  SystemCRunRequest request;
  request.image = &image;
  request.profile = &profile;
  request.run = runSettings();
  request.powerOut = powerOut;
  request.vcdOut = vcdOut;
  request.traceOut = traceOut;
  request.weights = weights;
  const int code = reinterpret_cast<RunSystemCFn>(*entry)(request);
  if (weights && (code == 0 || code == 130))
    if (Status s = weights->finish(); !s)
      return reportError(s.error());
  return code;
}
} // namespace

int runRun() {
  if (Status s = checkOutputPaths({{"--spikes-out", spikesOut},
                                   {"--probes-out", probesOut},
                                   {"--weights-out", weightsOut},
                                   {"--power", powerOut},
                                   {"--vcd", vcdOut},
                                   {"--trace", traceOut}},
                                  {{"image", imagePath},
                                   {"--input", inputPath},
                                   {"--profile", profileName}});
      !s)
    return reportError(s.error());
  if (engine != Engine::SystemC &&
      (!powerOut.empty() || !vcdOut.empty() || !traceOut.empty()))
    return reportError("--power, --vcd and --trace need --engine systemc");
  if (threads == 0)
    return reportError("--threads 0: a run needs at least 1 thread");
  if (weightsOut.empty() && (weightsEvery != 0 || !weightsOf.empty()))
    return reportError("--weights-every and --weights-of need --weights-out");
  if (engine != Engine::Golden && threads != 1)
    return reportError("--threads needs --engine golden (the other engines "
                       "run on one thread)");
  // Under mpirun: the golden model, split among the processes.
  ProcessGroup processes;
  if (Status s = processes.join(); !s)
    return reportError(s.error());
  const std::string group =
      "mpirun with " + std::to_string(processes.size()) + " processes";
  if (processes.size() > 1 && engine != Engine::Golden)
    return reportError(group +
                       ": only --engine golden runs across processes (the "
                       "other engines run in one)");
  if (processes.size() > 1 && !probesOut.empty())
    return reportError(group + ": --probes-out needs one process (the state "
                               "of other processes' neurons is not gathered)");
  if (engine != Engine::Float && calibrateSteps > 0)
    return reportError("--calibrate-steps needs --engine float (for an "
                       "image: cajal compile --calibrate-steps)");
  if (engine == Engine::Float || isModelPath(imagePath)) {
    if (engine != Engine::Float)
      return reportError(imagePath +
                         ": is a model; compile it first (cajal compile), "
                         "or run it with --engine float");
    if (!probesOut.empty())
      return reportError("--probes-out needs an image engine (golden, "
                         "reference or systemc); --engine float writes "
                         "spikes only");
    return runFloatEngine({imagePath, steps, inputPath, spikesOut, profileName,
                           quiet, calibrateSteps});
  }
  // From here on, Ctrl-C ends the run after the current step (a second one
  // removes the temporaries and kills the process as usual). Under mpirun
  // the launcher ends every process instead (a stop at one step would need
  // every process to agree on it).
  if (processes.size() == 1)
    installInterruptCleanup(onInterrupt);
  chip::Profile profile;
  // The golden model takes the synapses core by core from the file: it
  // never holds the decoded image beside its own layout. Weights files
  // describe the image's learning groups from the image itself.
  if (engine == Engine::Golden && weightsOut.empty()) {
    Result<chip::StreamedImage> streamed =
        loadImageStreamed(imagePath, profileName, profile);
    if (!streamed)
      return reportError(streamed.error());
    return runGolden(std::move(streamed->image), streamed->tables.get(),
                     profile, processes, nullptr);
  }
  Result<chip::Image> image = loadImage(imagePath, profileName, profile);
  if (!image)
    return reportError(image.error());
  std::optional<emulator::WeightsWriter> weights;
  if (!weightsOut.empty()) {
    Result<emulator::WeightsWriter> w = emulator::WeightsWriter::create(
        weightsOut, *image, profile.synapse, spikeio::NodeTable(*image),
        std::vector<std::string>(weightsOf.begin(), weightsOf.end()));
    if (!w)
      return reportError(w.error());
    weights.emplace(std::move(*w));
  }
  if (engine == Engine::SystemC)
    return runSystemC(*image, profile, weights ? &*weights : nullptr);
  if (engine == Engine::Reference) {
    reference::Options options;
    options.imageValidated = true; // by loadImage()
    Result<reference::ReferenceEngine> model =
        reference::ReferenceEngine::create(*image, profile, options);
    if (!model)
      return reportError(model.error());
    return runStepEngine(*model, "reference engine", &reference::runAndRecord,
                         processes, weights ? &*weights : nullptr);
  }
  return runGolden(std::move(*image), nullptr, profile, processes,
                   weights ? &*weights : nullptr);
}

} // namespace cajal::driver
