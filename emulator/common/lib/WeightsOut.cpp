//===- WeightsOut.cpp - Learned weights: snapshots in CSV or HDF5 ---------===//
#include "cajal/Emulator/WeightsOut.h"

#include "cajal/Chip/Compartment.h"
#include "cajal/Emulator/PopulationMap.h"
#include "cajal/Emulator/SpikeHdf5.h"

#include "Hdf5Write.h"

#include <algorithm>
#include <map>

namespace cajal::emulator {

namespace {

using Site = LearningSynapseSite;
using AxonKey = std::pair<uint32_t, uint32_t>; ///< core, input axon
using NodeIndex = std::pair<uint32_t, uint32_t>;

/// The first sender of every input axon: compartments in image order, then
/// source channels.
std::map<AxonKey, NodeIndex>
firstSenders(const chip::Image &image, const std::vector<uint32_t> &compBegin,
             const PopulationMap &map, const spikeio::NodeTable &nodes) {
  std::map<AxonKey, NodeIndex> pre;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      const uint32_t g = compBegin[c] + l;
      const uint32_t population = map.compartmentPopulation[g];
      if (population == PopulationMap::none)
        continue;
      const uint32_t neuron =
          map.compartmentNeuron[g] - map.populationBase[population];
      for (uint32_t o = core.outputBegin[l]; o < core.outputBegin[l + 1]; ++o)
        pre.emplace(
            AxonKey{core.outputAxons[o].core, core.outputAxons[o].inputAxon},
            NodeIndex{nodes.populationNode(population), neuron});
    }
  }
  for (uint32_t s = 0; s < image.sources.size(); ++s) {
    const chip::Source &src = image.sources[s];
    for (uint32_t ch = 0; ch < src.size; ++ch)
      for (uint32_t k = src.targetBegin[ch]; k < src.targetBegin[ch + 1]; ++k)
        pre.emplace(AxonKey{src.targets[k].core, src.targets[k].inputAxon},
                    NodeIndex{nodes.sourceNode(s), ch});
  }
  return pre;
}

} // namespace

Result<std::vector<LearningSynapseSite>> learningSynapseSites(
    const chip::Image &image, const chip::SynapseFormat &format,
    const spikeio::NodeTable &nodes, const std::vector<std::string> &only) {
  std::vector<uint32_t> selected;
  for (const std::string &name : only) {
    const std::optional<uint32_t> node = nodes.find(name);
    if (!node)
      return makeError("--weights-of: no node \"" + name +
                       "\" in the image (populations and sources)");
    selected.push_back(*node);
  }
  const auto wanted = [&](uint32_t node) {
    return std::find(selected.begin(), selected.end(), node) != selected.end();
  };
  const std::vector<uint32_t> compBegin = compartmentBegins(image);
  Result<PopulationMap> map = mapPopulations(image, compBegin);
  if (!map)
    return map.takeError();
  const std::map<AxonKey, NodeIndex> pre =
      firstSenders(image, compBegin, *map, nodes);
  std::vector<Site> sites;
  std::vector<chip::Synapse> group;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
      const chip::InputAxon &axon = core.inputAxons[a];
      if (!axon.learns())
        continue;
      chip::unpackSynapses(core.synapseWords, axon, format, group);
      Site site;
      site.core = c;
      site.axon = a;
      site.weightExponent = axon.weightExponent;
      if (auto it = pre.find({c, a}); it != pre.end())
        std::tie(site.preNode, site.preIndex) = it->second;
      for (uint32_t i = 0; i < axon.synapseCount; ++i) {
        site.index = i;
        const uint32_t g = compBegin[c] + group[i].compartment;
        const uint32_t population = map->compartmentPopulation[g];
        site.postNode = site.postIndex = Site::kNone;
        if (population != PopulationMap::none) {
          site.postNode = nodes.populationNode(population);
          site.postIndex =
              map->compartmentNeuron[g] - map->populationBase[population];
        }
        if (selected.empty() || wanted(site.preNode) || wanted(site.postNode))
          sites.push_back(site);
      }
    }
  }
  return sites;
}

Result<WeightsWriter>
WeightsWriter::create(const std::string &path, const chip::Image &image,
                      const chip::SynapseFormat &format,
                      const spikeio::NodeTable &nodes,
                      const std::vector<std::string> &only) {
  if (!image.learning.enabled())
    return makeError(path + ": --weights-out: the image does not learn (its "
                            "weights never change; `cajal inspect --json` "
                            "lists them)");
  Result<std::vector<Site>> sites =
      learningSynapseSites(image, format, nodes, only);
  if (!sites)
    return sites.takeError();
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return file.takeError();
  return WeightsWriter(std::move(*file), std::move(*sites), nodes,
                       format.weightShift);
}

int64_t WeightsWriter::weightOf(size_t site, const chip::Synapse &s) const {
  return chip::synapticWeight(s.mantissa, sites[site].weightExponent,
                              weightShift);
}

Status WeightsWriter::finish() {
  return spikeio::isHdf5Path(file.path()) ? writeHdf5() : writeCsv();
}

Status WeightsWriter::writeCsv() {
  const auto name = [&](uint32_t node) {
    return node == Site::kNone ? std::string() : nodes.name(node);
  };
  const auto index = [](uint32_t i) {
    return i == Site::kNone ? std::string() : std::to_string(i);
  };
  std::string out = "step,pre,pre_index,post,post_index,weight,mantissa,"
                    "delay,tag\n";
  for (size_t k = 0; k < steps.size(); ++k) {
    for (size_t i = 0; i < sites.size(); ++i) {
      const Site &site = sites[i];
      const chip::Synapse &s = values[k * sites.size() + i];
      out += std::to_string(steps[k]) + ',' + name(site.preNode) + ',' +
             index(site.preIndex) + ',' + name(site.postNode) + ',' +
             index(site.postIndex) + ',' + std::to_string(weightOf(i, s)) +
             ',' + std::to_string(s.mantissa) + ',' + std::to_string(s.delay) +
             ',' + std::to_string(s.tag) + '\n';
    }
    if (out.size() > (1u << 16)) {
      file.write(out);
      out.clear();
    }
  }
  file.write(out);
  return file.commit();
}

Status WeightsWriter::writeHdf5() {
  using hdf5::Handle;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const auto failed = [&](const std::string &what) {
    return makeError(file.path() + ": cannot write the HDF5 weights file (" +
                     what + ")");
  };
  const size_t n = sites.size(), snapshots = steps.size();
  std::vector<uint32_t> preNode, preIndex, postNode, postIndex;
  for (const Site &s : sites) {
    preNode.push_back(s.preNode);
    preIndex.push_back(s.preIndex);
    postNode.push_back(s.postNode);
    postIndex.push_back(s.postIndex);
  }
  std::vector<int64_t> weight(values.size());
  std::vector<int32_t> mantissa(values.size()), tag(values.size());
  std::vector<uint32_t> delay(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    weight[k] = weightOf(k % n, values[k]);
    mantissa[k] = values[k].mantissa;
    delay[k] = values[k].delay;
    tag[k] = values[k].tag;
  }
  std::vector<std::string> names;
  for (uint32_t i = 0; i < nodes.size(); ++i)
    names.push_back(nodes.name(i));
  {
    Handle h5(H5Fcreate(file.temporaryPath().c_str(), H5F_ACC_TRUNC,
                        H5P_DEFAULT, H5P_DEFAULT),
              H5Fclose);
    if (!h5)
      return failed("create");
    const std::vector<hsize_t> grid = {snapshots, n};
    if (!hdf5::writeStringAttribute(h5.get(), "format", "cajal-weights") ||
        !hdf5::writeU32Attribute(h5.get(), "version", 1))
      return failed("root attributes");
    if (!hdf5::writeStringDataset(h5.get(), "nodes", names) ||
        !hdf5::writeU32Dataset(h5.get(), "pre", preNode) ||
        !hdf5::writeU32Dataset(h5.get(), "pre_index", preIndex) ||
        !hdf5::writeU32Dataset(h5.get(), "post", postNode) ||
        !hdf5::writeU32Dataset(h5.get(), "post_index", postIndex) ||
        !hdf5::writeU32Dataset(h5.get(), "step", steps))
      return failed("synapse columns");
    if (!hdf5::writeDataset(h5.get(), "weight", H5T_STD_I64LE, H5T_NATIVE_INT64,
                            weight.data(), grid) ||
        !hdf5::writeDataset(h5.get(), "mantissa", H5T_STD_I32LE,
                            H5T_NATIVE_INT32, mantissa.data(), grid) ||
        !hdf5::writeDataset(h5.get(), "delay", H5T_STD_U32LE, H5T_NATIVE_UINT32,
                            delay.data(), grid) ||
        !hdf5::writeDataset(h5.get(), "tag", H5T_STD_I32LE, H5T_NATIVE_INT32,
                            tag.data(), grid))
      return failed("snapshots");
    if (H5Fflush(h5.get(), H5F_SCOPE_GLOBAL) < 0)
      return failed("flush");
  }
  return file.commit();
}

} // namespace cajal::emulator
