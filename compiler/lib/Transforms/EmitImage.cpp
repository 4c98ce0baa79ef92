//===- EmitImage.cpp - nc-emit-image: write the chip image ----------------===//
//
// The image is written by cajal::mapping::emitImage from the mapping form of
// the chip's snn.network, its partitioning and the placement read from the
// nc.core coordinates. The partitioning is the slices snn-partition
// recorded on the populations, accounted once by
// cajal::mapping::partitionGiven (a network without those annotations is
// partitioned again; the partitioner is deterministic). The chip's cores
// must hold exactly those slices, core by core and in compartment order; a
// hand-edited chip that differs is an error naming the first core that
// differs. Synapses are materialised one core at a time.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Mapping/Emit.h"
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

#include <limits>
#include <optional>

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
    if (same)
      continue;
    InFlightDiagnostic diag =
        core.emitOpError()
        << "does not hold the slices the partitioner assigns to core " << i
        << "; the image is built from the partitioning, so re-run "
           "convert-snn-to-nc instead of editing cores";
    if (!expected.empty()) {
      const mapping::SliceInfo &s = part.slices[expected.front()];
      snn::PopulationOp pop = mapped.populations[s.population];
      diag.attachNote(pop.getLoc())
          << "the partitioner puts neurons [" << s.firstNeuron << ", "
          << uint64_t(s.firstNeuron) + s.count << ") of population '"
          << pop.getSymName() << "' first on that core";
    }
    return diag;
  }
  return success();
}

/// The slices snn-partition recorded on the populations, or none when a
/// population has no (or unusable) annotations.
std::optional<std::vector<mapping::SliceAssignment>>
annotatedSlices(const MappedNetwork &mapped) {
  std::vector<mapping::SliceAssignment> slices;
  for (auto [i, popRef] : llvm::enumerate(mapped.populations)) {
    snn::PopulationOp pop = popRef;
    if (!pop.getSlices() || !pop.getCores())
      return std::nullopt;
    const std::vector<int64_t> bounds(pop.getSlices()->begin(),
                                      pop.getSlices()->end());
    const std::vector<int64_t> cores(pop.getCores()->begin(),
                                     pop.getCores()->end());
    if (!mapping::appendSlices(uint32_t(i), bounds, cores, slices))
      return std::nullopt;
  }
  return slices;
}

/// The cores' positions, each one that exists on the profile's mesh (the
/// loader's own check, chip::checkCorePosition).
FailureOr<mapping::Placement> readPlacement(ArrayRef<nc::CoreOp> cores,
                                            const chip::Profile &profile) {
  mapping::Placement placement;
  for (nc::CoreOp core : cores) {
    if (!core.isPlaced())
      return core.emitOpError("is not placed; run nc-place first");
    const int64_t most = std::numeric_limits<uint32_t>::max();
    const int64_t x = *core.getX(), y = *core.getY(), slot = *core.getSlot();
    Status s = x <= most && y <= most && slot <= most
                   ? chip::checkCorePosition(uint32_t(x), uint32_t(y),
                                             uint32_t(slot), profile)
                   : makeError("position (x " + std::to_string(x) + ", y " +
                               std::to_string(y) + ", slot " +
                               std::to_string(slot) + ") out of range");
    if (!s)
      return core.emitOpError() << "cannot be on the chip of profile "
                                << profile.name << ": " << s.error();
    placement.cores.push_back({uint32_t(x), uint32_t(y), uint32_t(slot)});
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
    if (failed(profile) || failed(checkChipCapacity(network, *profile)))
      return failure();
    FailureOr<MappedNetwork> mapped = buildMappingNetwork(network, *profile);
    if (failed(mapped) || failed(lowerEquationPopulations(*mapped, *profile)) ||
        failed(checkCompartments(*mapped, *profile)))
      return failure();
    Result<mapping::Partitioning> part = partitionOf(*mapped, *profile);
    if (!part)
      return mapped->emitErrorAt(part.takeError(), chip);
    SmallVector<nc::CoreOp> cores(chip.getBodyBlock()->getOps<nc::CoreOp>());
    FailureOr<mapping::Placement> placement = readPlacement(cores, *profile);
    if (failed(checkCores(chip, cores, *mapped, *part)) || failed(placement))
      return failure();
    placement->cost = mapping::placementCost(placement->cores, part->traffic);
    if (!path.empty())
      if (Status s =
              mapping::emitImage(mapped->network, *part, *placement, *profile,
                                 path, mappingThreads(&getContext()));
          !s)
        return mapped->emitErrorAt(
            withContext("cannot write the image: ", s.takeError()), chip);
    if (!fitReport.empty())
      return writeFitReport(chip, *mapped, *part, *profile, *placement);
    return success();
  }

  /// The partitioning the chip was built from: the recorded slices
  /// accounted once (no re-partitioning), or, on a network without
  /// annotations, the partitioner's result.
  Result<mapping::Partitioning> partitionOf(const MappedNetwork &mapped,
                                            const chip::Profile &profile) {
    mapping::PartitionOptions options;
    options.threads = mappingThreads(&getContext());
    if (auto given = annotatedSlices(mapped))
      return mapping::partitionGiven(mapped.network, profile, *given, options);
    options.packSlices = pack;
    return mapping::partition(mapped.network, profile, options);
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
