//===- Hdf5.h - HDF5 handles and safe string reading (internal) -*- C++ -*-===//
//
// The NIR reader's view of an open HDF5 file: handles that close
// themselves, and variable-length strings read without letting libhdf5
// follow the file's global-heap references (HdfStrings.cpp says why).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_NIR_LIB_HDF5_H
#define CAJAL_NIR_LIB_HDF5_H

#include "cajal/Chip/Hdf5Handle.h"
#include "cajal/Chip/Result.h"

#include <hdf5.h>

#include <string>
#include <vector>

namespace cajal::nir {

using hdf5::Handle;

/// The open HDF5 file; nir::File keeps it until loadParameters has read
/// every deferred dataset.
struct OpenFile {
  explicit OpenFile(hid_t handle) : file(handle, H5Fclose) {}
  Handle file;
};

/// Read the `count` variable-length strings of dataset `ds` of `file`,
/// checking every reference into the file's global heap before following
/// it; at most `maxBytes` bytes of text in all.
Status readVariableStrings(hid_t file, hid_t ds, size_t count,
                           uint64_t maxBytes, std::vector<std::string> &out);

} // namespace cajal::nir

#endif // CAJAL_NIR_LIB_HDF5_H
