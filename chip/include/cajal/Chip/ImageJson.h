//===- ImageJson.h - Chip image as JSON and as a human summary --*- C++ -*-===//
//
// printImageJson writes every table of an image, synapses unpacked, with a
// fixed key order and one record per line so that two images can be diffed
// and so that the numpy reference model can read it (layout in
// docs/chip-image.md, "JSON form"). printImageSummary is the short report of
// `cajal inspect`.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_IMAGEJSON_H
#define CAJAL_CHIP_IMAGEJSON_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <ostream>

namespace cajal::chip {

/// The whole image as JSON; `profile` gives the synapse format used to
/// unpack synapses and the neuron format copied into the output.
void printImageJson(const Image &image, const Profile &profile,
                    std::ostream &os);
/// As above with the image's own profile, found by name in
/// defaultProfileDir(); an error (nothing printed) if it is missing or its
/// fingerprint differs from the image's.
Status printImageJson(const Image &image, std::ostream &os);

/// Human summary: cores used (of the profile's total), per-core utilisation
/// of compartments / input axons / output axons / synapse words, populations
/// with their slices, sources, synapse count. `profile` may be null (then
/// limits and synapse counts that need the format are omitted).
void printImageSummary(const Image &image, const Profile *profile,
                       std::ostream &os);

} // namespace cajal::chip

#endif // CAJAL_CHIP_IMAGEJSON_H
