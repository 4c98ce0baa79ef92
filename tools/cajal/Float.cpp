//===- Float.cpp - `cajal run MODEL --engine float`: before quantisation --===//
//
// Runs the discretised network in floating point (cajal/Transforms/
// FloatEngine.h) and, on the same input, the golden model on the image the
// compile pipeline makes of the same model; it prints the spike count of
// every population in both and their agreement (min/max, 1 when both are 0):
// what quantisation changed. The image is compiled into a temporary file and
// removed afterwards.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Model.h"

#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/Golden/GoldenRun.h"
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Transforms/Passes.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/Pass/PassManager.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace llvm;

namespace cajal::driver {
namespace {

/// Compile a copy of `module` to a temporary image and run it on the golden
/// model with `input`; returns per-population spike counts.
Result<std::vector<uint64_t>>
runQuantized(mlir::ModuleOp module, const FloatRequest &request,
             const std::string &imagePath, spikeio::NodeTable &nodes,
             std::vector<spikeio::SpikeRecord> &input) {
  mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
  CompileOptions options;
  options.profile = request.profile.empty() ? "loihi1" : request.profile;
  options.imagePath = imagePath;
  mlir::PassManager pm(module.getContext());
  buildCompilePipeline(pm, options);
  if (failed(pm.run(*copy)))
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
  nodes = model->nodes();
  if (!request.inputPath.empty()) {
    auto spikes = spikeio::readSpikeCsv(request.inputPath, nodes,
                                        spikeio::NodeSet::ExternalSources);
    if (!spikes)
      return spikes.takeError();
    input = *spikes;
    if (Status s = model->setExternalSpikes(*spikes); !s)
      return makeError(s.error());
  }
  std::vector<uint64_t> counts;
  emulator::RecordOptions record;
  record.spikeCounts = &counts;
  if (Status s = golden::runAndRecord(*model, request.steps, record); !s)
    return makeError(s.error());
  return counts;
}

Status writeFloatSpikes(const std::string &path,
                        const spikeio::NodeTable &nodes,
                        const std::vector<FloatSpike> &spikes) {
  std::vector<spikeio::SpikeRecord> records;
  for (const FloatSpike &s : spikes)
    if (std::optional<uint32_t> node = nodes.find(s.node))
      records.push_back({s.step, *node, s.index});
  return spikeio::writeSpikeCsv(path, nodes, records);
}

void printAgreement(const FloatRun &run, const spikeio::NodeTable &nodes,
                    const std::vector<uint64_t> &golden) {
  outs() << "  population                  float spikes  golden spikes  "
            "agreement\n";
  for (size_t p = 0; p < run.populations.size(); ++p) {
    std::optional<uint32_t> node = nodes.find(run.populations[p]);
    const uint64_t f = run.spikeCounts[p];
    const uint64_t g =
        node && *node < golden.size() ? golden[*node] : uint64_t(0);
    const uint64_t hi = std::max(f, g);
    const double agreement = hi == 0 ? 1.0 : double(std::min(f, g)) / hi;
    outs() << format("  %-24s %15llu %14llu %10.3f\n",
                     run.populations[p].c_str(), (unsigned long long)f,
                     (unsigned long long)g, agreement);
  }
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

  SmallString<128> imagePath;
  if (std::error_code ec =
          sys::fs::createTemporaryFile("cajal-float", "cjimg", imagePath))
    return reportError("cannot create a temporary image: " + ec.message());
  spikeio::NodeTable nodes;
  std::vector<spikeio::SpikeRecord> input;
  Result<std::vector<uint64_t>> golden =
      runQuantized(*module, request, imagePath.str().str(), nodes, input);
  sys::fs::remove(imagePath);
  if (!golden)
    return reportError(golden.error());

  mlir::PassManager pm(&mc.context);
  pm.addPass(createSNNDiscretizeEquations());
  pm.nest<snn::NetworkOp>().addPass(createSNNDiscretize());
  if (failed(pm.run(*module)))
    return 1;
  std::vector<FloatSpike> floatInput;
  for (const spikeio::SpikeRecord &s : input)
    floatInput.push_back({s.step, nodes.name(s.node), s.index});
  auto run = runFloat(*module->getOps<snn::NetworkOp>().begin(), request.steps,
                      floatInput);
  if (failed(run))
    return 1;
  if (!request.spikesOut.empty())
    if (Status s = writeFloatSpikes(request.spikesOut, nodes, run->spikes); !s)
      return reportError(s.error());
  if (!request.quiet) {
    outs() << "ran " << request.steps
           << " steps of the discretised network in floating point and of "
              "its quantised image on the golden model\n";
    printAgreement(*run, nodes, *golden);
  }
  return 0;
}

} // namespace cajal::driver
