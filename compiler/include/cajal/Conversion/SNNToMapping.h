//===- SNNToMapping.h - snn.network to mapping::Network ---------*- C++ -*-===//
//
// The bridge from the IR to the MLIR-free mapping library: populations,
// sources and projections of a quantized snn.network become a
// cajal::mapping::Network in op order, connectivity kept symbolic (rules,
// kernels; dense and sparse weights copied as integer mantissas). The op of
// each element is kept beside it so that a pass can report on, or annotate,
// the op a mapping result talks about.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CONVERSION_SNNTOMAPPING_H
#define CAJAL_CONVERSION_SNNTOMAPPING_H

#include "cajal/Chip/Profile.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/Mapping/Network.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <vector>

namespace cajal {

struct MappedNetwork {
  mapping::Network network;
  /// The op of network.populations[i], .sources[i], .projections[i].
  std::vector<snn::PopulationOp> populations;
  std::vector<mlir::Operation *> sources;
  std::vector<snn::ProjectionOp> projections;

  /// The op an error's subject names (a population, projection or source
  /// of this network), or null.
  mlir::Operation *opFor(const ErrorSubject &subject) const;
  /// Emit `error` at the op its subject names, else at `fallback`.
  mlir::InFlightDiagnostic emitErrorAt(const Error &error,
                                       mlir::Operation *fallback) const;
};

/// Build the mapping::Network of a quantized network. Fails, with an error
/// on the offending op, when a population is not #snn.quantized, a
/// projection has no integer weights or keeps an unfolded bias, a weight
/// blob's data is not available, or a value does not fit the field it is
/// stored in (a delay, period or file-source step above 2^32 - 1, a weight
/// exponent outside a signed byte): never truncated. A learning
/// projection's rule and traces are converted to `profile`'s fields and
/// checked against its learning limits (and the network's learning_epoch
/// against learning.maxEpochSteps), the error naming the projection.
mlir::FailureOr<MappedNetwork>
buildMappingNetwork(snn::NetworkOp network, const chip::Profile &profile);

/// A distribution attribute's numbers as the mapping draws them, and back.
mapping::Distribution toDistribution(const snn::DistributionParams &d);
snn::DistributionParams toDistributionParams(const mapping::Distribution &d);

/// A population's `initial` values (docs/mapping.md, "Initial state"), in
/// the units of its params; scaled by voltage_scale (1 without one) for the
/// LIF family and Izhikevich. An equation model's states get their scale
/// when the model is lowered (lowerEquationPopulations).
std::vector<mapping::InitialValue> initialValues(snn::PopulationOp pop);

/// The root of the dendritic tree `pop` belongs to (itself when it has no
/// parent), `byName` holding the network's populations; the verifier has
/// refused cycles and unknown parents.
snn::PopulationOp treeRoot(snn::PopulationOp pop,
                           const llvm::StringMap<snn::PopulationOp> &byName);

/// The fit check that comes before any per-neuron work: the population
/// sizes against the profile's compartments (mapping::checkCapacity); the
/// error is on the population it names, or on the network.
mlir::LogicalResult checkChipCapacity(snn::NetworkOp network,
                                      const chip::Profile &profile);

/// The image loader's range checks (chip::validateParams, with the
/// profile's limits) on every compartment parameter set of the network,
/// and every population's initial values against its program's state words
/// (mapping::checkInitialState); the error is on the population, naming the
/// field, the value and the range.
mlir::LogicalResult checkCompartments(const MappedNetwork &mapped,
                                      const chip::Profile &profile);

/// Load a profile by name (from the profile directory) or path; on failure
/// emit the loader's message as an error on `op`.
mlir::FailureOr<chip::Profile> loadProfileFor(mlir::Operation *op,
                                              llvm::StringRef nameOrPath);

/// Threads the mapping library may use in a pass (partitioning given
/// slices, emitting cores): the context's thread count, 1 when its
/// multithreading is off (`--mlir-disable-threading`, `cajal compile
/// --threads 1`). The results do not depend on it.
unsigned mappingThreads(mlir::MLIRContext *context);

/// The compartment parameters of one population's neuron `i`.
chip::CompartmentParams compartmentParams(snn::QuantizedParamsAttr params,
                                          snn::NeuronModel model, size_t i);

} // namespace cajal

#endif // CAJAL_CONVERSION_SNNTOMAPPING_H
