//===- SNNToNC.cpp - Build an nc.chip from a partitioned snn.network ------===//
//
// The partitioner is deterministic, so it is run again on the network's
// mapping form to recover what the annotations summarise (slices per core,
// input-axon groups, core-to-core traffic); the `slices`/`cores`
// annotations must agree with it. Then, per virtual core in index order,
// an nc.core holds its slices (nc.compartments, in compartment order) and,
// per input-axon group, the projection's pre range and axon count
// (nc.synapses); per pair of cores with traffic, an nc.route.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/Passes.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Mapping/Partition.h"

#include "llvm/ADT/StringExtras.h"

namespace cajal {
#define GEN_PASS_DEF_CONVERTSNNTONC
#include "cajal/Conversion/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

/// Slice boundaries and cores of population `pop` in a partitioning.
void slicesOf(const mapping::Partitioning &part, uint32_t pop,
              SmallVectorImpl<int64_t> &bounds,
              SmallVectorImpl<int64_t> &cores) {
  for (const mapping::SliceInfo &s : part.slices) {
    if (s.population != pop)
      continue;
    if (bounds.empty())
      bounds.push_back(s.firstNeuron);
    bounds.push_back(int64_t(s.firstNeuron) + s.count);
    cores.push_back(s.core);
  }
}

LogicalResult checkAnnotations(const MappedNetwork &mapped,
                               const mapping::Partitioning &part) {
  for (auto [i, popRef] : llvm::enumerate(mapped.populations)) {
    snn::PopulationOp pop = popRef;
    if (!pop.getSlices() || !pop.getCores())
      return pop.emitOpError(
          "has no 'slices' and 'cores'; run snn-partition first");
    SmallVector<int64_t> bounds, cores;
    slicesOf(part, uint32_t(i), bounds, cores);
    if (ArrayRef<int64_t>(bounds) != *pop.getSlices() ||
        ArrayRef<int64_t>(cores) != *pop.getCores())
      return pop.emitOpError()
             << "'slices' and 'cores' differ from the partitioner's result ("
             << "slices ["
             << llvm::join(
                    llvm::map_range(
                        bounds, [](int64_t v) { return std::to_string(v); }),
                    ", ")
             << "]); run snn-partition again with the same profile";
  }
  return success();
}

std::string coreName(uint32_t core) { return "c" + std::to_string(core); }

class ChipBuilder {
public:
  ChipBuilder(snn::NetworkOp net, const MappedNetwork &mapped,
              const mapping::Partitioning &part)
      : net(net), mapped(mapped), part(part), b(net) {}

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
      auto params = cast<snn::QuantizedParamsAttr>(pop.getParams());
      b.create<nc::CompartmentsOp>(loc, ref(pop.getSymNameAttr()),
                                   b.getI64IntegerAttr(begin),
                                   b.getI64IntegerAttr(end), pop.getModelAttr(),
                                   snn::sliceParams(params, begin, end));
    }
    for (const mapping::AxonGroup &g : part.axonGroups) {
      const mapping::SliceInfo &slice = part.slices[g.slice];
      if (slice.core != c || g.pre.empty())
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
    FailureOr<MappedNetwork> mapped = buildMappingNetwork(net);
    if (failed(mapped))
      return failure();
    mapping::PartitionOptions options;
    options.packSlices = pack;
    Result<mapping::Partitioning> part =
        mapping::partition(mapped->network, prof, options);
    if (!part) {
      snn::PopulationOp pop = mapped->findNamedPopulation(part.error());
      Operation *at = pop ? pop.getOperation() : net.getOperation();
      return at->emitError() << part.error();
    }
    if (failed(checkAnnotations(*mapped, *part)))
      return failure();
    nc::ChipOp chip = ChipBuilder(net, *mapped, *part).build(profile);
    symbols.insert(chip); // renames the chip if its name is taken
    return success();
  }
};

} // namespace
