//===- ExpandLibraryModels.cpp - snn-expand-library-models ---------------===//
//
// The built-in neuron models written as equation models. After
// snn-discretize, every population of `if`, `lif`, `cuba_lif`, `li` or
// `adaptive_lif` (#snn.discrete) becomes a population of an
// snn.neuron_model of the library (`#snn.equations`), the model written
// in its per-step form with the discrete parameters as its parameters: the
// same update the float engine and the chip's LIF program make
// (docs/neuron-model.md),
//
//   u' = u (1 - decay_u) + input_scale i
//   v' = 0 while refractory (left > 0), else v (1 - decay_v) + u' + bias
//   left' = left - 1 while refractory
//   adaptive_lif: a' = a (1 - decay_a), threshold v_th + beta a'
//   spike: v' > threshold (li: never); reset: v to 0 (or v - v_th with
//   reset = subtract), left to `refractory`, a to a + jump.
//
// and every `izhikevich` population (#snn.izhikevich) one of
// `library_izhikevich`, the program's 1 ms step: v in two 0.5 ms Euler half
// steps, then u with the new v, spike at v >= 30, reset v to c and u to
// u + d (its initial state v = c, u = b c, one per population).
//
// One model per kind, reset and network dt (its time unit is the step),
// named after them, inserted once. The equations are then what the
// compiler lowers, the float engine runs and a user reads or edits; the
// states u and v take the ranges of snn-calibrate-ranges (their bounds
// depend on the network's input), `left` and `a` their exact ones.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNAttributes.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

namespace cajal {
#define GEN_PASS_DEF_SNNEXPANDLIBRARYMODELS
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;
using namespace cajal::snn;

namespace {

/// One library model: which kind, which reset, which step.
struct Variant {
  bool spiking = true, adaptive = false, subtract = false, izhikevich = false;
  double dt = 0;
  std::string name(unsigned dtIndex) const {
    if (izhikevich)
      return "library_izhikevich";
    std::string n = !spiking ? "li" : adaptive ? "adaptive_lif" : "lif";
    if (spiking && !adaptive)
      n += subtract ? "_subtract" : "_zero";
    return "library_" + n + (dtIndex ? "_" + std::to_string(dtIndex) : "");
  }
};

/// Izhikevich's step as Cajal's float engine takes it (the same operations
/// in the same order, so that the two agree to the bit).
constexpr const char *kIzhikevichText = R"(
snn.neuron_model @library_izhikevich
    states(%v = -65.0 [-100.0, 40.0] "mV", %u = -13.0 [-100.0, 100.0] "mV")
    params(%a = 2.0e-2, %b = 2.0e-1, %c = -65.0, %d = 8.0, %bias = 0.0)
    input(%i) time_unit 1.0e-3 solver euler step 1.0
dynamics {
  %half = arith.constant 0.5 : f64
  %k2 = arith.constant 4.0e-2 : f64
  %k1 = arith.constant 5.0 : f64
  %k0 = arith.constant 140.0 : f64
  %current = arith.addf %i, %bias : f64
  %a2 = arith.mulf %k2, %v : f64
  %a3 = arith.mulf %a2, %v : f64
  %a4 = arith.mulf %k1, %v : f64
  %a5 = arith.addf %a3, %a4 : f64
  %a6 = arith.addf %a5, %k0 : f64
  %a7 = arith.subf %a6, %u : f64
  %a8 = arith.addf %a7, %current : f64
  %a9 = arith.mulf %half, %a8 : f64
  %v1 = arith.addf %v, %a9 : f64
  %b2 = arith.mulf %k2, %v1 : f64
  %b3 = arith.mulf %b2, %v1 : f64
  %b4 = arith.mulf %k1, %v1 : f64
  %b5 = arith.addf %b3, %b4 : f64
  %b6 = arith.addf %b5, %k0 : f64
  %b7 = arith.subf %b6, %u : f64
  %b8 = arith.addf %b7, %current : f64
  %b9 = arith.mulf %half, %b8 : f64
  %v2 = arith.addf %v1, %b9 : f64
  %bv = arith.mulf %b, %v2 : f64
  %bvu = arith.subf %bv, %u : f64
  %du = arith.mulf %a, %bvu : f64
  %u1 = arith.addf %u, %du : f64
  snn.yield %v2, %u1 : f64, f64
} spike {
  %peak = arith.constant 30.0 : f64
  %fired = arith.cmpf oge, %v, %peak : f64
  snn.yield %fired : i1
} reset {
  %ud = arith.addf %u, %d : f64
  snn.yield %c, %ud : f64, f64
}
)";

/// The model's text, in the snn dialect's syntax. `refractoryMax` and
/// `adaptationMax` bound left and a over the populations using it.
std::string modelText(const Variant &v, StringRef name, double refractoryMax,
                      double adaptationMax) {
  if (v.izhikevich)
    return kIzhikevichText;
  std::string states = llvm::formatv(
      "%u = 0.0, %v = 0.0, %left = 0.0 [0.0, {0:e}]", refractoryMax);
  std::string params = "%decay_u = 1.0, %decay_v = 0.0, %v_th = 1.0, "
                       "%bias = 0.0, %input_scale = 1.0, %refractory = 0.0";
  if (v.adaptive) {
    states += llvm::formatv(", %a = 0.0 [0.0, {0:e}]", adaptationMax);
    params += ", %decay_a = 0.0, %jump = 0.0, %beta = 0.0";
  }
  std::string text = llvm::formatv(
      "snn.neuron_model @{0} states({1}) params({2}) input(%i) time_unit "
      "{3:e} solver euler step 1.0 dynamics {{\n",
      name, states, params, v.dt);
  text += R"(
  %one = arith.constant 1.0 : f64
  %zero = arith.constant 0.0 : f64
  %keep_u = arith.subf %one, %decay_u : f64
  %held_u = arith.mulf %u, %keep_u : f64
  %scaled = arith.mulf %i, %input_scale : f64
  %next_u = arith.addf %held_u, %scaled : f64
  %keep_v = arith.subf %one, %decay_v : f64
  %held_v = arith.mulf %v, %keep_v : f64
  %driven = arith.addf %held_v, %next_u : f64
  %updated = arith.addf %driven, %bias : f64
  %refractory_now = arith.cmpf ogt, %left, %zero : f64
  %next_v = arith.select %refractory_now, %zero, %updated : f64
  %counted = arith.subf %left, %one : f64
  %next_left = arith.select %refractory_now, %counted, %left : f64
)";
  if (v.adaptive)
    text += R"(  %keep_a = arith.subf %one, %decay_a : f64
  %next_a = arith.mulf %a, %keep_a : f64
  snn.yield %next_u, %next_v, %next_left, %next_a : f64, f64, f64, f64
)";
  else
    text += "  snn.yield %next_u, %next_v, %next_left : f64, f64, f64\n";
  text += "}";
  if (!v.spiking)
    return text + "\n";
  // While refractory v is 0, below every threshold (v_th > 0, a >= 0).
  std::string threshold = "%v_th";
  if (v.adaptive) {
    text += R"( spike {
  %raise = arith.mulf %beta, %a : f64
  %threshold = arith.addf %v_th, %raise : f64
)";
    threshold = "%threshold";
  } else {
    text += " spike {\n";
  }
  text += "  %fired = arith.cmpf ogt, %v, " + threshold +
          " : f64\n  snn.yield %fired : i1\n} reset {\n";
  if (v.subtract)
    text += "  %reset_v = arith.subf %v, %v_th : f64\n";
  else
    text += "  %reset_v = arith.constant 0.0 : f64\n";
  if (v.adaptive)
    text += "  %raised = arith.addf %a, %jump : f64\n"
            "  snn.yield %u, %reset_v, %refractory, %raised : f64, f64, f64, "
            "f64\n";
  else
    text += "  snn.yield %u, %reset_v, %refractory : f64, f64, f64\n";
  return text + "}\n";
}

struct SNNExpandLibraryModels
    : public cajal::impl::SNNExpandLibraryModelsBase<SNNExpandLibraryModels> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = module.getContext();
    // Per model name: its variant and what its populations need.
    struct Use {
      Variant variant;
      double refractoryMax = 0, adaptationMax = 0;
      SmallVector<PopulationOp> populations;
    };
    llvm::MapVector<std::string, Use, std::map<std::string, unsigned>> uses;
    std::vector<double> dts;
    bool ok = true;
    module.walk([&](PopulationOp pop) {
      if (auto iz = dyn_cast<IzhikevichParamsAttr>(pop.getParams())) {
        Variant v;
        v.izhikevich = true;
        Use &use = uses[v.name(0)];
        use.variant = v;
        use.populations.push_back(pop);
        return;
      }
      auto d = dyn_cast<DiscreteParamsAttr>(pop.getParams());
      if (!d)
        return;
      const NeuronModel kind = pop.getModel();
      Variant v;
      v.spiking = kind != NeuronModel::LI;
      v.adaptive = kind == NeuronModel::AdaptiveLIF;
      v.subtract = d.getReset() == Reset::Subtract;
      // The library model's time unit is the network's step.
      auto net = pop->getParentOfType<NetworkOp>();
      std::optional<APFloat> dt = net ? net.getDt() : std::nullopt;
      v.dt = dt ? dt->convertToDouble() : 0.0;
      if (!(v.dt > 0)) { // no dt, or not a positive number
        pop.emitOpError("needs its network's dt (> 0) for its library model");
        ok = false;
        return;
      }
      auto at = std::find(dts.begin(), dts.end(), v.dt);
      const unsigned dtIndex = unsigned(at - dts.begin());
      if (at == dts.end())
        dts.push_back(v.dt);
      Use &use = uses[v.name(dtIndex)];
      use.variant = v;
      for (size_t i = 0; i < size_t(pop.getSize()); ++i) {
        use.refractoryMax =
            std::max(use.refractoryMax, fieldAt(d.getRefractory(), i, 0));
        if (v.adaptive) {
          // a stays below jump / decay_a (jump when a never decays, ...).
          const double decay = fieldAt(d.getDecayA(), i, 0),
                       jump = fieldAt(d.getJump(), i, 0);
          use.adaptationMax = std::max(
              use.adaptationMax, decay > 0 ? jump / decay : jump * 1e6 + 1.0);
        }
      }
      use.populations.push_back(pop);
    });
    if (!ok)
      return signalPassFailure();

    // The models first in the module, in the order of their first use.
    OpBuilder builder(ctx);
    builder.setInsertionPointToStart(module.getBody());
    ok = true;
    for (auto &[name, use] : uses) {
      if (!SymbolTable::lookupSymbolIn(module, name)) {
        const std::string text =
            modelText(use.variant, name, std::max(use.refractoryMax, 1.0),
                      std::max(use.adaptationMax, 1.0));
        OwningOpRef<ModuleOp> parsed =
            parseSourceString<ModuleOp>(text, ParserConfig(ctx));
        if (!parsed) {
          module.emitError() << "snn-expand-library-models: the library "
                                "model @"
                             << name << " does not parse:\n"
                             << text;
          return signalPassFailure();
        }
        for (Operation &op : *parsed->getBody())
          builder.clone(op);
      }
      for (PopulationOp pop : use.populations) {
        if (use.variant.izhikevich)
          ok &= succeeded(rewriteIzhikevich(pop, name));
        else
          rewrite(pop, name, use.variant.adaptive);
      }
    }
    if (!ok)
      signalPassFailure();
  }

  /// A population field's value for each of its `n` neurons.
  static std::vector<double> perNeuron(Attribute field, size_t n,
                                       double fallback) {
    std::vector<double> values(n);
    for (size_t i = 0; i < n; ++i)
      values[i] = fieldAt(field, i, fallback);
    return values;
  }

  /// Make `pop` a population of library model `model` with `values` (each
  /// a scalar f64 or a per-neuron array, as #snn.equations takes them).
  static void
  setEquations(PopulationOp pop, StringRef model,
               ArrayRef<std::pair<StringRef, std::vector<double>>> values) {
    MLIRContext *ctx = pop.getContext();
    SmallVector<NamedAttribute> named;
    for (const auto &[name, per] : values)
      named.push_back(
          NamedAttribute(StringAttr::get(ctx, name), makeRealField(ctx, per)));
    pop.setModelAttr(NeuronModelAttr::get(ctx, NeuronModel::Equations));
    pop.setParamsAttr(
        EquationParamsAttr::get(ctx, FlatSymbolRefAttr::get(ctx, model),
                                DictionaryAttr::get(ctx, named)));
  }

  /// An Izhikevich population's parameters as the library model's values,
  /// its initial state v = c, u = b c.
  static LogicalResult rewriteIzhikevich(PopulationOp pop, StringRef model) {
    auto iz = cast<IzhikevichParamsAttr>(pop.getParams());
    const size_t n = size_t(pop.getSize());
    const std::vector<double> b = perNeuron(iz.getB(), n, 0.2),
                              c = perNeuron(iz.getC(), n, -65);
    auto varies = [](const std::vector<double> &x) {
      return std::adjacent_find(x.begin(), x.end(), std::not_equal_to<>()) !=
             x.end();
    };
    if (varies(b) || varies(c))
      return pop.emitOpError(
          "izhikevich with b or c per neuron: an equation model's initial "
          "state (v = c, u = b c) is one per population");
    setEquations(pop, model,
                 {{"a", perNeuron(iz.getA(), n, 0.02)},
                  {"b", b},
                  {"c", c},
                  {"d", perNeuron(iz.getD(), n, 8)},
                  {"bias", perNeuron(iz.getBias(), n, 0)},
                  {"v", {c[0]}},
                  {"u", {b[0] * c[0]}}});
    return success();
  }

  /// The population's discrete parameters as the library model's values.
  static void rewrite(PopulationOp pop, StringRef model, bool adaptive) {
    auto d = cast<DiscreteParamsAttr>(pop.getParams());
    const size_t n = size_t(pop.getSize());
    std::vector<std::pair<StringRef, std::vector<double>>> values = {
        {"decay_u", perNeuron(d.getDecayU(), n, 1)},
        {"decay_v", perNeuron(d.getDecayV(), n, 0)},
        {"v_th", perNeuron(d.getVTh(), n, 1)},
        {"bias", perNeuron(d.getBias(), n, 0)},
        {"input_scale", perNeuron(d.getInputScale(), n, 1)},
        {"refractory", perNeuron(d.getRefractory(), n, 0)}};
    if (adaptive) {
      values.push_back({"decay_a", perNeuron(d.getDecayA(), n, 0)});
      values.push_back({"jump", perNeuron(d.getJump(), n, 0)});
      values.push_back({"beta", perNeuron(d.getBeta(), n, 0)});
    }
    setEquations(pop, model, values);
  }
};

} // namespace
