//===- Hdf5Handle.h - An HDF5 identifier that closes itself -----*- C++ -*-===//
//
// Header-only: the NIR reader and the HDF5 spike writer share it. A user
// links libhdf5 itself (HDF5::HDF5), CajalChip does not.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_HDF5HANDLE_H
#define CAJAL_CHIP_HDF5HANDLE_H

#include <hdf5.h>

namespace cajal::hdf5 {

/// Closes an HDF5 handle with the matching function (H5Fclose, H5Gclose,
/// ...); a negative id (a failed call) is not closed and tests false.
class Handle {
public:
  Handle(hid_t handle, herr_t (*closer)(hid_t)) : id(handle), close(closer) {}
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  ~Handle() {
    if (id >= 0)
      close(id);
  }
  hid_t get() const { return id; }
  explicit operator bool() const { return id >= 0; }

private:
  hid_t id;
  herr_t (*close)(hid_t);
};

} // namespace cajal::hdf5

#endif // CAJAL_CHIP_HDF5HANDLE_H
