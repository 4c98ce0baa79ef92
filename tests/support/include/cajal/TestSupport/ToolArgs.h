//===- ToolArgs.h - Command line and loading of the test tools -*- C++ -*-===//
//
// The cross-check tools (cajal-golden-run, cajal-reference-words,
// reference-check) take the same command line, IMAGE --steps N
// [--profile NAME|PATH] [--input in.csv] plus options of their own, read the
// image with the profile it names (or --profile) and give the engine the
// External spikes of --input: one definition of that, with errors that name
// the option, the file and the value.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTSUPPORT_TOOLARGS_H
#define CAJAL_TESTSUPPORT_TOOLARGS_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Emulator/SpikeIO.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

namespace cajal::test {

struct ToolArgs {
  std::string image, profile, input;
  uint32_t steps = 0;
  std::map<std::string, std::string> values; ///< the tool's valued options
  std::set<std::string> flags;               ///< the tool's flags given
};

/// Parse argv into `args`: the common options, and those of the tool,
/// `valued` (each followed by a value) and `flagNames`. Returns the error
/// message, or "" when the command line is good.
inline std::string parseToolArgs(int argc, char **argv,
                                 const std::set<std::string> &valued,
                                 const std::set<std::string> &flagNames,
                                 ToolArgs &args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (flagNames.count(a)) {
      args.flags.insert(a);
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      args.image = a;
      continue;
    }
    if (a != "--steps" && a != "--profile" && a != "--input" &&
        !valued.count(a))
      return "unknown option " + a;
    if (i + 1 >= argc)
      return "missing value after " + a;
    const std::string v = argv[++i];
    if (a == "--steps") {
      char *end = nullptr;
      const unsigned long steps = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end || v[0] == '-' || steps > UINT32_MAX)
        return "--steps: \"" + v + "\" is not an integer in [0, 2^32)";
      args.steps = uint32_t(steps);
    } else if (a == "--profile") {
      args.profile = v;
    } else if (a == "--input") {
      args.input = v;
    } else {
      args.values[a] = v;
    }
  }
  return args.image.empty() ? "no image given" : "";
}

/// `tool: error: message` on stderr; the exit code 1.
inline int toolFailure(const char *tool, const std::string &message) {
  std::fprintf(stderr, "%s: error: %s\n", tool, message.c_str());
  return 1;
}

struct LoadedImage {
  chip::Image image;
  chip::Profile profile;
};

/// The image (the engines validate it) and the profile --profile or the
/// image names.
inline Result<LoadedImage> loadToolImage(const ToolArgs &args) {
  Result<chip::Image> image = chip::readImageUnchecked(args.image);
  if (!image)
    return makeError(image.error());
  Result<chip::Profile> profile = chip::findProfile(
      args.profile.empty() ? image->profileName : args.profile,
      chip::defaultProfileDir());
  if (!profile)
    return makeError(profile.error());
  return LoadedImage{std::move(*image), std::move(*profile)};
}

/// The External spikes of args.input (none without --input), read in the
/// engine's node numbering and given to it.
template <typename Engine>
Status giveInputSpikes(Engine &engine, const ToolArgs &args) {
  if (args.input.empty())
    return Status::ok();
  auto spikes = spikeio::readSpikeCsv(args.input, engine.nodes(),
                                      spikeio::NodeSet::ExternalSources);
  if (!spikes)
    return makeError(spikes.error());
  if (Status s = engine.setExternalSpikes(std::move(*spikes)); !s)
    return makeError(args.input + ": " + s.error());
  return Status::ok();
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_TOOLARGS_H
