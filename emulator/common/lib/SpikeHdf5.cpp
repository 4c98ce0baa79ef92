//===- SpikeHdf5.cpp - Spikes in an HDF5 file -----------------------------===//
#include "cajal/Emulator/SpikeHdf5.h"

#include "cajal/Chip/Hdf5Handle.h"

namespace cajal::spikeio {
namespace {

using hdf5::Handle;

bool writeU32Attribute(hid_t on, const char *name, uint32_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(space ? H5Acreate2(on, name, H5T_STD_U32LE, space.get(),
                                 H5P_DEFAULT, H5P_DEFAULT)
                    : -1,
              H5Aclose);
  return attr && H5Awrite(attr.get(), H5T_NATIVE_UINT32, &value) >= 0;
}

bool writeStringAttribute(hid_t on, const char *name,
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

bool writeU32Dataset(hid_t in, const char *name,
                     const std::vector<uint32_t> &values) {
  const hsize_t dims[1] = {values.size()};
  Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  Handle data(space ? H5Dcreate2(in, name, H5T_STD_U32LE, space.get(),
                                 H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)
                    : -1,
              H5Dclose);
  if (!data)
    return false;
  return values.empty() || H5Dwrite(data.get(), H5T_NATIVE_UINT32, H5S_ALL,
                                    H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
}

} // namespace

bool isHdf5Path(const std::string &path) {
  auto endsWith = [&](const char *suffix) {
    const size_t n = std::char_traits<char>::length(suffix);
    return path.size() > n && path.compare(path.size() - n, n, suffix) == 0;
  };
  return endsWith(".h5") || endsWith(".hdf5");
}

Result<SpikeHdf5Writer> SpikeHdf5Writer::create(const std::string &path,
                                                const NodeTable &nodes) {
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    const std::string &name = nodes.name(n);
    if (name.empty() || name == "." || name.find('/') != std::string::npos)
      return makeError(path + ": node \"" + name +
                       "\" cannot name an HDF5 group (no '/', not \".\")");
  }
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return file.takeError();
  return SpikeHdf5Writer(std::move(*file), nodes);
}

Status SpikeHdf5Writer::finish() {
  // HDF5 writes the temporary by its path; AtomicFile renames it into
  // place. HDF5's own error printing is off: the message below says it.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string &temp = file.temporaryPath();
  auto failed = [&](const std::string &what) {
    return makeError(file.path() + ": cannot write the HDF5 spike file (" +
                     what + ")");
  };
  {
    Handle h5(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
              H5Fclose);
    if (!h5)
      return failed("create");
    if (!writeStringAttribute(h5.get(), "format", "cajal-spikes") ||
        !writeU32Attribute(h5.get(), "version", 1))
      return failed("root attributes");
    Handle spikes(
        H5Gcreate2(h5.get(), "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Gclose);
    if (!spikes)
      return failed("group spikes");
    for (uint32_t n = 0; n < nodes.size(); ++n) {
      const Node &node = perNode[n];
      if (node.steps.empty())
        continue;
      const std::string &name = nodes.name(n);
      Handle group(H5Gcreate2(spikes.get(), name.c_str(), H5P_DEFAULT,
                              H5P_DEFAULT, H5P_DEFAULT),
                   H5Gclose);
      if (!group || !writeU32Dataset(group.get(), "step", node.steps) ||
          !writeU32Dataset(group.get(), "index", node.indices) ||
          !writeU32Attribute(group.get(), "size", nodes.nodeSize(n)))
        return failed("node " + name);
    }
    if (H5Fflush(h5.get(), H5F_SCOPE_GLOBAL) < 0)
      return failed("flush");
  }
  return file.commit();
}

Status writeSpikeFile(const std::string &path, const NodeTable &nodes,
                      const std::vector<SpikeRecord> &spikes) {
  return writeSpikesWith<SpikeFileWriter>(path, nodes, spikes);
}

} // namespace cajal::spikeio
