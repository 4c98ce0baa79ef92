//===- ProfileFuzzer.cpp - libFuzzer target: the profile JSON loader ------===//
//
// An input is up to three profile files separated by NUL bytes: the first
// is written as fuzz.json, the others as b1.json and b2.json beside it, so
// a `"base": "b1"` chain (and its cycles) resolves among them; other bases
// resolve among the installed profiles (chip/profiles). The first file is
// loaded with loadProfile. A profile that loads must have a usable shape:
// loading it again gives the same fingerprint, and its core count fits the
// unsigned that every consumer sizes its tables with.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "cajal/Chip/Profile.h"

#include <cstdio>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

using namespace cajal;

namespace {
const char *const kFileNames[] = {"fuzz.json", "b1.json", "b2.json"};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view rest(reinterpret_cast<const char *>(data), size);
  const std::string &dir = fuzz::scratchDir();
  for (const char *name : kFileNames) {
    const std::string path = dir + "/" + name;
    if (rest.data() == nullptr) {
      fuzz::removeFile(path);
      continue;
    }
    const size_t nul = rest.find('\0');
    const std::string_view part = rest.substr(0, nul);
    fuzz::writeFile(path, part.data(), part.size());
    rest = nul == std::string_view::npos ? std::string_view()
                                         : rest.substr(nul + 1);
  }
  const std::string path = dir + "/" + kFileNames[0];
  Result<chip::Profile> profile = chip::loadProfile(path);
  if (!profile) {
    if (fuzz::verbose())
      std::fprintf(stderr, "load: %s\n", profile.error().c_str());
    return 0;
  }
  Result<chip::Profile> again = chip::loadProfile(path);
  if (!again || again->fingerprint() != profile->fingerprint())
    fuzz::oracleFailure("loading the same profile twice differs");
  // Every consumer sizes its core tables by totalCores().
  const chip::MeshShape &m = profile->mesh;
  const uint64_t cores =
      uint64_t(m.tilesX) * m.tilesY * m.coresPerTile * m.chipsX * m.chipsY;
  if (cores != m.totalCores())
    fuzz::oracleFailure("the mesh has " + std::to_string(cores) +
                        " cores, totalCores() says " +
                        std::to_string(m.totalCores()));
  return 0;
}
