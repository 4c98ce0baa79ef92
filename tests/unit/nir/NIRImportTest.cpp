//===- NIRImportTest.cpp - importNIRFile: IR and located diagnostics ------===//
#include "TestUtil.h"

#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/NIR/NIRImport.h"

#include "mlir/IR/Diagnostics.h"

using namespace cajal;
using namespace cajal::nirtest;

namespace {

GraphSpec cubaModel() {
  GraphSpec g;
  g.nodes["input"] = input({2});
  g.nodes["fc"] = node("Affine", {{"weight", numbers({1, 0, 0, 1}, {2, 2})},
                                  {"bias", numbers({0.5, 0.25})}});
  g.nodes["hidden"] = node("CubaLIF", {{"tau_mem", numbers({0.01, 0.01})},
                                       {"tau_syn", numbers({0.005, 0.005})},
                                       {"r", numbers({1, 1})},
                                       {"v_leak", numbers({0, 0})},
                                       {"v_threshold", numbers({1, 1})},
                                       {"w_in", numbers({2, 2})}});
  g.nodes["output"] = output({2});
  g.edges = {{"input", "fc"}, {"fc", "hidden"}, {"hidden", "output"}};
  return g;
}

struct Imported {
  mlir::MLIRContext context;
  std::vector<std::string> errors, locations;
  mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> module = mlir::failure();
};

std::unique_ptr<Imported> import(const GraphSpec &g, double dt = 1e-3) {
  auto out = std::make_unique<Imported>();
  const std::string path = tempPath("model.nir");
  writeNIR(path, g);
  mlir::ScopedDiagnosticHandler handler(&out->context,
                                        [&](mlir::Diagnostic &d) {
                                          out->errors.push_back(d.str());
                                          std::string loc;
                                          llvm::raw_string_ostream os(loc);
                                          d.getLocation().print(os);
                                          out->locations.push_back(os.str());
                                          return mlir::success();
                                        });
  nir::NIRImportOptions options;
  options.dt = dt;
  out->module = nir::importNIRFile(path, out->context, options);
  return out;
}

TEST(NIRImportTest, BuildsANetworkWithContinuousParameters) {
  auto in = import(cubaModel());
  ASSERT_TRUE(succeeded(in->module));
  auto nets = (**in->module).getOps<snn::NetworkOp>();
  ASSERT_EQ(std::distance(nets.begin(), nets.end()), 1);
  snn::NetworkOp net = *nets.begin();
  EXPECT_EQ(net.getSymName(), "cajal-nir-" + std::to_string(::getpid()) +
                                  "-NIRImportTest-"
                                  "BuildsANetworkWithContinuousParameters-"
                                  "model");
  EXPECT_DOUBLE_EQ(*net.getTimeStep(), 1e-3);
  auto pops = net.getBodyBlock()->getOps<snn::PopulationOp>();
  ASSERT_EQ(std::distance(pops.begin(), pops.end()), 1);
  snn::PopulationOp hidden = *pops.begin();
  EXPECT_EQ(hidden.getSymName(), "hidden");
  EXPECT_EQ(hidden.getModel(), snn::NeuronModel::CubaLIF);
  auto params = mlir::cast<snn::ContinuousParamsAttr>(hidden.getParams());
  EXPECT_DOUBLE_EQ(snn::fieldAt(params.getTauSyn(), 0, 0), 0.005);
  // The Affine bias enters the synaptic current through w_in.
  EXPECT_DOUBLE_EQ(snn::fieldAt(params.getBias(), 0, 0), 1.0);
  EXPECT_DOUBLE_EQ(snn::fieldAt(params.getBias(), 1, 0), 0.5);
  auto projs = net.getBodyBlock()->getOps<snn::ProjectionOp>();
  ASSERT_EQ(std::distance(projs.begin(), projs.end()), 1);
  EXPECT_EQ((*projs.begin()).getSymName(), "fc");
}

TEST(NIRImportTest, ErrorsAreLocatedAtTheNode) {
  GraphSpec g = cubaModel();
  g.nodes["hidden"].data["tau_syn"] = numbers({0.005, -1});
  auto in = import(g);
  EXPECT_TRUE(failed(in->module));
  ASSERT_EQ(in->errors.size(), 1u);
  EXPECT_EQ(in->errors[0], "node 'hidden': tau_syn[1] = -1 s must be > 0");
  EXPECT_NE(in->locations[0].find("\"hidden\""), std::string::npos)
      << in->locations[0];
  EXPECT_NE(in->locations[0].find("model.nir"), std::string::npos);
}

TEST(NIRImportTest, RefusesAMissingTimeStep) {
  auto in = import(cubaModel(), 0.0);
  EXPECT_TRUE(failed(in->module));
  ASSERT_EQ(in->errors.size(), 1u);
  EXPECT_NE(in->errors[0].find("needs a time step"), std::string::npos);
}

TEST(NIRImportTest, IntegratorsBecomeNonSpikingDiscretePopulations) {
  GraphSpec g;
  g.nodes["input"] = input({1});
  g.nodes["fc"] = linear(1, 1, {1});
  g.nodes["acc"] = node("I", {{"r", numbers({2})}});
  g.edges = {{"input", "fc"}, {"fc", "acc"}};
  auto in = import(g, 1e-3);
  ASSERT_TRUE(succeeded(in->module));
  snn::NetworkOp net = *(**in->module).getOps<snn::NetworkOp>().begin();
  snn::PopulationOp acc =
      *net.getBodyBlock()->getOps<snn::PopulationOp>().begin();
  EXPECT_EQ(acc.getModel(), snn::NeuronModel::LI);
  auto d = mlir::cast<snn::DiscreteParamsAttr>(acc.getParams());
  EXPECT_DOUBLE_EQ(snn::fieldAt(d.getDecayV(), 0, -1), 0.0);      // no leak
  EXPECT_DOUBLE_EQ(snn::fieldAt(d.getInputScale(), 0, -1), 2e-3); // r dt
}

} // namespace
