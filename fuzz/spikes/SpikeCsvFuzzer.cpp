//===- SpikeCsvFuzzer.cpp - libFuzzer target: the spike CSV reader --------===//
//
// An input is a spike CSV file (`step,node,index`). It is parsed against a
// fixed node table shaped like the synfire example (populations g0..g7 of
// 64 neurons, one with an alias `out`; a periodic source `trigger` and an
// external source `in`), once per NodeSet (any node, populations only,
// external sources only). What parses with NodeSet::Any must write
// (writeSpikeCsv) and read back as the same records.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "cajal/Emulator/SpikeIO.h"

#include <cstdio>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

using namespace cajal;

namespace {

constexpr uint32_t kGroups = 8, kGroupSize = 64, kInputSize = 16;

const spikeio::NodeTable &nodeTable() {
  static const spikeio::NodeTable table = [] {
    chip::Image image;
    for (uint32_t g = 0; g < kGroups; ++g) {
      chip::Population p;
      p.name = "g" + std::to_string(g);
      p.size = kGroupSize;
      image.populations.push_back(p);
    }
    image.populations.back().aliases.push_back("out");
    chip::Source trigger;
    trigger.name = "trigger";
    trigger.kind = chip::SourceKind::Periodic;
    trigger.size = kGroupSize;
    chip::Source in;
    in.name = "in";
    in.kind = chip::SourceKind::External;
    in.size = kInputSize;
    image.sources = {trigger, in};
    return spikeio::NodeTable(image);
  }();
  return table;
}

void roundTrip(const std::vector<spikeio::SpikeRecord> &spikes) {
  const std::string path = fuzz::scratchDir() + "/roundtrip.csv";
  if (Status s = spikeio::writeSpikeCsv(path, nodeTable(), spikes); !s)
    fuzz::oracleFailure("spikes that parse do not write: " + s.error());
  Result<std::vector<spikeio::SpikeRecord>> again =
      spikeio::readSpikeCsv(path, nodeTable());
  if (!again)
    fuzz::oracleFailure("written spikes do not read back: " + again.error());
  if (*again != spikes)
    fuzz::oracleFailure("written spikes read back differently");
  fuzz::removeFile(path);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  for (spikeio::NodeSet accept :
       {spikeio::NodeSet::Any, spikeio::NodeSet::Populations,
        spikeio::NodeSet::ExternalSources}) {
    Result<std::vector<spikeio::SpikeRecord>> spikes =
        spikeio::parseSpikeCsv(text, "fuzz.csv", nodeTable(), accept);
    if (!spikes) {
      if (fuzz::verbose())
        std::fprintf(stderr, "parse: %s\n", spikes.error().c_str());
      continue;
    }
    if (accept == spikeio::NodeSet::Any)
      roundTrip(*spikes);
  }
  return 0;
}
