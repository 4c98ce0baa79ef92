//===- CalibrateRanges.cpp - snn-calibrate-ranges: ranges from a run ------===//
//
// A fixed-point format needs each state's range. Where a model declares
// none (or the interval analysis would be too wide for it to matter), this
// pass runs every network on the float engine (cajal/Transforms/
// FloatEngine.h) for `steps` steps, takes the smallest and largest value
// each undeclared state reached over the neurons of every population using
// the model, widens that by `margin` of its span on each side, and declares
// it on the model. The model records what was calibrated (`calibration`:
// steps, margin, states), and the fit report says so. Networks run on a
// discretised copy (snn-discretize) that is removed afterwards.
//
//===----------------------------------------------------------------------===//
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/MapVector.h"

#include <cmath>
#include <limits>

namespace cajal {
#define GEN_PASS_DEF_SNNCALIBRATERANGES
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;
using namespace cajal::snn;

namespace {

/// The smallest and largest value of each state of a model over the run
/// (its populations' initial states included).
struct Extremes {
  std::vector<double> lower, upper;
  bool seen = false; ///< some population uses the model
  void note(unsigned k, double x) {
    lower[k] = std::min(lower[k], x);
    upper[k] = std::max(upper[k], x);
  }
};

bool declared(NeuronModelOp model, unsigned k) {
  return std::isfinite(model.getStateLower()[k]) &&
         std::isfinite(model.getStateUpper()[k]);
}

struct SNNCalibrateRanges
    : public cajal::impl::SNNCalibrateRangesBase<SNNCalibrateRanges> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (steps == 0 || !(margin >= 0 && std::isfinite(margin))) {
      module.emitError() << "snn-calibrate-ranges: steps = "
                         << uint64_t(steps.getValue())
                         << " must be > 0 and margin = " << margin.getValue()
                         << " finite and >= 0";
      return signalPassFailure();
    }
    llvm::MapVector<Operation *, Extremes> open;
    for (NeuronModelOp model : module.getOps<NeuronModelOp>())
      for (unsigned k = 0; k < model.getNumStates(); ++k)
        if (!declared(model, k)) {
          const double inf = std::numeric_limits<double>::infinity();
          open[model] =
              Extremes{std::vector<double>(model.getNumStates(), inf),
                       std::vector<double>(model.getNumStates(), -inf)};
          break;
        }
    if (open.empty())
      return;
    if (!calibrate(module, open))
      return signalPassFailure();
  }

  /// Run every network, note the extremes, declare the ranges.
  bool calibrate(ModuleOp module,
                 llvm::MapVector<Operation *, Extremes> &open) {
    SmallVector<NetworkOp> networks(module.getOps<NetworkOp>());
    for (NetworkOp net : networks) {
      bool uses = false;
      for (auto pop : net.getBodyBlock()->getOps<PopulationOp>())
        if (NeuronModelOp m = equationModelOf(pop); m && open.count(m))
          uses = true;
      if (!uses)
        continue;
      // A discretised copy beside the network, removed when it has run.
      OpBuilder builder(net);
      builder.setInsertionPointAfter(net);
      auto copy = cast<NetworkOp>(builder.clone(*net));
      copy.setSymName((net.getSymName() + ".calibration").str());
      llvm::DenseMap<StringRef, Operation *> modelOf;
      for (auto pop : copy.getBodyBlock()->getOps<PopulationOp>())
        if (NeuronModelOp m = equationModelOf(pop); m && open.count(m)) {
          modelOf[pop.getSymName()] = m;
          Extremes &e = open[m];
          e.seen = true;
          const EquationValues values = resolveEquationValues(
              m, cast<EquationParamsAttr>(pop.getParams()));
          for (unsigned k = 0; k < values.initial.size(); ++k)
            e.note(k, values.initial[k]);
        }
      OpPassManager discretize(NetworkOp::getOperationName());
      discretize.addPass(createSNNDiscretize());
      bool ok = succeeded(runPipeline(discretize, copy));
      if (ok) {
        auto observe = [&](uint32_t, const std::string &population,
                           ArrayRef<double> states, unsigned perNeuron) {
          auto m = modelOf.find(population);
          if (m == modelOf.end())
            return;
          Extremes &e = open[m->second];
          for (size_t i = 0; i < states.size(); ++i)
            e.note(unsigned(i % perNeuron), states[i]);
        };
        ok = succeeded(runFloat(copy, steps, {}, observe));
      }
      copy.erase();
      if (!ok)
        return false;
    }
    for (auto &[op, e] : open) {
      auto model = cast<NeuronModelOp>(op);
      if (!e.seen) // no population runs it: nothing to lower
        continue;
      SmallVector<double> lower(model.getStateLower()),
          upper(model.getStateUpper());
      SmallVector<Attribute> calibrated;
      for (unsigned k = 0; k < model.getNumStates(); ++k) {
        if (declared(model, k))
          continue;
        auto name = cast<StringAttr>(model.getStateNames()[k]);
        if (!(e.lower[k] <= e.upper[k]) || !std::isfinite(e.lower[k]) ||
            !std::isfinite(e.upper[k])) {
          model.emitError() << "state '" << name.getValue()
                            << "' has no range and reached no finite one in "
                               "the calibration run of "
                            << steps.getValue()
                            << " steps (the float model diverges); declare "
                               "[lower, upper]";
          return false;
        }
        // Widened by the margin of the span (of the magnitude when the
        // state did not move), so that a run unlike the calibration's
        // saturates late rather than early.
        const double span = e.upper[k] - e.lower[k];
        const double widen =
            margin * (span > 0 ? span : std::max(std::fabs(e.upper[k]), 1.0));
        lower[k] = e.lower[k] - widen;
        upper[k] = e.upper[k] + widen;
        calibrated.push_back(name);
      }
      Builder b(model.getContext());
      model.setStateLowerAttr(b.getDenseF64ArrayAttr(lower));
      model.setStateUpperAttr(b.getDenseF64ArrayAttr(upper));
      model->setAttr(
          "calibration",
          b.getDictionaryAttr(
              {b.getNamedAttr("steps", b.getI64IntegerAttr(steps)),
               b.getNamedAttr("margin", b.getF64FloatAttr(margin)),
               b.getNamedAttr("states", b.getArrayAttr(calibrated))}));
    }
    return true;
  }
};

} // namespace
