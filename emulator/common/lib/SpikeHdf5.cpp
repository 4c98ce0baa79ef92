//===- SpikeHdf5.cpp - Spikes in an HDF5 file -----------------------------===//
#include "cajal/Emulator/SpikeHdf5.h"

#include "Hdf5Write.h"

namespace cajal::spikeio {

using hdf5::Handle;
using hdf5::writeStringAttribute;
using hdf5::writeU32Attribute;
using hdf5::writeU32Dataset;

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
