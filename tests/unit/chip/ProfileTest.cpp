//===- ProfileTest.cpp - Profile loading, checks and fingerprint ----------===//

#include "cajal/Chip/Profile.h"
#include "TestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

using namespace cajal::chip;
using cajal::Result;
using cajal::chip::test::loihi1;
using cajal::chip::test::readBytes;
using cajal::chip::test::TempDir;
using cajal::chip::test::writeBytes;
using json = nlohmann::json;

namespace {

json loihi1Json() {
  return json::parse(readBytes(defaultProfileDir() + "/loihi1.json"));
}

TEST(ProfileTest, Loihi1HasTheDocumentedValues) {
  const Profile p = loihi1();
  EXPECT_EQ(p.name, "loihi1");
  EXPECT_EQ(p.mesh.tilesX * p.mesh.tilesY, 32u);
  EXPECT_EQ(p.mesh.coresPerTile, 4u);
  EXPECT_EQ(p.mesh.totalCores(), 128u);
  EXPECT_EQ(p.core.compartments, 1024u);
  EXPECT_EQ(p.core.inputAxons, 4096u);
  EXPECT_EQ(p.core.outputAxons, 4096u);
  EXPECT_EQ(p.core.synapseWords, 16384u);
  EXPECT_EQ(p.neuron.decayBits, 12u);
  EXPECT_EQ(p.neuron.currentBits, 24u);
  EXPECT_EQ(p.neuron.accumulatorBits, 21u);
  EXPECT_EQ(p.neuron.biasMantissaMax, 4095u);
  EXPECT_EQ(p.neuron.biasExponentMax, 7u);
  EXPECT_EQ(p.neuron.thresholdMantissaBits, 17u);
  EXPECT_EQ(p.neuron.thresholdShift, 6u);
  EXPECT_EQ(p.neuron.vminExponentMax, 31u);
  EXPECT_EQ(p.neuron.vmaxExponentMax, 7u);
  EXPECT_EQ(p.neuron.vmaxBase, 9u);
  EXPECT_EQ(p.neuron.refractoryMin, 0u);
  EXPECT_EQ(p.neuron.refractoryMax, 62u);
  EXPECT_FALSE(p.neuron.resetBySubtraction);
  EXPECT_EQ(p.synapse.wordBits, 64u);
  EXPECT_EQ(p.synapse.compartmentIndexBits, 10u);
  EXPECT_EQ(p.synapse.weightBitsMax, 8u);
  EXPECT_EQ(p.synapse.weightExponentMin, -8);
  EXPECT_EQ(p.synapse.weightExponentMax, 7);
  EXPECT_EQ(p.synapse.weightShift, 6u);
  EXPECT_EQ(p.synapse.delayBits, 6u);
  EXPECT_EQ(p.synapse.maxDelay, 62u);
  EXPECT_DOUBLE_EQ(p.cost.synapticOpPJ, 23.6);
  EXPECT_DOUBLE_EQ(p.cost.synapticOpNs, 3.5);
  EXPECT_DOUBLE_EQ(p.cost.neuronUpdateInactivePJ, 52);
  EXPECT_DOUBLE_EQ(p.cost.neuronUpdateInactiveNs, 5.3);
  EXPECT_DOUBLE_EQ(p.cost.spikeInTilePJ, 1.7);
  EXPECT_DOUBLE_EQ(p.cost.spikeInTileNs, 2.1);
  EXPECT_DOUBLE_EQ(p.cost.hopEastWestPJ, 3.0);
  EXPECT_DOUBLE_EQ(p.cost.hopEastWestNs, 4.1);
  EXPECT_DOUBLE_EQ(p.cost.hopNorthSouthPJ, 4.0);
  EXPECT_DOUBLE_EQ(p.cost.hopNorthSouthNs, 6.5);
  EXPECT_DOUBLE_EQ(p.cost.barrierMinNs, 113);
  EXPECT_DOUBLE_EQ(p.cost.barrierMaxNs, 465);
  EXPECT_EQ(p.cost.barrierMaxTiles, 32u);
  EXPECT_DOUBLE_EQ(p.cost.staticPowerMW, 104);
  EXPECT_GT(p.cost.clockHz, 0);
}

TEST(ProfileTest, EveryFieldHasValueUnitAndDeclaredSource) {
  const json doc = loihi1Json();
  const std::vector<std::string> names = profileFieldNames();
  EXPECT_EQ(doc["fields"].size(), names.size());
  for (const std::string &n : names) {
    ASSERT_TRUE(doc["fields"].contains(n)) << n;
    const json &f = doc["fields"][n];
    EXPECT_TRUE(f["unit"].is_string()) << n;
    EXPECT_FALSE(f["source"].get<std::string>().empty()) << n;
  }
}

TEST(ProfileTest, Board32InheritsAllButTheChipGrid) {
  const Profile base = loihi1();
  Result<Profile> board = findProfile("loihi1-board32", defaultProfileDir());
  ASSERT_TRUE(bool(board)) << board.error();
  EXPECT_EQ(board->name, "loihi1-board32");
  EXPECT_EQ(board->mesh.chipsX * board->mesh.chipsY, 32u);
  EXPECT_EQ(board->mesh.totalCores(), 32u * 128u);
  Profile same = *board;
  same.mesh.chipsX = base.mesh.chipsX;
  same.mesh.chipsY = base.mesh.chipsY;
  EXPECT_EQ(same.fingerprint(), base.fingerprint());
  EXPECT_NE(board->fingerprint(), base.fingerprint());
}

TEST(ProfileTest, FingerprintCoversValuesNotNames) {
  const Profile a = loihi1();
  Profile b = a;
  b.name = "renamed";
  b.description = "other text";
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  b.cost.staticPowerMW += 1;
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  Profile c = a;
  c.neuron.resetBySubtraction = true;
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  Profile d = a;
  d.synapse.weightExponentMin = -7;
  EXPECT_NE(a.fingerprint(), d.fingerprint());
  EXPECT_EQ(a.fingerprint(), loihi1().fingerprint()); // stable across loads
}

TEST(ProfileTest, FindProfileByPathAndMissingName) {
  Result<Profile> p =
      findProfile(defaultProfileDir() + "/loihi1.json", "/nonexistent");
  ASSERT_TRUE(bool(p)) << p.error();
  Result<Profile> q = findProfile("nosuchchip", defaultProfileDir());
  ASSERT_FALSE(bool(q));
  EXPECT_NE(q.error().find("nosuchchip"), std::string::npos) << q.error();
}

TEST(ProfileTest, EnvironmentOverridesProfileDir) {
  const std::string compiled = defaultProfileDir();
  ASSERT_EQ(setenv("CAJAL_PROFILE_DIR", "/some/where", 1), 0);
  EXPECT_EQ(defaultProfileDir(), "/some/where");
  unsetenv("CAJAL_PROFILE_DIR");
  EXPECT_EQ(defaultProfileDir(), compiled);
}

/// Write `doc` as name.json in `dir` and load it; return the error text.
std::string loadError(const TempDir &dir, const std::string &name,
                      const json &doc) {
  const std::string path = dir.file(name + ".json");
  writeBytes(path, doc.dump(2));
  Result<Profile> p = loadProfile(path);
  return p ? std::string() : p.error();
}

struct BadCase {
  const char *what;
  void (*edit)(json &);
  std::vector<std::string> expect; ///< substrings of the message
};

TEST(ProfileTest, EachBadFieldIsNamedWithFileAndValue) {
  const BadCase cases[] = {
      {"unknown field",
       [](json &d) {
         d["fields"]["core.bogus"] = {
             {"value", 1}, {"unit", "x"}, {"source", "davies2018"}};
       },
       {"core.bogus", "unknown field"}},
      {"missing field",
       [](json &d) { d["fields"].erase("neuron.decayBits"); },
       {"neuron.decayBits", "missing"}},
      {"string for int",
       [](json &d) { d["fields"]["core.compartments"]["value"] = "1024"; },
       {"core.compartments", "\"1024\"", "integer"}},
      {"float for int",
       [](json &d) { d["fields"]["core.inputAxons"]["value"] = 4096.5; },
       {"core.inputAxons", "4096.5"}},
      {"bool for int",
       [](json &d) { d["fields"]["mesh.tilesX"]["value"] = true; },
       {"mesh.tilesX", "true"}},
      {"int for bool",
       [](json &d) { d["fields"]["neuron.resetBySubtraction"]["value"] = 1; },
       {"neuron.resetBySubtraction", "true or false"}},
      {"negative count",
       [](json &d) { d["fields"]["core.outputAxons"]["value"] = -3; },
       {"core.outputAxons", "-3", "out of range"}},
      {"bits above 63",
       [](json &d) { d["fields"]["synapse.wordBits"]["value"] = 65; },
       {"synapse.wordBits", "65", "out of range"}},
      {"index bits too small",
       [](json &d) {
         d["fields"]["synapse.compartmentIndexBits"]["value"] = 9;
       },
       {"synapse.compartmentIndexBits", "9", "1024"}},
      {"synapse wider than word",
       [](json &d) { d["fields"]["synapse.wordBits"]["value"] = 20; },
       {"synapse.wordBits", "20"}},
      {"exponent range inverted",
       [](json &d) { d["fields"]["synapse.weightExponentMin"]["value"] = 8; },
       {"synapse.weightExponentMin", "8"}},
      {"max delay beyond delay bits",
       [](json &d) { d["fields"]["synapse.maxDelay"]["value"] = 64; },
       {"synapse.maxDelay", "64"}},
      {"missing unit",
       [](json &d) { d["fields"]["cost.clockHz"].erase("unit"); },
       {"cost.clockHz", "unit"}},
      {"undeclared source",
       [](json &d) { d["fields"]["cost.clockHz"]["source"] = "wikipedia"; },
       {"cost.clockHz", "wikipedia"}},
      {"wrong format",
       [](json &d) { d["format"] = "cajal-profile/9"; },
       {"format", "cajal-profile/9"}},
      {"unknown top-level key", [](json &d) { d["extra"] = 1; }, {"extra"}},
  };
  TempDir dir;
  for (const BadCase &c : cases) {
    json doc = loihi1Json();
    c.edit(doc);
    const std::string err = loadError(dir, "bad", doc);
    ASSERT_FALSE(err.empty()) << c.what << ": loaded without error";
    EXPECT_NE(err.find(dir.file("bad.json")), std::string::npos)
        << c.what << ": " << err;
    for (const std::string &e : c.expect)
      EXPECT_NE(err.find(e), std::string::npos) << c.what << ": " << err;
  }
}

TEST(ProfileTest, InvalidJsonNamesTheFile) {
  TempDir dir;
  writeBytes(dir.file("broken.json"), "{\"format\": ");
  Result<Profile> p = loadProfile(dir.file("broken.json"));
  ASSERT_FALSE(bool(p));
  EXPECT_NE(p.error().find("broken.json"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find("invalid JSON"), std::string::npos) << p.error();
}

json derived(const std::string &name, const std::string &base) {
  return json{{"format", "cajal-profile/1"},
              {"name", name},
              {"description", "test"},
              {"base", base},
              {"fields", json::object()}};
}

TEST(ProfileTest, BaseOverridesAndInheritsFields) {
  TempDir dir;
  writeBytes(dir.file("loihi1.json"), loihi1Json().dump());
  json doc = derived("small", "loihi1");
  doc["sources"] = {{"mine", "my own measurements"}};
  doc["fields"]["core.compartments"] = {
      {"value", 512}, {"unit", "compartments"}, {"source", "mine"}};
  doc["fields"]["synapse.compartmentIndexBits"] = {
      {"value", 9}, {"unit", "bits"}, {"source", "derived"}};
  writeBytes(dir.file("small.json"), doc.dump());
  Result<Profile> p = findProfile("small", dir.path);
  ASSERT_TRUE(bool(p)) << p.error();
  EXPECT_EQ(p->name, "small");
  EXPECT_EQ(p->core.compartments, 512u);
  EXPECT_EQ(p->synapse.compartmentIndexBits, 9u);
  EXPECT_EQ(p->core.inputAxons, 4096u); // inherited
}

TEST(ProfileTest, DocumentedExampleLoads) {
  // The example of docs/profiles.md, "Writing your own profile".
  TempDir dir;
  writeBytes(dir.file("loihi1.json"), loihi1Json().dump());
  writeBytes(dir.file("halfcore-w16.json"), R"({
    "format": "cajal-profile/1",
    "name": "halfcore-w16",
    "description": "loihi1 with 512-compartment cores and 16-bit weight mantissas",
    "base": "loihi1",
    "sources": {"study": "design-space exploration, not a real chip"},
    "fields": {
      "core.compartments":            {"value": 512, "unit": "compartments", "source": "study"},
      "synapse.compartmentIndexBits": {"value": 9,   "unit": "bits", "source": "derived from core.compartments"},
      "synapse.weightBitsMax":        {"value": 16,  "unit": "bits", "source": "study"}
    }
  })");
  Result<Profile> p = findProfile("halfcore-w16", dir.path);
  ASSERT_TRUE(bool(p)) << p.error();
  EXPECT_EQ(p->synapse.weightBitsMax, 16u);
  EXPECT_EQ(p->core.compartments, 512u);
  EXPECT_NE(p->fingerprint(), loihi1().fingerprint());
}

TEST(ProfileTest, BaseCycleAndMissingBaseAreErrors) {
  TempDir dir;
  writeBytes(dir.file("a.json"), derived("a", "b").dump());
  writeBytes(dir.file("b.json"), derived("b", "a").dump());
  Result<Profile> p = loadProfile(dir.file("a.json"));
  ASSERT_FALSE(bool(p));
  EXPECT_NE(p.error().find("cycle"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find("a.json"), std::string::npos) << p.error();

  writeBytes(dir.file("c.json"), derived("c", "nothere").dump());
  Result<Profile> q = loadProfile(dir.file("c.json"));
  ASSERT_FALSE(bool(q));
  EXPECT_NE(q.error().find("nothere"), std::string::npos) << q.error();
  EXPECT_NE(q.error().find("c.json"), std::string::npos) << q.error();
}

TEST(ProfileTest, ErrorInBaseNamesTheBaseFile) {
  TempDir dir;
  json base = loihi1Json();
  base["fields"]["core.synapseWords"]["value"] = 0;
  writeBytes(dir.file("loihi1.json"), base.dump());
  writeBytes(dir.file("d.json"), derived("d", "loihi1").dump());
  Result<Profile> p = loadProfile(dir.file("d.json"));
  ASSERT_FALSE(bool(p));
  EXPECT_NE(p.error().find(dir.file("loihi1.json")), std::string::npos)
      << p.error();
  EXPECT_NE(p.error().find("core.synapseWords"), std::string::npos)
      << p.error();
}

} // namespace

TEST(ProfileTest, BaseNamingItselfThroughAnotherPathIsACycle) {
  // "./itself" is not the string "itself.json", but the same file: the chain
  // compares canonical paths, so the load stops at once instead of
  // recursing until memory runs out.
  TempDir dir;
  writeBytes(dir.file("itself.json"), derived("itself", "./itself").dump());
  Result<Profile> p = loadProfile(dir.file("itself.json"));
  ASSERT_FALSE(bool(p));
  EXPECT_NE(p.error().find("cycle"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find("itself.json"), std::string::npos) << p.error();
}

TEST(ProfileTest, BaseChainDepthIsBounded) {
  // 20 distinct files, each based on the next: no cycle, but deeper than any
  // profile needs.
  TempDir dir;
  writeBytes(dir.file("loihi1.json"), loihi1Json().dump());
  for (int i = 0; i < 20; ++i)
    writeBytes(dir.file("p" + std::to_string(i) + ".json"),
               derived("p" + std::to_string(i),
                       i + 1 < 20 ? "p" + std::to_string(i + 1) : "loihi1")
                   .dump());
  Result<Profile> p = loadProfile(dir.file("p0.json"));
  ASSERT_FALSE(bool(p));
  EXPECT_NE(p.error().find("deeper than 16"), std::string::npos) << p.error();
}

TEST(ProfileTest, MeshCoreSlotsAreBoundedIn64Bits) {
  TempDir dir;
  // 65,535 x 65,535 tiles of 4 cores would make every tool allocate 2^34
  // slots; 65,536 x 65,536 x 1 wraps a 32-bit product to 0.
  for (const auto &[side, cores] :
       {std::pair<int, int>{65535, 4}, std::pair<int, int>{65536, 1}}) {
    json doc = loihi1Json();
    doc["fields"]["mesh.tilesX"]["value"] = side;
    doc["fields"]["mesh.tilesY"]["value"] = side;
    doc["fields"]["mesh.coresPerTile"]["value"] = cores;
    const std::string err = loadError(dir, "huge", doc);
    EXPECT_NE(err.find("mesh.tilesX"), std::string::npos) << err;
    EXPECT_NE(err.find(std::to_string(side)), std::string::npos) << err;
    EXPECT_NE(err.find("core slots"), std::string::npos) << err;
  }
  MeshShape m;
  m.tilesX = m.tilesY = 65536;
  m.coresPerTile = m.chipsX = m.chipsY = 1;
  EXPECT_EQ(m.totalCores(), UINT32_MAX); // saturates, never wraps to 0
  // Pohoiki Springs, the largest installed profile, stays within the bound.
  Result<Profile> pohoiki = findProfile("loihi1-pohoiki", defaultProfileDir());
  ASSERT_TRUE(bool(pohoiki)) << pohoiki.error();
  EXPECT_EQ(pohoiki->mesh.totalCores(), 98304u);
  // The what-if profile of the full-scale microcircuit changes the axons
  // only.
  Result<Profile> wide =
      findProfile("loihi1-pohoiki-8k-axons", defaultProfileDir());
  ASSERT_TRUE(bool(wide)) << wide.error();
  EXPECT_EQ(wide->core.inputAxons, 8192u);
  EXPECT_EQ(wide->core.outputAxons, 8192u);
  EXPECT_EQ(wide->core.compartments, pohoiki->core.compartments);
  EXPECT_EQ(wide->mesh.totalCores(), 98304u);
}

TEST(ProfileTest, NamesArePlainNames) {
  for (const char *good : {"loihi1", "loihi1-board32", "my_chip.v2", "A"})
    EXPECT_TRUE(isPlainProfileName(good)) << good;
  for (const char *bad : {"", "/dev/stdin", "../loihi1", "a/b", ".hidden",
                          "two words", "tab\t", "x\n"})
    EXPECT_FALSE(isPlainProfileName(bad)) << bad;
  EXPECT_FALSE(isPlainProfileName(std::string(65, 'a')));
  TempDir dir;
  json doc = loihi1Json();
  doc["name"] = "/etc/shadow";
  const std::string err = loadError(dir, "pathname", doc);
  EXPECT_NE(err.find("\"/etc/shadow\" is not a profile name"),
            std::string::npos)
      << err;
}

TEST(ProfileTest, InstalledProfilesAreFoundByPlainNameOnly) {
  TempDir dir;
  writeBytes(dir.file("loihi1.json"), loihi1Json().dump());
  Result<Profile> p = findInstalledProfile("loihi1", dir.path);
  ASSERT_TRUE(bool(p)) << p.error();
  // A path is never opened, however it is spelt.
  for (const std::string &name :
       {dir.file("loihi1.json"), std::string("/dev/stdin"),
        std::string("../") + dir.path + "/loihi1", std::string("loihi1/.")}) {
    Result<Profile> q = findInstalledProfile(name, dir.path);
    ASSERT_FALSE(bool(q)) << name;
    EXPECT_NE(q.error().find("is not a profile name"), std::string::npos)
        << q.error();
  }
  Result<Profile> missing = findInstalledProfile("mychip", dir.path);
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(missing.error().find("\"mychip\" is not installed"),
            std::string::npos)
      << missing.error();
}

TEST(ProfileTest, PowerGatingIsAProfileOptionOffForLoihi1) {
  const Profile p = loihi1();
  EXPECT_FALSE(p.cost.powerGateUnusedChips);
  TempDir dir;
  json doc = loihi1Json();
  doc["fields"]["cost.powerGateUnusedChips"]["value"] = true;
  writeBytes(dir.file("gated.json"), doc.dump());
  Result<Profile> gated = loadProfile(dir.file("gated.json"));
  ASSERT_TRUE(bool(gated)) << gated.error();
  EXPECT_TRUE(gated->cost.powerGateUnusedChips);
  EXPECT_NE(gated->fingerprint(), p.fingerprint());
}

// Found by fuzz/mlir (`profile = "\00\02"` on an nc.chip): a name with a NUL
// byte opened the profile directory, and reading a directory threw from
// inside the JSON parser (std::terminate). Both are errors now.
TEST(ProfileTest, DirectoriesAndNulBytesAreErrors) {
  TempDir dir;
  Result<Profile> directory = loadProfile(dir.path + "/");
  ASSERT_FALSE(bool(directory));
  EXPECT_NE(directory.error().find("not a regular file"), std::string::npos)
      << directory.error();
  Result<Profile> nul = findProfile(std::string("\0\2", 2), dir.path);
  ASSERT_FALSE(bool(nul));
  EXPECT_NE(nul.error().find("contains a NUL byte"), std::string::npos)
      << nul.error();
}
