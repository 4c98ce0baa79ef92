//===- LowerEquationsPass.cpp - snn-lower-equations: programs in the IR ---===//
//
// Lowers the model of every population of an equation model (after
// snn-quantize, which chose its input's units) to its neurocore program for
// the profile, and writes the program into the IR: the population gets
// `program` (its listing, one instruction or declaration per string, as
// `cajal inspect --programs` prints it) and `program_formats` (solver,
// step, state formats, tables, length: what `cajal compile --verbose`
// says). The mapping passes lower again from the model when they build the
// image; this pass is the lowering on its own, to read and to test.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"

namespace cajal {
#define GEN_PASS_DEF_SNNLOWEREQUATIONS
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

struct SNNLowerEquations
    : public cajal::impl::SNNLowerEquationsBase<SNNLowerEquations> {
  using Base::Base;

  void runOnOperation() override {
    snn::NetworkOp net = getOperation();
    FailureOr<chip::Profile> loaded = loadProfileFor(net, profile);
    if (failed(loaded))
      return signalPassFailure();
    FailureOr<MappedNetwork> mapped = buildMappingNetwork(net, *loaded);
    if (failed(mapped) || failed(lowerEquationPopulations(*mapped, *loaded)))
      return signalPassFailure();
    for (auto [p, pop] : llvm::enumerate(mapped->network.populations)) {
      const mapping::EquationFormats *eq = pop.equationFormats.get();
      if (!eq)
        continue;
      snn::PopulationOp op = mapped->populations[p];
      Builder b(op.getContext());
      SmallVector<Attribute> lines;
      SmallVector<StringRef> split;
      const std::string listing = chip::disassemble(*pop.equationProgram);
      StringRef(listing).split(split, '\n', -1, /*KeepEmpty=*/false);
      for (StringRef line : split)
        lines.push_back(b.getStringAttr(line.trim()));
      op->setAttr("program", b.getArrayAttr(lines));
      op->setAttr("program_formats", b.getStringAttr(describeEquationFormats(
                                         *eq, *pop.equationProgram)));
    }
  }
};

} // namespace
