//===- cajal-float-run.cpp - The float engine: before quantisation --------===//
//
//   cajal-float-run model.{nir,mlir} --steps N [--dt S] [--reset subtract]
//       [--method exact|euler] [--input in.csv] [--spikes-out out.csv]
//       [--compare golden.csv]
// discretises the network (snn-discretize) and runs it in floating point
// (cajal/Transforms/FloatEngine.h). It prints each population's spike count
// and, with --compare (the golden model's spikes of the same input), the
// golden count and their agreement min/max (1 when both are 0): what
// quantisation changed, population by population.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/NIR/NIRImport.h"
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>
#include <map>
#include <sstream>

using namespace llvm;

namespace {
cl::OptionCategory category("cajal-float-run options");
cl::opt<std::string> input(cl::Positional, cl::desc("<model.nir|model.mlir>"),
                           cl::Required, cl::cat(category));
cl::opt<unsigned> steps("steps", cl::desc("Steps to run"), cl::Required,
                        cl::cat(category));
cl::opt<double> dt("dt", cl::desc("Time step in seconds (NIR: required)"),
                   cl::init(0.0), cl::cat(category));
cl::opt<std::string> reset("reset", cl::desc("NIR reset: zero or subtract"),
                           cl::init("zero"), cl::cat(category));
cl::opt<std::string> method("method", cl::desc("Discretisation: exact, euler"),
                            cl::init("exact"), cl::cat(category));
cl::opt<std::string> spikesIn("input",
                              cl::desc("Input spikes (step,node,index)"),
                              cl::cat(category));
cl::opt<std::string> spikesOut("spikes-out", cl::desc("Write spikes here"),
                               cl::cat(category));
cl::opt<std::string> compare("compare",
                             cl::desc("Golden-model spikes to compare counts"),
                             cl::cat(category));

int fail(const std::string &message) {
  errs() << "cajal-float-run: error: " << message << "\n";
  return 1;
}

/// Rows `step,node,index` after a header line; "" or the error.
std::string readSpikes(const std::string &path,
                       std::vector<cajal::FloatSpike> &out) {
  std::ifstream in(path);
  if (!in)
    return path + ": cannot open";
  std::string line;
  std::getline(in, line);
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty())
      continue;
    std::stringstream row(line);
    std::string step, node, index;
    if (!std::getline(row, step, ',') || !std::getline(row, node, ',') ||
        !std::getline(row, index))
      return path + ":" + std::to_string(number) + ": expected step,node,index";
    char *end = nullptr;
    const unsigned long s = std::strtoul(step.c_str(), &end, 10);
    char *end2 = nullptr;
    const unsigned long i = std::strtoul(index.c_str(), &end2, 10);
    if (step.empty() || *end || index.empty() || *end2)
      return path + ":" + std::to_string(number) + ": '" + line +
             "' is not step,node,index";
    out.push_back(cajal::FloatSpike{uint32_t(s), node, uint32_t(i)});
  }
  return "";
}

mlir::OwningOpRef<mlir::ModuleOp> load(mlir::MLIRContext &context,
                                       SourceMgr &sourceMgr) {
  if (sys::path::extension(input).equals_insensitive(".nir")) {
    cajal::nir::NIRImportOptions options;
    options.dt = dt;
    options.resetBySubtraction = reset == "subtract";
    auto module = cajal::nir::importNIRFile(input, context, options);
    return failed(module) ? nullptr : std::move(*module);
  }
  auto module =
      mlir::parseSourceFile<mlir::ModuleOp>(input, sourceMgr, &context);
  if (module && dt > 0)
    module->walk([&](cajal::snn::NetworkOp net) {
      net->setAttr("dt", mlir::Builder(&context).getF64FloatAttr(dt));
    });
  return module;
}

void printCounts(const cajal::FloatRun &run,
                 const std::map<std::string, uint64_t> *golden) {
  outs() << "population float" << (golden ? " golden agreement" : "") << "\n";
  for (size_t p = 0; p < run.populations.size(); ++p) {
    outs() << run.populations[p] << " " << run.spikeCounts[p];
    if (golden) {
      auto it = golden->find(run.populations[p]);
      const uint64_t g = it == golden->end() ? 0 : it->second;
      const uint64_t hi = std::max(g, run.spikeCounts[p]);
      const double agreement =
          hi == 0 ? 1.0 : double(std::min(g, run.spikeCounts[p])) / double(hi);
      outs() << " " << g << " " << format("%.3f", agreement);
    }
    outs() << "\n";
  }
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "Cajal float engine\n");
  mlir::MLIRContext context;
  context.loadDialect<cajal::snn::SNNDialect>();
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module = load(context, sourceMgr);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  pm.nest<cajal::snn::NetworkOp>().addPass(
      cajal::createSNNDiscretize({method}));
  if (failed(pm.run(*module)))
    return 1;
  std::vector<cajal::FloatSpike> inputs;
  if (!spikesIn.empty())
    if (std::string e = readSpikes(spikesIn, inputs); !e.empty())
      return fail(e);
  auto nets = module->getOps<cajal::snn::NetworkOp>();
  if (std::distance(nets.begin(), nets.end()) != 1)
    return fail(input + ": expected exactly one snn.network");
  auto run = cajal::runFloat(*nets.begin(), steps, inputs);
  if (failed(run))
    return 1;
  if (!spikesOut.empty()) {
    std::ofstream out(spikesOut);
    out << "step,node,index\n";
    for (const cajal::FloatSpike &s : run->spikes)
      out << s.step << "," << s.node << "," << s.index << "\n";
    if (!out)
      return fail(spikesOut + ": cannot write");
  }
  std::map<std::string, uint64_t> golden;
  if (!compare.empty()) {
    std::vector<cajal::FloatSpike> spikes;
    if (std::string e = readSpikes(compare, spikes); !e.empty())
      return fail(e);
    for (const cajal::FloatSpike &s : spikes)
      ++golden[s.node];
  }
  printCounts(*run, compare.empty() ? nullptr : &golden);
  return 0;
}
