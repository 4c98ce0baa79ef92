//===- Float.cpp - `cajal run MODEL --engine float`: before quantisation --===//
//
// Runs the discretised network in floating point (cajal/Transforms/
// FloatEngine.h) and, on the same input, the golden model on the image the
// compile pipeline makes of the same model; it prints per population the
// spike counts of both, their agreement (min/max, 1 when both are 0), how
// many neurons fire as often in both, and how far the chip's spikes are from
// the float model's (the k-th spike of a neuron against its k-th, the
// largest and the mean lag in steps): what quantisation changed. The two
// run in lockstep: per equation population and state, the root mean square
// of chip minus float over the neurons and steps (the chip's state words in
// the formats the fit report gives). The image and its fit report are
// compiled into temporary files and removed afterwards. A model that does
// not compile for the profile runs in floating point alone, with a note
// saying why there is no comparison.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Model.h"

#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/Emulator/SpikeHdf5.h"
#include "cajal/Golden/GoldenRun.h"
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Transforms/Passes.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/Pass/PassManager.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

using namespace llvm;

namespace cajal::driver {
namespace {

/// A state word of an equation population: its name and fraction bits.
struct StateFormatOf {
  std::string name;
  int fractionBits = 0;
};

/// The golden model of the image of the model, and what it did.
struct QuantizedRun {
  std::optional<golden::GoldenModel> model;
  spikeio::NodeTable nodes;
  std::vector<spikeio::SpikeRecord> input, spikes;
  std::vector<uint64_t> counts; ///< per node
  /// Per population name of an equation model, its state formats.
  std::map<std::string, std::vector<StateFormatOf>> formats;

  /// Run the golden model up to (not including) step `end`.
  Status runTo(uint32_t end) {
    emulator::RecordOptions record;
    record.spikes = &spikes;
    const uint32_t done = model->currentStep();
    return end > done ? golden::runAndRecord(*model, end - done, record)
                      : Status();
  }
};

/// The state formats of the equation populations in a fit report.
Result<std::map<std::string, std::vector<StateFormatOf>>>
readStateFormats(const std::string &path) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return makeError(path + ": " + buffer.getError().message());
  Expected<json::Value> report = json::parse((*buffer)->getBuffer());
  if (!report)
    return makeError(path + ": " + toString(report.takeError()));
  std::map<std::string, std::vector<StateFormatOf>> formats;
  const json::Object *root = report->getAsObject();
  const json::Array *pops = root ? root->getArray("populations") : nullptr;
  if (!pops)
    return makeError(path + ": no populations");
  for (const json::Value &pop : *pops) {
    const json::Object *o = pop.getAsObject();
    const json::Object *eq = o ? o->getObject("equations") : nullptr;
    const json::Array *states = eq ? eq->getArray("states") : nullptr;
    if (!states)
      continue;
    std::vector<StateFormatOf> &out = formats[o->getString("name")->str()];
    for (const json::Value &state : *states) {
      const json::Object *so = state.getAsObject();
      std::optional<StringRef> name = so ? so->getString("name") : std::nullopt;
      std::optional<int64_t> bits =
          so ? so->getInteger("fractionBits") : std::nullopt;
      if (!name || !bits)
        return makeError(path + ": a state without name or fractionBits");
      out.push_back({name->str(), int(*bits)});
    }
  }
  return formats;
}

/// Compile a copy of `module` to a temporary image (and fit report) and load
/// it on the golden model with the request's input. `compiled` says whether
/// the model compiled for the profile (when it did not, the error says so
/// and the caller runs the float model alone).
Result<QuantizedRun> loadQuantized(mlir::ModuleOp module,
                                   const FloatRequest &request,
                                   const std::string &imagePath,
                                   const std::string &reportPath,
                                   bool &compiled) {
  mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
  CompileOptions options;
  options.profile = request.profile.empty() ? "loihi1" : request.profile;
  options.imagePath = imagePath;
  options.fitReportPath = reportPath;
  options.calibrationSteps = request.calibrationSteps;
  mlir::PassManager pm(module.getContext());
  buildCompilePipeline(pm, options);
  compiled = succeeded(pm.run(*copy));
  if (!compiled)
    return makeError(request.model + ": does not compile for profile " +
                     options.profile + " (errors above)");
  chip::Profile profile;
  Result<chip::Image> image = loadImage(imagePath, options.profile, profile);
  if (!image)
    return image.takeError();
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(*image, profile);
  if (!model)
    return model.takeError();
  auto formats = readStateFormats(reportPath);
  if (!formats)
    return formats.takeError();
  QuantizedRun run;
  run.formats = std::move(*formats);
  run.nodes = model->nodes();
  if (!request.inputPath.empty()) {
    auto spikes = spikeio::readSpikeCsv(request.inputPath, run.nodes,
                                        spikeio::NodeSet::ExternalSources);
    if (!spikes)
      return spikes.takeError();
    run.input = *spikes;
    if (Status s = model->setExternalSpikes(*spikes); !s)
      return makeError(s.error());
  }
  run.model.emplace(std::move(*model));
  return run;
}

/// Per equation population and state, the sum of (chip - float)^2 over the
/// neurons and steps compared, in the state's units.
struct StateErrors {
  std::map<std::string, std::vector<double>> squares;
  std::map<std::string, uint64_t> samples; ///< neuron-steps per population
};

/// Per neuron, its spike steps in order.
using SpikeTrains = std::map<uint32_t, std::vector<uint32_t>>;

/// How far one population's chip spikes are from its float spikes.
struct Deviation {
  uint32_t sameCount = 0, neurons = 0;
  uint32_t largestLag = 0;
  double meanLag = 0;
};

Deviation deviation(const SpikeTrains &floatTrains,
                    const SpikeTrains &chipTrains, uint32_t size) {
  Deviation d;
  d.neurons = size;
  uint64_t pairs = 0, lagSum = 0;
  static const std::vector<uint32_t> none;
  for (uint32_t i = 0; i < size; ++i) {
    auto f = floatTrains.find(i), c = chipTrains.find(i);
    const std::vector<uint32_t> &a = f == floatTrains.end() ? none : f->second;
    const std::vector<uint32_t> &b = c == chipTrains.end() ? none : c->second;
    d.sameCount += a.size() == b.size();
    for (size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
      const uint32_t lag = a[k] > b[k] ? a[k] - b[k] : b[k] - a[k];
      d.largestLag = std::max(d.largestLag, lag);
      lagSum += lag;
      ++pairs;
    }
  }
  d.meanLag = pairs ? double(lagSum) / double(pairs) : 0.0;
  return d;
}

Status writeFloatSpikes(const std::string &path,
                        const spikeio::NodeTable &nodes,
                        const std::vector<FloatSpike> &spikes) {
  std::vector<spikeio::SpikeRecord> records;
  for (const FloatSpike &s : spikes)
    if (std::optional<uint32_t> node = nodes.find(s.node))
      records.push_back({s.step, *node, s.index});
  return spikeio::writeSpikeFile(path, nodes, records);
}

void printAgreement(const FloatRun &run, const QuantizedRun &golden,
                    const StateErrors &errors) {
  std::map<std::string, SpikeTrains> floatTrains, chipTrains;
  for (const FloatSpike &s : run.spikes)
    floatTrains[s.node][s.index].push_back(s.step);
  for (const spikeio::SpikeRecord &s : golden.spikes)
    chipTrains[golden.nodes.name(s.node)][s.index].push_back(s.step);
  outs() << "  population                  float spikes  golden spikes  "
            "agreement  same count  largest lag  mean lag (steps)\n";
  for (size_t p = 0; p < run.populations.size(); ++p) {
    const std::string &name = run.populations[p];
    std::optional<uint32_t> node = golden.nodes.find(name);
    const uint64_t f = run.spikeCounts[p];
    const uint64_t g = node && *node < golden.counts.size()
                           ? golden.counts[*node]
                           : uint64_t(0);
    const uint64_t hi = std::max(f, g);
    const double agreement = hi == 0 ? 1.0 : double(std::min(f, g)) / hi;
    const Deviation d =
        deviation(floatTrains[name], chipTrains[name], run.sizes[p]);
    outs() << format("  %-24s %15llu %14llu %10.3f  %5u/%-5u %12u %9.2f\n",
                     name.c_str(), (unsigned long long)f, (unsigned long long)g,
                     agreement, d.sameCount, d.neurons, d.largestLag,
                     d.meanLag);
  }
  for (const std::string &name : run.populations) {
    auto found = errors.squares.find(name);
    if (found == errors.squares.end())
      continue;
    const std::vector<double> &squares = found->second;
    const uint64_t n = errors.samples.at(name);
    if (n == 0)
      continue;
    outs() << "  " << name << ": state RMS of chip - float over " << n
           << " neuron-steps:";
    const std::vector<StateFormatOf> &formats = golden.formats.at(name);
    for (size_t k = 0; k < squares.size(); ++k)
      outs() << " " << formats[k].name << " "
             << format("%.3g", std::sqrt(squares[k] / double(n)));
    outs() << "\n";
  }
}

void printFloatCounts(const FloatRun &run) {
  outs() << "  population                  float spikes\n";
  for (size_t p = 0; p < run.populations.size(); ++p)
    outs() << format("  %-24s %15llu\n", run.populations[p].c_str(),
                     (unsigned long long)run.spikeCounts[p]);
}
} // namespace

int runFloatEngine(const FloatRequest &request) {
  ModelContext mc(/*showRemarks=*/false);
  mlir::OwningOpRef<mlir::ModuleOp> module = loadModel(request.model, mc);
  if (!module)
    return 1;
  auto nets = module->getOps<snn::NetworkOp>();
  if (std::distance(nets.begin(), nets.end()) != 1)
    return reportError(request.model + ": expected exactly one snn.network");

  SmallString<128> imagePath, reportPath;
  if (std::error_code ec =
          sys::fs::createTemporaryFile("cajal-float", "cjimg", imagePath))
    return reportError("cannot create a temporary image: " + ec.message());
  if (std::error_code ec =
          sys::fs::createTemporaryFile("cajal-float", "json", reportPath)) {
    sys::fs::remove(imagePath);
    return reportError("cannot create a temporary fit report: " + ec.message());
  }
  bool compiled = false;
  Result<QuantizedRun> golden =
      loadQuantized(*module, request, imagePath.str().str(),
                    reportPath.str().str(), compiled);
  sys::fs::remove(imagePath);
  sys::fs::remove(reportPath);
  if (!golden && compiled)
    return reportError(golden.error());
  // Without an image, the float model alone: the nodes are the network's
  // and external input cannot be named against an image's node table.
  if (!golden && !request.inputPath.empty())
    return reportError(golden.error() + "; --input needs the image's nodes");

  mlir::PassManager pm(&mc.context);
  pm.addPass(createSNNDiscretizeEquations());
  pm.nest<snn::NetworkOp>().addPass(createSNNDiscretize());
  if (failed(pm.run(*module)))
    return 1;
  std::vector<FloatSpike> floatInput;
  if (golden)
    for (const spikeio::SpikeRecord &s : golden->input)
      floatInput.push_back({s.step, golden->nodes.name(s.node), s.index});

  // The golden model steps with the float model; per equation population
  // the difference of their states.
  StateErrors errors;
  Status goldenStatus;
  FloatStateObserver observe;
  std::map<std::string, uint32_t> goldenPopulation;
  if (golden) {
    const golden::GoldenModel &m = *golden->model;
    for (uint32_t p = 0; p < m.populationCount(); ++p)
      goldenPopulation[golden->nodes.name(golden->nodes.populationNode(p))] = p;
    observe = [&](uint32_t step, const std::string &population,
                  ArrayRef<double> states, unsigned perNeuron) {
      if (!goldenStatus)
        return;
      if (Status s = golden->runTo(step + 1); !s) {
        goldenStatus = s;
        return;
      }
      auto formats = golden->formats.find(population);
      auto gp = goldenPopulation.find(population);
      if (formats == golden->formats.end() || gp == goldenPopulation.end() ||
          formats->second.size() != perNeuron)
        return;
      std::vector<double> &squares = errors.squares[population];
      squares.resize(perNeuron, 0.0);
      const uint32_t neurons = uint32_t(states.size() / perNeuron);
      for (uint32_t i = 0; i < neurons; ++i) {
        const std::vector<int32_t> words =
            golden->model->stateWords(gp->second, i);
        for (unsigned k = 0; k < perNeuron && k < words.size(); ++k) {
          const double chip =
              std::ldexp(double(words[k]), -formats->second[k].fractionBits);
          const double d = chip - states[size_t(i) * perNeuron + k];
          squares[k] += d * d;
        }
      }
      errors.samples[population] += neurons;
    };
  }
  auto run = runFloat(*module->getOps<snn::NetworkOp>().begin(), request.steps,
                      floatInput, observe);
  if (failed(run))
    return 1;
  if (golden) {
    if (goldenStatus)
      goldenStatus = golden->runTo(request.steps);
    if (!goldenStatus)
      return reportError(goldenStatus.error());
    golden->counts.assign(golden->nodes.size(), 0);
    for (const spikeio::SpikeRecord &s : golden->spikes)
      if (s.node < golden->counts.size())
        ++golden->counts[s.node];
  }
  if (!request.spikesOut.empty()) {
    // Without an image, the network's populations name the nodes.
    chip::Image populationsOnly;
    for (size_t p = 0; p < run->populations.size(); ++p) {
      chip::Population pop;
      pop.name = run->populations[p];
      pop.size = run->sizes[p];
      populationsOnly.populations.push_back(pop);
    }
    const spikeio::NodeTable nodes =
        golden ? golden->nodes : spikeio::NodeTable(populationsOnly);
    if (Status s = writeFloatSpikes(request.spikesOut, nodes, run->spikes); !s)
      return reportError(s.error());
  }
  if (request.quiet)
    return 0;
  if (!golden) {
    outs() << "ran " << request.steps
           << " steps of the discretised network in floating point only: "
           << golden.error() << ", so there is no image to compare with\n";
    printFloatCounts(*run);
    return 0;
  }
  outs() << "ran " << request.steps
         << " steps of the discretised network in floating point and of "
            "its quantised image on the golden model\n";
  printAgreement(*run, *golden, errors);
  return 0;
}

} // namespace cajal::driver
