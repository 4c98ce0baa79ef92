//===- Partition.cpp - snn-partition: slice populations into cores --------===//
//
// Builds the mapping form of the quantized network and runs
// cajal::mapping::partition for the profile. Each population then records
// its slices (the boundaries: first neuron of each slice, then its size)
// and the virtual core of each slice. A network that does not fit is an
// error on the population the partitioner names, with its message
// (resource, needed, available, fix); a remark summarises the result.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Partition.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/Passes.h"

namespace cajal {
#define GEN_PASS_DEF_SNNPARTITION
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

struct SNNPartition : public cajal::impl::SNNPartitionBase<SNNPartition> {
  using Base::Base;

  void runOnOperation() override {
    snn::NetworkOp net = getOperation();
    FailureOr<chip::Profile> loaded = loadProfileFor(net, profile);
    if (failed(loaded) || failed(checkChipCapacity(net, *loaded)))
      return signalPassFailure();
    FailureOr<MappedNetwork> mapped = buildMappingNetwork(net, *loaded);
    if (failed(mapped) || failed(lowerEquationPopulations(*mapped, *loaded)) ||
        failed(checkCompartments(*mapped, *loaded)))
      return signalPassFailure();
    for (auto [p, pop] : llvm::enumerate(mapped->network.populations))
      if (const mapping::EquationFormats *eq = pop.equationFormats.get())
        mapped->populations[p].emitRemark()
            << "population \"" << pop.name
            << "\": " << describeEquationFormats(*eq, *pop.equationProgram);
    mapping::PartitionOptions options;
    options.packSlices = pack;
    options.threads = mappingThreads(&getContext());
    Result<mapping::Partitioning> part =
        mapping::partition(mapped->network, *loaded, options);
    if (!part) {
      mapped->emitErrorAt(part.takeError(), net);
      return signalPassFailure();
    }
    annotate(*mapped, *part);
    emitRemark(net.getLoc())
        << "partitioned into " << part->coreCount() << " cores (lower bound "
        << part->lowerBound << ") of " << loaded->mesh.totalCores()
        << " on profile '" << loaded->name << "'";
  }

  static void annotate(const MappedNetwork &mapped,
                       const mapping::Partitioning &part) {
    std::vector<SmallVector<int64_t>> bounds(mapped.populations.size());
    std::vector<SmallVector<int64_t>> cores(mapped.populations.size());
    for (const mapping::SliceInfo &s : part.slices) {
      SmallVector<int64_t> &b = bounds[s.population];
      if (b.empty())
        b.push_back(s.firstNeuron);
      b.push_back(int64_t(s.firstNeuron) + s.count);
      cores[s.population].push_back(s.core);
    }
    for (auto [i, popRef] : llvm::enumerate(mapped.populations)) {
      snn::PopulationOp pop = popRef;
      MLIRContext *ctx = pop.getContext();
      pop.setSlicesAttr(DenseI64ArrayAttr::get(ctx, bounds[i]));
      pop.setCoresAttr(DenseI64ArrayAttr::get(ctx, cores[i]));
    }
  }
};

} // namespace
