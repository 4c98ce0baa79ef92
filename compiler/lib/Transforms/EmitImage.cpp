//===- EmitImage.cpp - nc-emit-image: write the chip image ----------------===//
//
// The image is written by cajal::mapping::emitImage from the mapping form of
// the chip's snn.network, its partitioning and the placement read from the
// nc.core coordinates. The partitioner is deterministic, so it is run again
// and the chip's cores must hold exactly its slices, core by core and in
// compartment order; a hand-edited chip that differs is an error naming the
// first core that differs. Synapses are materialised one core at a time.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Mapping/Emit.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace cajal {
#define GEN_PASS_DEF_NCEMITIMAGE
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

/// Check that core i of the chip holds the slices part.coreSlices[i].
LogicalResult checkCores(nc::ChipOp chip, ArrayRef<nc::CoreOp> cores,
                         const MappedNetwork &mapped,
                         const mapping::Partitioning &part) {
  if (cores.size() != part.coreCount())
    return chip.emitOpError()
           << "has " << cores.size() << " cores but the partitioning of @"
           << chip.getNetwork() << " needs " << part.coreCount()
           << "; re-run convert-snn-to-nc with the same profile";
  for (auto [i, coreRef] : llvm::enumerate(cores)) {
    nc::CoreOp core = coreRef;
    SmallVector<nc::CompartmentsOp> slices(
        core.getBodyBlock()->getOps<nc::CompartmentsOp>());
    const std::vector<uint32_t> &expected = part.coreSlices[i];
    bool same = slices.size() == expected.size();
    for (size_t k = 0; same && k < slices.size(); ++k) {
      const mapping::SliceInfo &s = part.slices[expected[k]];
      snn::PopulationOp pop = mapped.populations[s.population];
      same = slices[k].getPopulation().getLeafReference() == pop.getSymName() &&
             slices[k].getBegin() == int64_t(s.firstNeuron) &&
             slices[k].getEnd() == int64_t(s.firstNeuron) + s.count;
    }
    if (!same)
      return core.emitOpError()
             << "does not hold the slices the partitioner assigns to core " << i
             << "; the image is built from the partitioning, so re-run "
                "convert-snn-to-nc instead of editing cores";
  }
  return success();
}

FailureOr<mapping::Placement> readPlacement(ArrayRef<nc::CoreOp> cores) {
  mapping::Placement placement;
  for (nc::CoreOp core : cores) {
    if (!core.isPlaced())
      return core.emitOpError("is not placed; run nc-place first");
    placement.cores.push_back({uint32_t(*core.getX()), uint32_t(*core.getY()),
                               uint32_t(*core.getSlot())});
  }
  return placement;
}

struct NCEmitImage : public cajal::impl::NCEmitImageBase<NCEmitImage> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<nc::ChipOp> chips(module.getOps<nc::ChipOp>());
    if (chips.size() != 1) {
      module.emitError() << "nc-emit-image needs exactly one nc.chip, found "
                         << chips.size();
      return signalPassFailure();
    }
    if (path.empty() && fitReport.empty()) {
      module.emitError("nc-emit-image needs path=<image file> (or "
                       "fit-report=<file>)");
      return signalPassFailure();
    }
    if (failed(emit(module, chips.front())))
      signalPassFailure();
  }

  LogicalResult emit(ModuleOp module, nc::ChipOp chip) {
    auto net = SymbolTable::lookupSymbolIn(module, chip.getNetworkAttr());
    auto network = dyn_cast_or_null<snn::NetworkOp>(net);
    if (!network)
      return chip.emitOpError() << "names network @" << chip.getNetwork()
                                << ", which is not an snn.network";
    FailureOr<chip::Profile> profile = loadProfileFor(chip, chip.getProfile());
    FailureOr<MappedNetwork> mapped;
    if (failed(profile) || failed(mapped = buildMappingNetwork(network)))
      return failure();
    mapping::PartitionOptions options;
    options.packSlices = pack;
    Result<mapping::Partitioning> part =
        mapping::partition(mapped->network, *profile, options);
    if (!part)
      return chip.emitError() << part.error();
    SmallVector<nc::CoreOp> cores(chip.getBodyBlock()->getOps<nc::CoreOp>());
    FailureOr<mapping::Placement> placement = readPlacement(cores);
    if (failed(checkCores(chip, cores, *mapped, *part)) || failed(placement))
      return failure();
    if (!path.empty())
      if (Status s = mapping::emitImage(mapped->network, *part, *placement,
                                        *profile, path);
          !s)
        return chip.emitError() << "cannot write the image: " << s.error();
    if (!fitReport.empty())
      return writeFitReport(chip, *mapped, *part, *profile, *placement);
    return success();
  }

  LogicalResult writeFitReport(nc::ChipOp chip, const MappedNetwork &mapped,
                               const mapping::Partitioning &part,
                               const chip::Profile &profile,
                               const mapping::Placement &placement) {
    std::string message;
    std::unique_ptr<llvm::ToolOutputFile> out =
        openOutputFile(fitReport, &message);
    if (!out)
      return chip.emitError() << "cannot write the fit report: " << message;
    out->os() << mapping::fitReport(mapped.network, part, profile, &placement);
    out->keep();
    return success();
  }
};

} // namespace
