//===- NIRFuzzer.cpp - libFuzzer target: NIR (HDF5) import ----------------===//
//
// An input is a NIR file: HDF5 bytes that HDF5's core (in-memory) driver
// opens as a file image, no file on disk. importNIRFileImage then runs the
// whole frontend: the HDF5 reader, flattening of nested graphs, shape
// inference, lowering of the linear nodes and the snn.network builder (whose
// result is verified). Diagnostics are swallowed (CAJAL_FUZZ_VERBOSE=1
// prints them).
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/NIR/NIRImport.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" const char *__lsan_default_suppressions();

// libhdf5 1.10 loses small blocks on some error paths of damaged files; the
// leaks are inside the library (its frames only), not in Cajal's reader.
extern "C" const char *__lsan_default_suppressions() {
  return "leak:libhdf5_serial.so\n";
}

namespace {
constexpr double kTimeStep = 1e-3; ///< seconds, as the e2e NIR tests use
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.getOrLoadDialect<cajal::snn::SNNDialect>();
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &d) {
    if (cajal::fuzz::verbose())
      llvm::errs() << d << "\n";
    return mlir::success();
  });
  cajal::nir::NIRImportOptions options;
  options.dt = kTimeStep;
  // Both reset modes: the choice changes which neuron parameters are used.
  options.resetBySubtraction = size % 2 == 1;
  auto module =
      cajal::nir::importNIRFileImage(data, size, "fuzz.nir", context, options);
  (void)module;
  return 0;
}
