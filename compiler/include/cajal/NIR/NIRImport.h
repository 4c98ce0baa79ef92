//===- NIRImport.h - Import a NIR file as an snn.network --------*- C++ -*-===//
//
// importNIRFile reads a NIR file (HDF5), flattens nested graphs, infers and
// checks shapes, lowers the linear nodes onto projections and builds one
// snn.network named after the file. Neuron nodes keep their continuous
// parameters (snn-discretize turns them into per-step ones with the
// network's dt); docs/nir.md has the whole mapping. Errors are MLIR
// diagnostics located at NameLoc(node, file:0:0), so a tool prints
// "model.nir:0:0: error: node 'lif1': ...".
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_NIR_NIRIMPORT_H
#define CAJAL_NIR_NIRIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LogicalResult.h"

#include <string>

namespace cajal::nir {

struct NIRImportOptions {
  /// Time step (s) of the network; required, > 0. Delay nodes become steps
  /// with it, and it is the network's `dt` attribute.
  double dt = 0;
  /// NIR stores no reset mode: neurons reset to v_reset (0 by default).
  /// Models trained with reset by subtraction ask for it here; a profile
  /// must then allow it (chip/profiles/loihi1-nir.json does).
  bool resetBySubtraction = false;
  /// Name of the snn.network; empty: the file name without its extension.
  std::string networkName;
};

/// Import `path`. Needs the snn dialect (loaded here if it is not).
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importNIRFile(const std::string &path, mlir::MLIRContext &context,
              const NIRImportOptions &options);

/// Import a NIR file held in memory (an HDF5 file image of `size` bytes);
/// `name` stands for the file in messages and names the network.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importNIRFileImage(const void *data, size_t size, const std::string &name,
                   mlir::MLIRContext &context, const NIRImportOptions &options);

} // namespace cajal::nir

#endif // CAJAL_NIR_NIRIMPORT_H
