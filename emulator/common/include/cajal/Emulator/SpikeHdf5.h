//===- SpikeHdf5.h - Spikes in an HDF5 file --------------------*- C++ -*-===//
//
// `--spikes-out NAME.h5` (or .hdf5) writes the spikes as HDF5, laid out for
// h5py and NIR users: a group `spikes` with one group per node that
// spiked, named as the node (a population or a source of the image), each
// holding two equally long uint32 datasets in the order the run produced
// them, `step` (from 0) and `index` (the neuron), and the attribute `size`
// (the node's neurons). The root has the attributes `format`
// ("cajal-spikes") and `version` (1). The spikes are kept in memory (8
// bytes each) and written by finish() to a temporary file renamed into
// place, so a failed or interrupted run leaves no file.
//
//   import h5py
//   f = h5py.File("spikes.h5")
//   steps, neurons = f["spikes/exc/step"][:], f["spikes/exc/index"][:]
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_SPIKEHDF5_H
#define CAJAL_EMULATOR_SPIKEHDF5_H

#include "cajal/Emulator/SpikeIO.h"

namespace cajal::spikeio {

/// Whether `path` names an HDF5 spike file (.h5 or .hdf5).
bool isHdf5Path(const std::string &path);

class SpikeHdf5Writer {
public:
  /// Fails if a node name cannot name an HDF5 group ('/', ".", empty).
  static Result<SpikeHdf5Writer> create(const std::string &path,
                                        const NodeTable &nodes);
  void add(const SpikeRecord &spike) {
    Node &n = perNode[spike.node];
    n.steps.push_back(spike.step);
    n.indices.push_back(spike.index);
  }
  Status finish();

private:
  SpikeHdf5Writer(AtomicFile out, const NodeTable &nodeTable)
      : file(std::move(out)), nodes(nodeTable), perNode(nodeTable.size()) {}
  struct Node {
    std::vector<uint32_t> steps, indices;
  };
  AtomicFile file;
  NodeTable nodes;
  std::vector<Node> perNode;
};

/// A spike file as its name asks: HDF5 for .h5/.hdf5, CSV otherwise.
class SpikeFileWriter {
public:
  static Result<SpikeFileWriter> create(const std::string &path,
                                        const NodeTable &nodes) {
    SpikeFileWriter w;
    if (isHdf5Path(path)) {
      Result<SpikeHdf5Writer> h5 = SpikeHdf5Writer::create(path, nodes);
      if (!h5)
        return h5.takeError();
      w.hdf5.emplace(std::move(*h5));
    } else {
      Result<SpikeCsvWriter> csv = SpikeCsvWriter::create(path, nodes);
      if (!csv)
        return csv.takeError();
      w.csv.emplace(std::move(*csv));
    }
    return w;
  }
  void add(const SpikeRecord &spike) {
    if (csv)
      csv->add(spike);
    else
      hdf5->add(spike);
  }
  Status finish() { return csv ? csv->finish() : hdf5->finish(); }

private:
  std::optional<SpikeCsvWriter> csv;
  std::optional<SpikeHdf5Writer> hdf5;
};

/// Write `spikes` atomically as CSV or, for a .h5/.hdf5 path, HDF5.
Status writeSpikeFile(const std::string &path, const NodeTable &nodes,
                      const std::vector<SpikeRecord> &spikes);

} // namespace cajal::spikeio

#endif // CAJAL_EMULATOR_SPIKEHDF5_H
