//===- SpikeIO.h - Spike and state-probe CSV files --------------*- C++ -*-===//
//
// Spikes enter and leave the engines (golden model, SystemC model) as CSV
// files with the header `step,node,index`: `step` counts from 0, `node` is the
// name of a population or a source of the chip image and `index` is the flat
// neuron (or channel) index within it. State probes are CSV files with the
// header `step,node,index,u,v`.
//
// Node names are interned once per image in a NodeTable: population p has id
// p, source s has id populations.size() + s. Readers validate every field and
// name the file, the line, the node and the value in their errors; writers
// write to a temporary file and rename it into place on finish(), so a failed
// or interrupted run never leaves a partial file behind.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_SPIKEIO_H
#define CAJAL_EMULATOR_SPIKEIO_H

#include "cajal/Chip/AtomicFile.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cajal::spikeio {

/// The populations, sources and population aliases of an image, by interned
/// id: populations first, then sources, then aliases (names under which a
/// population's spikes are recorded too, e.g. NIR Output nodes).
class NodeTable {
public:
  NodeTable() = default;
  explicit NodeTable(const chip::Image &image);

  uint32_t size() const { return uint32_t(names.size()); }
  uint32_t populationCount() const { return populations; }
  const std::string &name(uint32_t node) const { return names[node]; }
  /// Neurons of a population, channels of a source.
  uint32_t nodeSize(uint32_t node) const { return sizes[node]; }
  bool isSource(uint32_t node) const {
    return node >= populations && node < populations + sourceCount();
  }
  uint32_t sourceCount() const { return uint32_t(kinds.size()); }
  bool isExternalSource(uint32_t node) const;
  uint32_t populationNode(uint32_t population) const { return population; }
  uint32_t sourceNode(uint32_t source) const { return populations + source; }
  /// Index into Image::sources of a source node.
  uint32_t sourceIndex(uint32_t node) const { return node - populations; }
  std::optional<uint32_t> find(std::string_view name) const;
  /// Alias node ids of a population (empty for most).
  const std::vector<uint32_t> &aliasNodes(uint32_t population) const {
    return aliases[population];
  }

private:
  uint32_t populations = 0;
  std::vector<std::string> names;
  std::vector<uint32_t> sizes;
  std::vector<chip::SourceKind> kinds;        ///< per source
  std::vector<std::vector<uint32_t>> aliases; ///< per population
  std::unordered_map<std::string, uint32_t> byName;
};

/// One spike: `index` of `node` (a NodeTable id) fired at `step`.
struct SpikeRecord {
  uint32_t step = 0;
  uint32_t node = 0;
  uint32_t index = 0;
  bool operator==(const SpikeRecord &o) const {
    return step == o.step && node == o.node && index == o.index;
  }
  bool operator<(const SpikeRecord &o) const {
    if (step != o.step)
      return step < o.step;
    return node != o.node ? node < o.node : index < o.index;
  }
};

/// Which nodes a spike file may name.
enum class NodeSet {
  Any,             ///< populations and sources
  Populations,     ///< recorded output
  ExternalSources, ///< `--input` spikes
};

/// Parse spike CSV text (`fileName` is only used in messages). The result is
/// sorted by (step, node, index); a repeated spike is an error.
Result<std::vector<SpikeRecord>> parseSpikeCsv(std::string_view text,
                                               const std::string &fileName,
                                               const NodeTable &nodes,
                                               NodeSet accept = NodeSet::Any);
/// Read and parse a spike CSV file.
Result<std::vector<SpikeRecord>> readSpikeCsv(const std::string &path,
                                              const NodeTable &nodes,
                                              NodeSet accept = NodeSet::Any);
/// Write `spikes` (in the given order) atomically.
Status writeSpikeCsv(const std::string &path, const NodeTable &nodes,
                     const std::vector<SpikeRecord> &spikes);

/// Streaming spike CSV writer: add() rows as a run produces them.
class SpikeCsvWriter {
public:
  /// Fails if a node name cannot be written as a CSV field.
  static Result<SpikeCsvWriter> create(const std::string &path,
                                       const NodeTable &nodes);
  void add(const SpikeRecord &spike);
  Status finish();

private:
  SpikeCsvWriter(AtomicFile out, const NodeTable &nodeTable)
      : file(std::move(out)), nodes(nodeTable) {}
  void flush();
  AtomicFile file;
  NodeTable nodes;
  /// Lines not yet written: buffer[0, used), flushed when a line might
  /// not fit (a spike costs a copy and a number, not a check per byte).
  std::string buffer;
  size_t used = 0;
  /// "step,node," of the last spike (prefixLength bytes, zero-padded to a
  /// multiple of 16): runs of spikes share it (a step's spikes come
  /// grouped by node), so most lines copy it.
  std::string prefix;
  size_t prefixLength = 0;
  uint32_t prefixStep = 0, prefixNode = UINT32_MAX;
};

/// One state sample of a probed neuron after the update of `step`.
struct StateRecord {
  uint32_t step = 0;
  uint32_t node = 0;
  uint32_t index = 0;
  int32_t u = 0;
  int32_t v = 0;
};

/// Streaming state-probe CSV writer (`step,node,index,u,v`).
class StateCsvWriter {
public:
  static Result<StateCsvWriter> create(const std::string &path,
                                       const NodeTable &nodes);
  void add(const StateRecord &sample);
  Status finish();

private:
  StateCsvWriter(AtomicFile out, const NodeTable &nodeTable)
      : file(std::move(out)), nodes(nodeTable) {}
  AtomicFile file;
  NodeTable nodes;
  std::string buffer;
};

/// Write `spikes` (in the given order) through a streaming writer
/// (create, add, finish): a file complete or none.
template <typename Writer>
Status writeSpikesWith(const std::string &path, const NodeTable &nodes,
                       const std::vector<SpikeRecord> &spikes) {
  Result<Writer> w = Writer::create(path, nodes);
  if (!w)
    return w.takeError();
  for (const SpikeRecord &s : spikes)
    w->add(s);
  return w->finish();
}

} // namespace cajal::spikeio

#endif // CAJAL_EMULATOR_SPIKEIO_H
