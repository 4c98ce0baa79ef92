//===- Hdf5Write.h - Attributes and datasets the writers share --*- C++ -*-===//
//
// The few HDF5 calls the spike and weight writers make: scalar attributes
// and little-endian integer datasets of one or two dimensions. Each returns
// false on failure (HDF5's own error printing is off; the caller names
// what failed).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_LIB_HDF5WRITE_H
#define CAJAL_EMULATOR_LIB_HDF5WRITE_H

#include "cajal/Chip/Hdf5Handle.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::hdf5 {

inline bool writeU32Attribute(hid_t on, const char *name, uint32_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(space ? H5Acreate2(on, name, H5T_STD_U32LE, space.get(),
                                 H5P_DEFAULT, H5P_DEFAULT)
                    : -1,
              H5Aclose);
  return attr && H5Awrite(attr.get(), H5T_NATIVE_UINT32, &value) >= 0;
}

inline bool writeStringAttribute(hid_t on, const char *name,
                                 const std::string &value) {
  // Variable-length UTF-8: h5py reads it as a str.
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type || H5Tset_size(type.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0)
    return false;
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(space ? H5Acreate2(on, name, type.get(), space.get(), H5P_DEFAULT,
                                 H5P_DEFAULT)
                    : -1,
              H5Aclose);
  const char *text = value.c_str();
  return attr && H5Awrite(attr.get(), type.get(), &text) >= 0;
}

/// A dataset of `dims` (rows, or rows x columns) values of `fileType`,
/// read from `data` as `memoryType`.
inline bool writeDataset(hid_t in, const char *name, hid_t fileType,
                         hid_t memoryType, const void *data,
                         const std::vector<hsize_t> &dims) {
  Handle space(H5Screate_simple(int(dims.size()), dims.data(), nullptr),
               H5Sclose);
  Handle set(space ? H5Dcreate2(in, name, fileType, space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT)
                   : -1,
             H5Dclose);
  if (!set)
    return false;
  hsize_t count = 1;
  for (hsize_t d : dims)
    count *= d;
  return count == 0 || H5Dwrite(set.get(), memoryType, H5S_ALL, H5S_ALL,
                                H5P_DEFAULT, data) >= 0;
}

inline bool writeU32Dataset(hid_t in, const char *name,
                            const std::vector<uint32_t> &values) {
  return writeDataset(in, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, values.data(),
                      {values.size()});
}

/// Variable-length UTF-8 strings, one per row.
inline bool writeStringDataset(hid_t in, const char *name,
                               const std::vector<std::string> &values) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type || H5Tset_size(type.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0)
    return false;
  std::vector<const char *> text;
  for (const std::string &v : values)
    text.push_back(v.c_str());
  return writeDataset(in, name, type.get(), type.get(), text.data(),
                      {values.size()});
}

} // namespace cajal::hdf5

#endif // CAJAL_EMULATOR_LIB_HDF5WRITE_H
