//===- cajal-reference-words.cpp - Every state word of a reference run ----===//
//
// cajal-reference-words IMAGE --steps N --words-out words.bin
//                       [--input in.csv]
// runs an image on the reference engine (chip::interpret per compartment,
// the oracle) and writes, after every step, every compartment's state words,
// whether it spiked and whether its update was idle, for run_programs.py to
// compare with the numpy interpreter (neurocore.py). The file is
// little-endian: u32 compartments n, u32 words per compartment w (the most
// state words any compartment's program declares), then per step and per
// global compartment (core order) w int32 state words (the stored 32 bits,
// 0 past the program's words), an int32 spiked (0/1) and an int32 idle (0/1).
//
//===----------------------------------------------------------------------===//
#include "cajal/Reference/ReferenceEngine.h"

#include "cajal/Chip/AtomicFile.h"
#include "cajal/Emulator/SpikeIO.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace cajal;

namespace {

struct Options {
  std::string image, input, wordsOut;
  uint32_t steps = 0;
};

int fail(const std::string &msg) {
  std::fprintf(stderr, "cajal-reference-words: error: %s\n", msg.c_str());
  return 1;
}

/// Fill `o` from argv; on error return the message.
std::string parseArgs(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      o.image = a;
      continue;
    }
    if (i + 1 >= argc)
      return "missing value after " + a;
    const std::string v = argv[++i];
    if (a == "--steps") {
      char *end = nullptr;
      o.steps = uint32_t(std::strtoul(v.c_str(), &end, 10));
      if (v.empty() || *end)
        return "--steps: \"" + v + "\" is not a non-negative integer";
    } else if (a == "--input")
      o.input = v;
    else if (a == "--words-out")
      o.wordsOut = v;
    else
      return "unknown option " + a;
  }
  if (o.image.empty())
    return "no image given";
  return o.wordsOut.empty() ? "no output file (--words-out FILE)" : "";
}

void appendWord(std::string &out, uint32_t word) {
  char bytes[4];
  for (int i = 0; i < 4; ++i)
    bytes[i] = char(word >> (8 * i) & 0xff);
  out.append(bytes, 4);
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (std::string msg = parseArgs(argc, argv, o); !msg.empty())
    return fail(msg);
  Result<chip::Image> image = chip::readImageUnchecked(o.image);
  if (!image)
    return fail(image.error());
  Result<chip::Profile> profile =
      chip::findProfile(image->profileName, chip::defaultProfileDir());
  if (!profile)
    return fail(profile.error());
  Result<reference::ReferenceEngine> engine =
      reference::ReferenceEngine::create(*image, *profile);
  if (!engine)
    return fail(o.image + ": " + engine.error());
  if (!o.input.empty()) {
    auto spikes = spikeio::readSpikeCsv(o.input, engine->nodes(),
                                        spikeio::NodeSet::ExternalSources);
    if (!spikes)
      return fail(spikes.error());
    if (Status s = engine->setExternalSpikes(std::move(*spikes)); !s)
      return fail(o.input + ": " + s.error());
  }
  const uint32_t n = engine->compartmentCount();
  uint32_t width = 0;
  for (uint32_t c = 0; c < n; ++c)
    width = std::max(width, uint32_t(engine->stateWords(c).size()));
  std::string out;
  appendWord(out, n);
  appendWord(out, width);
  std::vector<uint8_t> spiked(n);
  for (uint32_t t = 0; t < o.steps; ++t) {
    engine->step();
    std::fill(spiked.begin(), spiked.end(), 0);
    for (uint32_t c : engine->lastSpikingCompartments())
      spiked[c] = 1;
    for (uint32_t c = 0; c < n; ++c) {
      const std::vector<int32_t> &words = engine->stateWords(c);
      for (uint32_t w = 0; w < width; ++w)
        appendWord(out, w < words.size() ? uint32_t(words[w]) : 0);
      appendWord(out, spiked[c]);
      appendWord(out, engine->lastUpdateIdle(c) ? 1 : 0);
    }
  }
  Result<AtomicFile> file = AtomicFile::create(o.wordsOut);
  if (!file)
    return fail(file.error());
  file->write(out);
  if (Status s = file->commit(); !s)
    return fail(s.error());
  return 0;
}
