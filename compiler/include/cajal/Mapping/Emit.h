//===- Emit.h - Write the chip image and the fit report ---------*- C++ -*-===//
//
// Emission materialises synapses core by core (memory follows the largest
// core, not the network): for each core, each of its slices and each
// projection onto it, the synapses are grouped per input axon (the
// Partitioning's AxonGroups fix the numbering), packed with
// chip::packSynapses, and the core is handed to chip::ImageWriter (a few
// cores at a time, built on several threads). Output
// axons of each compartment and the sources' fan-out point at those input
// axons; population slices map names back to cores.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_EMIT_H
#define CAJAL_MAPPING_EMIT_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Mapping/Network.h"
#include "cajal/Mapping/Partition.h"
#include "cajal/Mapping/Place.h"

#include <string>

namespace cajal::mapping {

/// Build the image in memory (tests and small networks).
Result<chip::Image> buildImage(const Network &net, const Partitioning &part,
                               const Placement &placement,
                               const chip::Profile &profile);

/// Stream the image to `path` (atomic: no file on failure). The cores are
/// built and compressed on up to `threads` threads and written in order:
/// the file is the same byte for byte whatever `threads`.
Status emitImage(const Network &net, const Partitioning &part,
                 const Placement &placement, const chip::Profile &profile,
                 const std::string &path, unsigned threads = 1);

/// JSON text: profile name, cores used / available, lower bound, totals,
/// and per core each resource's used and limit (and x, y, slot when a
/// placement is given), and per population its slices.
std::string fitReport(const Network &net, const Partitioning &part,
                      const chip::Profile &profile,
                      const Placement *placement = nullptr);

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_EMIT_H
