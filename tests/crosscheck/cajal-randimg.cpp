//===- cajal-randimg.cpp - Write a seeded random chip image ---------------===//
//
// cajal-randimg --seed N -o image.cjimg [--json image.json]
//               [--input-out ext.csv] [--steps N] [--profile NAME|PATH]
//               [--program-populations [--tree-populations]]
//               [--max-compartments N]
//               [--no-initial-state] [--no-poisson-group] [--learning]
// writes randomNetwork()'s image (binary), optionally its JSON form
// (chip::printImageJson, read by reference.py) and the spikes of its External
// source as a spike CSV for `--input`. --program-populations (programmable
// profiles) gives most populations a random program (RandomProgram.h);
// --tree-populations makes about half of them neurons with random dendritic
// trees (a profile with isa.stackDepth >= 8);
// --max-compartments bounds each core's compartments (default 48);
// --no-initial-state starts every compartment at its program's initial values
// (RandomOptions::initialState off); --no-poisson-group leaves out the
// Poisson group source (RandomOptions::poissonGroup off); --learning makes
// the image learn (RandomOptions::learning: random rules, traces, learning
// and reward groups).
//
//===----------------------------------------------------------------------===//
#include "cajal/ImageGen/RandomImage.h"

#include "cajal/Chip/ImageJson.h"
#include "cajal/Emulator/SpikeIO.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace cajal;

namespace {

struct Options {
  imagegen::RandomOptions random;
  std::string out, json, inputOut, profile = "loihi1";
};

int fail(const std::string &msg) {
  std::fprintf(stderr, "cajal-randimg: error: %s\n", msg.c_str());
  return 1;
}

bool parseNumber(const char *s, uint64_t &out) {
  char *end = nullptr;
  out = std::strtoull(s, &end, 10);
  return *s && *end == 0;
}

/// Fill `o` from argv; on error return the message.
std::string parseArgs(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--program-populations") {
      o.random.programPopulations = true;
      continue;
    }
    if (a == "--tree-populations") {
      o.random.treePopulations = true;
      continue;
    }
    if (a == "--no-initial-state") {
      o.random.initialState = false;
      continue;
    }
    if (a == "--no-poisson-group") {
      o.random.poissonGroup = false;
      continue;
    }
    if (a == "--learning") {
      o.random.learning = true;
      continue;
    }
    if (i + 1 >= argc)
      return "missing value after " + a;
    const char *v = argv[++i];
    uint64_t n = 0;
    if (a == "--seed" || a == "--steps" || a == "--max-compartments") {
      if (!parseNumber(v, n) || (a != "--seed" && n > UINT32_MAX))
        return a + ": \"" + v + "\" is not a non-negative integer" +
               (a == "--seed" ? "" : " below 2^32");
      if (a == "--seed")
        o.random.seed = n;
      else if (a == "--steps")
        o.random.steps = uint32_t(n);
      else if (n == 0)
        return "--max-compartments: must be at least 1";
      else
        o.random.maxCompartments = uint32_t(n);
    } else if (a == "-o")
      o.out = v;
    else if (a == "--json")
      o.json = v;
    else if (a == "--input-out")
      o.inputOut = v;
    else if (a == "--profile")
      o.profile = v;
    else
      return "unknown option " + a;
  }
  return o.out.empty() ? "no output file (-o FILE)" : "";
}

Status writeJson(const chip::Image &image, const chip::Profile &profile,
                 const std::string &path) {
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return file.takeError();
  std::ostringstream text;
  chip::printImageJson(image, profile, text);
  file->write(text.str());
  return file->commit();
}

Status writeInput(const imagegen::RandomNetwork &net, const std::string &path) {
  const spikeio::NodeTable nodes(net.image);
  std::vector<spikeio::SpikeRecord> spikes;
  for (const imagegen::ExternalSpike &s : net.external)
    spikes.push_back({s.step, nodes.sourceNode(s.source), s.index});
  return spikeio::writeSpikeCsv(path, nodes, spikes);
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (std::string msg = parseArgs(argc, argv, o); !msg.empty())
    return fail(msg);
  Result<chip::Profile> profile =
      chip::findProfile(o.profile, chip::defaultProfileDir());
  if (!profile)
    return fail(profile.error());
  const imagegen::RandomNetwork net =
      imagegen::randomNetwork(*profile, o.random);
  if (Status s = chip::writeImage(net.image, *profile, o.out); !s)
    return fail(o.out + ": " + s.error());
  if (!o.json.empty())
    if (Status s = writeJson(net.image, *profile, o.json); !s)
      return fail(s.error());
  if (!o.inputOut.empty())
    if (Status s = writeInput(net, o.inputOut); !s)
      return fail(s.error());
  return 0;
}
