//===- cajal-reference-words.cpp - Every state word of a reference run ----===//
//
// cajal-reference-words IMAGE --steps N --words-out words.bin
//                       [--profile NAME|PATH] [--input in.csv]
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
#include "cajal/TestSupport/ToolArgs.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace cajal;

namespace {

constexpr const char *kTool = "cajal-reference-words";

void appendWord(std::string &out, uint32_t word) {
  char bytes[4];
  for (int i = 0; i < 4; ++i)
    bytes[i] = char(word >> (8 * i) & 0xff);
  out.append(bytes, 4);
}

} // namespace

int main(int argc, char **argv) {
  test::ToolArgs args;
  if (std::string msg =
          test::parseToolArgs(argc, argv, {"--words-out"}, {}, args);
      !msg.empty())
    return test::toolFailure(kTool, msg);
  const std::string wordsOut = args.values["--words-out"];
  if (wordsOut.empty())
    return test::toolFailure(kTool, "no output file (--words-out FILE)");
  Result<test::LoadedImage> loaded = test::loadToolImage(args);
  if (!loaded)
    return test::toolFailure(kTool, loaded.error());
  Result<reference::ReferenceEngine> engine =
      reference::ReferenceEngine::create(loaded->image, loaded->profile);
  if (!engine)
    return test::toolFailure(kTool, args.image + ": " + engine.error());
  if (Status s = test::giveInputSpikes(*engine, args); !s)
    return test::toolFailure(kTool, s.error());
  const uint32_t n = engine->compartmentCount();
  uint32_t width = 0;
  for (uint32_t c = 0; c < n; ++c)
    width = std::max(width, uint32_t(engine->stateWords(c).size()));
  std::string out;
  appendWord(out, n);
  appendWord(out, width);
  std::vector<uint8_t> spiked(n);
  for (uint32_t t = 0; t < args.steps; ++t) {
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
  Result<AtomicFile> file = AtomicFile::create(wordsOut);
  if (!file)
    return test::toolFailure(kTool, file.error());
  file->write(out);
  if (Status s = file->commit(); !s)
    return test::toolFailure(kTool, s.error());
  return 0;
}
