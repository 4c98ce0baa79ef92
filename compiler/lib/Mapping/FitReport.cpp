//===- FitReport.cpp - Utilisation of every core as JSON -----------------===//
//
// The report a user reads to see how full the chip is and why: per core the
// four resources (used and per-core limit), the synapses (and, in a network
// that learns, the learning synapses and their words), the slices on it and,
// with a placement, its mesh position; totals; cores used, available and the
// lower bound; per population its slices.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Emit.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cajal::mapping {

namespace {

nlohmann::ordered_json resource(uint64_t used, uint64_t limit) {
  nlohmann::ordered_json r;
  r["used"] = used;
  r["limit"] = limit;
  return r;
}

/// `learns`: the network has a learning projection, whose synapses and
/// words are shown apart; the reports of other networks keep their layout.
nlohmann::ordered_json resources(const CoreResources &u,
                                 const chip::CoreLimits &l, uint64_t cores,
                                 bool learns) {
  nlohmann::ordered_json r;
  r["compartments"] = resource(u.compartments, l.compartments * cores);
  r["inputAxons"] = resource(u.inputAxons, l.inputAxons * cores);
  r["outputAxons"] = resource(u.outputAxons, l.outputAxons * cores);
  r["synapseWords"] = resource(u.synapseWords, l.synapseWords * cores);
  r["synapses"] = u.synapses;
  if (learns) {
    r["learningSynapses"] = u.learningSynapses;
    r["learningSynapseWords"] = u.learningSynapseWords;
  }
  return r;
}

} // namespace

namespace {
/// An equation model's solver, formats, ranges and program size.
nlohmann::ordered_json equationReport(const EquationFormats &eq,
                                      const chip::Program &program) {
  nlohmann::ordered_json states = nlohmann::ordered_json::array();
  for (const StateFormat &s : eq.states)
    states.push_back({{"name", s.name},
                      {"fractionBits", s.fractionBits},
                      {"declaredRange", {s.lower, s.upper}},
                      {"rangeSource", s.rangeSource},
                      {"analysedRange", {s.nextLower, s.nextUpper}},
                      {"overflow", s.clipped ? "clipped to the declared range"
                                             : "proven impossible"}});
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const TableFormat &t : eq.tables)
    tables.push_back({{"table", t.table},
                      {"value", t.value},
                      {"of", t.variable},
                      {"range", {t.lower, t.upper}},
                      {"entries", t.entries},
                      {"segment", t.segment},
                      {"fractionBits", t.fractionBits},
                      {"largestValue", t.largest},
                      {"interpolationError", t.maxError}});
  return {{"model", eq.model},
          {"solver", eq.solver},
          {"step", eq.step},
          {"inputFractionBits", eq.inputFractionBits},
          {"states", std::move(states)},
          {"computedByCompiler", eq.hoisted},
          {"lookupTables", std::move(tables)},
          {"instructions", program.code.size()}};
}
} // namespace

std::string fitReport(const Network &net, const Partitioning &part,
                      const chip::Profile &profile,
                      const Placement *placement) {
  nlohmann::ordered_json report;
  report["network"] = net.name;
  report["profile"] = profile.name;
  report["coresUsed"] = part.coreCount();
  report["coresAvailable"] = profile.mesh.totalCores();
  report["coresLowerBound"] = part.lowerBound;
  CoreResources total;
  for (const CoreResources &u : part.coreUse)
    total += u;
  const bool learns =
      std::any_of(net.projections.begin(), net.projections.end(),
                  [](const Projection &p) { return p.learns(); });
  report["totals"] = resources(total, profile.core, part.coreCount(), learns);
  if (placement)
    report["trafficCost"] = placement->cost;
  if (part.omittedTraffic > 0) // core pairs beyond maxTrafficSources
    report["trafficOmittedAxons"] = part.omittedTraffic;
  nlohmann::ordered_json cores = nlohmann::ordered_json::array();
  for (uint32_t c = 0; c < part.coreCount(); ++c) {
    nlohmann::ordered_json core;
    core["core"] = c;
    if (placement && c < placement->cores.size()) {
      core["x"] = placement->cores[c].x;
      core["y"] = placement->cores[c].y;
      core["slot"] = placement->cores[c].slot;
    }
    core["resources"] = resources(part.coreUse[c], profile.core, 1, learns);
    nlohmann::ordered_json slices = nlohmann::ordered_json::array();
    for (uint32_t s : part.coreSlices[c]) {
      const SliceInfo &info = part.slices[s];
      slices.push_back({{"population", net.populations[info.population].name},
                        {"firstNeuron", info.firstNeuron},
                        {"count", info.count},
                        {"firstCompartment", info.firstCompartment}});
    }
    core["slices"] = std::move(slices);
    cores.push_back(std::move(core));
  }
  report["cores"] = std::move(cores);
  nlohmann::ordered_json pops = nlohmann::ordered_json::array();
  for (uint32_t p = 0; p < net.populations.size(); ++p) {
    nlohmann::ordered_json slices = nlohmann::ordered_json::array();
    for (const SliceInfo &s : part.slices)
      if (s.population == p)
        slices.push_back({{"core", s.core},
                          {"firstNeuron", s.firstNeuron},
                          {"count", s.count}});
    nlohmann::ordered_json pop = {{"name", net.populations[p].name},
                                  {"size", net.populations[p].size},
                                  {"slices", std::move(slices)}};
    if (const std::vector<TreeNode> &tree = net.populations[p].tree;
        !tree.empty()) {
      // A neuron's compartments, in the order the core holds them.
      nlohmann::ordered_json compartments = nlohmann::ordered_json::array();
      for (const TreeNode &node : tree)
        compartments.push_back(
            {{"name", node.name},
             {"parent", node.parent < 0 ? std::string()
                                        : tree[size_t(node.parent)].name}});
      pop["compartmentsPerNeuron"] = tree.size();
      pop["tree"] = std::move(compartments);
    }
    if (const EquationFormats *eq = net.populations[p].equationFormats.get())
      pop["equations"] =
          equationReport(*eq, *net.populations[p].equationProgram);
    pops.push_back(std::move(pop));
  }
  report["populations"] = std::move(pops);
  return report.dump(2) + "\n";
}

} // namespace cajal::mapping
