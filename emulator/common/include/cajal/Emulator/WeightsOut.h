//===- WeightsOut.h - Learned weights: snapshots in CSV or HDF5 -*- C++ -*-===//
//
// `cajal run --weights-out`: the synapses of an image's learning groups
// (docs/learning.md), named by what the network calls their ends (the
// sending population neuron or source channel, the receiving population
// neuron), with their weight, delay and tag at chosen steps. Any engine that
// learns gives its synapses as chip::Synapse lists per input axon
// (`synapses(core, axon)`); the writer takes a snapshot of them.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_WEIGHTSOUT_H
#define CAJAL_EMULATOR_WEIGHTSOUT_H

#include "cajal/Chip/AtomicFile.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Result.h"
#include "cajal/Emulator/SpikeIO.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::emulator {

/// Where one learning synapse is and what it connects.
struct LearningSynapseSite {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t core = 0, axon = 0, index = 0; ///< its place in the image
  int8_t weightExponent = 0;              ///< its group's
  /// The first sender that reaches its input axon (NodeTable node and
  /// index); kNone when nothing does.
  uint32_t preNode = kNone, preIndex = kNone;
  /// The population neuron its compartment belongs to (kNone outside every
  /// population).
  uint32_t postNode = kNone, postIndex = kNone;
};

/// Every synapse of the image's learning groups, in core, axon, synapse
/// order; with `only` non-empty, just those whose sender or receiver is one
/// of the named nodes (an unknown name is an error naming it).
Result<std::vector<LearningSynapseSite>> learningSynapseSites(
    const chip::Image &image, const chip::SynapseFormat &format,
    const spikeio::NodeTable &nodes, const std::vector<std::string> &only = {});

/// Snapshots of learning synapses, written when the run ends: CSV
/// `step,pre,pre_index,post,post_index,weight,mantissa,delay,tag` (one row
/// per synapse and snapshot; `step` counts the steps run), or HDF5 for a
/// .h5/.hdf5 name (docs/learning.md, "Learned weights"). Nothing is written
/// unless finish() succeeds.
class WeightsWriter {
public:
  static Result<WeightsWriter> create(const std::string &path,
                                      const chip::Image &image,
                                      const chip::SynapseFormat &format,
                                      const spikeio::NodeTable &nodes,
                                      const std::vector<std::string> &only);

  /// The synapses as `engine` holds them after `stepsRun` steps.
  template <typename Engine>
  void snapshot(uint32_t stepsRun, const Engine &engine) {
    steps.push_back(stepsRun);
    std::vector<chip::Synapse> group;
    for (size_t i = 0; i < sites.size(); ++i) {
      const LearningSynapseSite &s = sites[i];
      if (i == 0 || s.core != sites[i - 1].core || s.axon != sites[i - 1].axon)
        group = engine.synapses(s.core, s.axon);
      values.push_back(group[s.index]);
    }
  }
  size_t synapseCount() const { return sites.size(); }
  Status finish();

private:
  WeightsWriter(AtomicFile out, std::vector<LearningSynapseSite> where,
                const spikeio::NodeTable &nodeTable, unsigned shift)
      : file(std::move(out)), sites(std::move(where)), nodes(nodeTable),
        weightShift(shift) {}
  Status writeCsv();
  Status writeHdf5();
  int64_t weightOf(size_t site, const chip::Synapse &s) const;

  AtomicFile file;
  std::vector<LearningSynapseSite> sites;
  spikeio::NodeTable nodes;
  unsigned weightShift = 0;
  std::vector<uint32_t> steps;
  /// Snapshot k's synapses are values[k * sites.size() ...].
  std::vector<chip::Synapse> values;
};

} // namespace cajal::emulator

#endif // CAJAL_EMULATOR_WEIGHTSOUT_H
