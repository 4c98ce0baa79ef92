//===- Hdf5Strings.cpp - Variable-length strings, references checked ------===//
//
// A variable-length string is stored as a reference (length, global-heap
// collection address, object index) to an object of a global-heap
// collection elsewhere in the file. libhdf5 1.10 follows such references
// without checking them: an index past the collection's objects, a missing
// object or an object longer than the string's length makes it read or
// copy out of bounds (a crash on a damaged file). So the references are
// read as they are stored, through a conversion function that leaves the
// file's bytes untouched (variable-length string -> opaque), and each
// collection is parsed here from the file's raw bytes, every object header
// checked against the collection's bounds, before a string is taken from
// it. libhdf5 never reads the global heap.
//
//===----------------------------------------------------------------------===//
#include "Hdf5.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unistd.h>

namespace cajal::nir {

namespace {

/// A stored reference: 4-byte length, 8-byte address, 4-byte index.
constexpr size_t kReferenceBytes = 16;
/// Collections larger than this are refused.
constexpr uint64_t kMaxCollectionBytes = uint64_t(1) << 26;

/// The conversion HDF5 applies to a variable-length string read as an
/// opaque of the stored reference's size: none, the bytes stay as stored.
herr_t keepStoredForm(hid_t src, hid_t dst, H5T_cdata_t *cdata, size_t, size_t,
                      size_t, void *, void *, hid_t) {
  switch (cdata->command) {
  case H5T_CONV_INIT:
    cdata->need_bkg = H5T_BKG_NO;
    return H5Tis_variable_str(src) > 0 && H5Tget_class(dst) == H5T_OPAQUE &&
                   H5Tget_size(dst) == kReferenceBytes &&
                   H5Tget_size(src) == kReferenceBytes
               ? 0
               : -1;
  case H5T_CONV_CONV:
  case H5T_CONV_FREE:
    return 0;
  default:
    return -1;
  }
}

/// The opaque type the references are read as; the conversion to it is
/// registered once per process.
hid_t referenceType() {
  static const hid_t type = [] {
    const hid_t opaque = H5Tcreate(H5T_OPAQUE, kReferenceBytes);
    H5Tset_tag(opaque, "cajal stored variable-length string");
    Handle string(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(string.get(), H5T_VARIABLE);
    H5Tregister(H5T_PERS_SOFT, "cajal_keep_stored_vlen", string.get(), opaque,
                keepStoredForm);
    return opaque;
  }();
  return type;
}

uint64_t littleEndian(const uint8_t *p, size_t bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < bytes; ++i)
    v |= uint64_t(p[i]) << (8 * i);
  return v;
}

/// The global-heap collections of one file, parsed from its raw bytes.
class GlobalHeap {
public:
  explicit GlobalHeap(hid_t handle) : file(handle) {}
  Status open();
  Status object(uint64_t address, uint32_t index, uint32_t length,
                std::string &out);

private:
  struct Collection {
    std::vector<uint8_t> bytes;
    std::map<uint32_t, std::pair<size_t, uint64_t>> objects; ///< begin, size
  };
  bool raw(uint64_t address, size_t n, uint8_t *out) const;
  Status load(uint64_t address, const Collection *&out);

  hid_t file;
  int fd = -1;                             ///< sec2 driver
  const unsigned char *const *memory = {}; ///< core driver
  uint64_t base = 0, size = 0;
  size_t addressBytes = 8, sizeBytes = 8;
  std::map<uint64_t, Collection> collections;
};

Status GlobalHeap::open() {
  Handle access(H5Fget_access_plist(file), H5Pclose);
  Handle create(H5Fget_create_plist(file), H5Pclose);
  hsize_t userblock = 0, fileSize = 0;
  if (!access || !create || H5Pget_userblock(create.get(), &userblock) < 0 ||
      H5Pget_sizes(create.get(), &addressBytes, &sizeBytes) < 0 ||
      H5Fget_filesize(file, &fileSize) < 0)
    return makeError("cannot read the file's layout");
  if (addressBytes != 8 || (sizeBytes != 4 && sizeBytes != 8))
    return makeError("has " + std::to_string(addressBytes) +
                     "-byte addresses; variable-length strings are read from "
                     "files with 8-byte addresses");
  base = userblock;
  size = fileSize;
  const hid_t driver = H5Pget_driver(access.get());
  void *handle = nullptr;
  if (H5Fget_vfd_handle(file, access.get(), &handle) < 0 || !handle)
    return makeError("cannot reach the file's bytes");
  if (driver == H5FD_SEC2)
    fd = *static_cast<int *>(handle);
  else if (driver == H5FD_CORE)
    memory = static_cast<const unsigned char *const *>(handle);
  else
    return makeError("is opened through an HDF5 driver the reader does not "
                     "know");
  return Status::ok();
}

bool GlobalHeap::raw(uint64_t address, size_t n, uint8_t *out) const {
  const uint64_t offset = base + address;
  if (offset < base || offset > size || n > size - offset)
    return false;
  if (memory)
    return *memory && (std::memcpy(out, *memory + offset, n), true);
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, out + done, n - done, off_t(offset + done));
    if (got <= 0)
      return false;
    done += size_t(got);
  }
  return true;
}

Status GlobalHeap::load(uint64_t address, const Collection *&out) {
  auto found = collections.find(address);
  if (found != collections.end()) {
    out = &found->second;
    return Status::ok();
  }
  const std::string where =
      "global heap collection at " + std::to_string(address);
  // Header: "GCOL", version 1, 3 reserved bytes, the collection's size,
  // padded to 8 bytes; then objects: index (2), references (2), reserved
  // (4), size, data padded to 8 bytes; index 0 is the free space.
  const size_t header = (8 + sizeBytes + 7) / 8 * 8;
  const size_t objectHeader = 8 + sizeBytes;
  uint8_t head[16] = {};
  if (!raw(address, 8 + sizeBytes, head) || std::memcmp(head, "GCOL", 4) ||
      head[4] != 1)
    return makeError(where + " is not a global heap collection");
  const uint64_t total = littleEndian(head + 8, sizeBytes);
  // Checked against the file before anything is allocated for it.
  if (total < header || total > kMaxCollectionBytes ||
      total > size - std::min(size, base + address))
    return makeError(where + " has an impossible size " +
                     std::to_string(total));
  Collection c;
  c.bytes.resize(size_t(total));
  if (!raw(address, c.bytes.size(), c.bytes.data()))
    return makeError(where + " runs past the end of the file");
  for (size_t p = header; p + objectHeader <= total;) {
    const uint32_t index = uint32_t(littleEndian(&c.bytes[p], 2));
    const uint64_t bytes = littleEndian(&c.bytes[p + 8], sizeBytes);
    if (index == 0)
      break; // the free space: the rest of the collection
    const uint64_t padded = (bytes + 7) / 8 * 8;
    if (bytes > total || padded > total - p - objectHeader)
      return makeError(where + ": object " + std::to_string(index) +
                       " runs past the collection");
    if (!c.objects.emplace(index, std::make_pair(p + objectHeader, bytes))
             .second)
      return makeError(where + ": object " + std::to_string(index) +
                       " appears twice");
    p += objectHeader + size_t(padded);
  }
  out = &collections.emplace(address, std::move(c)).first->second;
  return Status::ok();
}

Status GlobalHeap::object(uint64_t address, uint32_t index, uint32_t length,
                          std::string &out) {
  const Collection *c = nullptr;
  if (Status s = load(address, c); !s)
    return s;
  auto it = c->objects.find(index);
  if (it == c->objects.end() || it->second.second != length)
    return makeError("a string refers to object " + std::to_string(index) +
                     " of the global heap collection at " +
                     std::to_string(address) + ", which " +
                     (it == c->objects.end()
                          ? std::string("does not exist")
                          : "holds " + std::to_string(it->second.second) +
                                " bytes, not " + std::to_string(length)));
  out.assign(reinterpret_cast<const char *>(&c->bytes[it->second.first]),
             length);
  return Status::ok();
}

} // namespace

Status readVariableStrings(hid_t file, hid_t ds, size_t count,
                           uint64_t maxBytes, std::vector<std::string> &out) {
  GlobalHeap heap(file);
  if (Status s = heap.open(); !s)
    return s;
  // A damaged header can give the stored references another size than the
  // dataspace implies; libhdf5 then copies past its buffers (seen fuzzing).
  Handle fileType(H5Dget_type(ds), H5Tclose);
  Handle space(H5Dget_space(ds), H5Sclose);
  if (!fileType || !space ||
      H5Sget_simple_extent_npoints(space.get()) != hssize_t(count) ||
      H5Dget_storage_size(ds) != hsize_t(count) * kReferenceBytes)
    return makeError("its stored strings do not match its shape");
  std::vector<uint8_t> references(count * kReferenceBytes);
  if (count > 0 && H5Dread(ds, referenceType(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                           references.data()) < 0)
    return makeError("cannot read its strings");
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t *r = &references[i * kReferenceBytes];
    const uint32_t length = uint32_t(littleEndian(r, 4));
    const uint64_t address = littleEndian(r + 4, 8);
    const uint32_t index = uint32_t(littleEndian(r + 12, 4));
    total += length;
    if (total > maxBytes)
      return makeError("holds more than " + std::to_string(maxBytes) +
                       " bytes of text");
    std::string text;
    if (address != 0 || length != 0)
      if (Status s = heap.object(address, index, length, text); !s)
        return s;
    out.push_back(std::move(text));
  }
  return Status::ok();
}

} // namespace cajal::nir
