//===- SNNToNC.cpp - Build an nc.chip from a partitioned snn.network ------===//
//
// The `slices`/`cores` annotations of snn-partition (or written by hand)
// fix the slicing; cajal::mapping::partitionGiven accounts them in one pass
// over the synapses (input-axon groups, resources, core-to-core traffic)
// without re-running the partitioner, and rejects slices that do not cover
// a population or do not fit a core. Then, per virtual core in index order,
// an nc.core holds its slices (nc.compartments, in compartment order) and,
// per input-axon group, the projection's pre range and axon count
// (nc.synapses); an nc.route per listed traffic pair (per destination core
// its heaviest source cores, see mapping::CoreTraffic).
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/Passes.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Mapping/Partition.h"

namespace cajal {
#define GEN_PASS_DEF_CONVERTSNNTONC
#include "cajal/Conversion/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

/// The slices recorded by snn-partition on every population.
FailureOr<std::vector<mapping::SliceAssignment>>
annotatedSlices(const MappedNetwork &mapped) {
  std::vector<mapping::SliceAssignment> slices;
  for (auto [i, popRef] : llvm::enumerate(mapped.populations)) {
    snn::PopulationOp pop = popRef;
    if (!pop.getSlices() || !pop.getCores())
      return pop.emitOpError(
          "has no 'slices' and 'cores'; run snn-partition first");
    const std::vector<int64_t> bounds(pop.getSlices()->begin(),
                                      pop.getSlices()->end());
    const std::vector<int64_t> cores(pop.getCores()->begin(),
                                     pop.getCores()->end());
    if (Status st = mapping::appendSlices(uint32_t(i), bounds, cores, slices);
        !st)
      return pop.emitOpError()
             << "has bad 'slices' and 'cores': " << st.error();
  }
  return slices;
}

std::string coreName(uint32_t core) { return "c" + std::to_string(core); }

class ChipBuilder {
public:
  ChipBuilder(snn::NetworkOp network, const MappedNetwork &mappedNetwork,
              const mapping::Partitioning &partitioning)
      : net(network), mapped(mappedNetwork), part(partitioning), b(network) {}

  nc::ChipOp build(StringRef profile) {
    b.setInsertionPointAfter(net);
    const Location loc = net.getLoc();
    auto chip = b.create<nc::ChipOp>(
        loc, b.getStringAttr(net.getSymName() + "_chip"),
        b.getStringAttr(profile), FlatSymbolRefAttr::get(net.getSymNameAttr()));
    chip.getBody().emplaceBlock();
    b.setInsertionPointToStart(chip.getBodyBlock());
    for (uint32_t c = 0; c < part.coreCount(); ++c)
      buildCore(c);
    for (const mapping::CoreTraffic &t : part.traffic)
      b.create<nc::RouteOp>(
          loc, FlatSymbolRefAttr::get(b.getStringAttr(coreName(t.from))),
          FlatSymbolRefAttr::get(b.getStringAttr(coreName(t.to))),
          b.getI64IntegerAttr(int64_t(t.axons)), IntegerAttr());
    return chip;
  }

private:
  SymbolRefAttr ref(StringAttr name) {
    return SymbolRefAttr::get(net.getSymNameAttr(),
                              {FlatSymbolRefAttr::get(name)});
  }

  void buildCore(uint32_t c) {
    const Location loc = net.getLoc();
    auto core =
        b.create<nc::CoreOp>(loc, b.getStringAttr(coreName(c)), IntegerAttr(),
                             IntegerAttr(), IntegerAttr());
    core.getBody().emplaceBlock();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(core.getBodyBlock());
    for (uint32_t s : part.coreSlices[c]) {
      const mapping::SliceInfo &slice = part.slices[s];
      snn::PopulationOp pop = mapped.populations[slice.population];
      const int64_t begin = slice.firstNeuron, end = begin + slice.count;
      b.create<nc::CompartmentsOp>(
          loc, ref(pop.getSymNameAttr()), b.getI64IntegerAttr(begin),
          b.getI64IntegerAttr(end), pop.getModelAttr(),
          snn::sliceChipParams(pop.getParams(), begin, end));
    }
    for (; nextGroup < part.axonGroups.size() &&
           part.slices[part.axonGroups[nextGroup].slice].core == c;
         ++nextGroup) {
      const mapping::AxonGroup &g = part.axonGroups[nextGroup];
      const mapping::SliceInfo &slice = part.slices[g.slice];
      if (g.pre.empty())
        continue;
      snn::ProjectionOp proj = mapped.projections[g.projection];
      b.create<nc::SynapsesOp>(
          loc, ref(proj.getSymNameAttr()), b.getI64IntegerAttr(g.pre.front()),
          b.getI64IntegerAttr(int64_t(g.pre.back()) + 1),
          b.getI64IntegerAttr(slice.firstNeuron),
          b.getI64IntegerAttr(int64_t(slice.firstNeuron) + slice.count),
          b.getI64IntegerAttr(int64_t(g.pre.size())), IntegerAttr());
    }
  }

  snn::NetworkOp net;
  const MappedNetwork &mapped;
  const mapping::Partitioning &part;
  OpBuilder b;
  size_t nextGroup = 0; ///< axon groups are sorted by core
};

struct ConvertSNNToNC : public cajal::impl::ConvertSNNToNCBase<ConvertSNNToNC> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<snn::NetworkOp> networks(module.getOps<snn::NetworkOp>());
    if (networks.empty())
      return;
    FailureOr<chip::Profile> loaded = loadProfileFor(module, profile);
    if (failed(loaded))
      return signalPassFailure();
    SymbolTable symbols(module);
    for (snn::NetworkOp net : networks)
      if (failed(convert(net, *loaded, symbols)))
        return signalPassFailure();
  }

  LogicalResult convert(snn::NetworkOp net, const chip::Profile &prof,
                        SymbolTable &symbols) {
    FailureOr<MappedNetwork> mapped = buildMappingNetwork(net, prof);
    if (failed(mapped))
      return failure();
    FailureOr<std::vector<mapping::SliceAssignment>> given =
        annotatedSlices(*mapped);
    if (failed(given))
      return failure();
    mapping::PartitionOptions options;
    options.threads = mappingThreads(net->getContext());
    Result<mapping::Partitioning> part =
        mapping::partitionGiven(mapped->network, prof, *given, options);
    if (!part)
      return mapped->emitErrorAt(part.takeError(), net);
    nc::ChipOp chip = ChipBuilder(net, *mapped, *part).build(profile);
    symbols.insert(chip); // renames the chip if its name is taken
    return success();
  }
};

} // namespace
