//===- BadProgramImages.cpp - Write images with bad programs for e2e tests
//-===//
//
// `bad-program-images DIR` writes chip images whose programs or parameter
// words are wrong, each in one way, through writeImage(image, path), which
// checks only the structure: the loader (`cajal run`, `cajal inspect`) must
// refuse them. bad_programs.py runs the tools on them.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/Image.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/ImageBuilder.h"

#include <cstdio>
#include <string>

using namespace cajal;

namespace {

/// Population "exc" (4 neurons) runs Izhikevich with its own words, fed by
/// source "in"; `spoil` then breaks one thing.
template <typename Spoil>
Status writeOne(const std::string &path, const chip::Profile &profile,
                Spoil spoil) {
  imagegen::ImageBuilder b(profile);
  const uint32_t core = b.addCore(std::vector<chip::CompartmentParams>(4));
  const uint32_t axon = b.addInputAxon(
      core, {{0, 3, 1}, {1, 3, 1}, {2, 3, 1}, {3, 3, 1}}, 4, 0, false);
  chip::Source in;
  in.name = "in";
  in.size = 1;
  const uint32_t source = b.addSource(in);
  b.addSourceTarget(source, 0, {core, axon});
  const uint32_t izh = b.addProgram(chip::izhikevichProgram({}));
  std::vector<std::vector<int64_t>> words(4, chip::izhikevichParamWords({}));
  b.addProgramPopulation("exc", {{core, 0, 0, 4}}, izh, words);
  chip::Image image = b.build();
  spoil(image);
  return chip::writeImage(image, path);
}

Result<chip::Profile> profileNamed(const char *name) {
  return chip::findProfile(name, chip::defaultProfileDir());
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bad-program-images DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  Result<chip::Profile> loihi2 = profileNamed("loihi2");
  Result<chip::Profile> loihi1 = profileNamed("loihi1");
  if (!loihi2 || !loihi1) {
    std::fprintf(stderr, "error: %s\n",
                 (!loihi2 ? loihi2 : loihi1).error().c_str());
    return 1;
  }
  Status statuses[] = {
      writeOne(dir + "/bad-instruction.cjimg", *loihi2,
               [](chip::Image &img) { img.programs[0].code[3] = 20; }),
      writeOne(dir + "/bad-word.cjimg", *loihi2,
               [](chip::Image &img) {
                 img.cores[0].paramWords[2] = int64_t(1) << 40;
               }),
      writeOne(dir + "/good.cjimg", *loihi2, [](chip::Image &) {}),
      writeOne(dir + "/loihi1-izhikevich.cjimg", *loihi1, [](chip::Image &) {}),
  };
  for (Status &s : statuses)
    if (!s) {
      std::fprintf(stderr, "error: %s\n", s.error().c_str());
      return 1;
    }
  return 0;
}
