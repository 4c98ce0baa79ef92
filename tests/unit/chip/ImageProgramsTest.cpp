//===- ImageProgramsTest.cpp - Programs and parameter words in images -----===//
//
// Image format version 5 stores the programs table (with lookup tables), each
// population's program, each core's parameter words and each compartment's
// initial state words: these tests write and read them back (file, streaming
// writer, JSON), refuse every bad program, parameter word and initial state
// word with a message of its own, and feed the reader hostile counts.
//
//===----------------------------------------------------------------------===//

#include "ImageFixtures.h"
#include "TestUtil.h"
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/StandardPrograms.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <sstream>

using namespace cajal::chip;
using namespace cajal::chip::test;
using cajal::ErrorSubject;
using cajal::Result;
using cajal::Status;

namespace {

class ImageProgramsTest : public ::testing::Test {
protected:
  void SetUp() override {
    image = programImage(profile);
    const Status valid = validate(image, profile);
    ASSERT_TRUE(bool(valid)) << valid.error();
  }
  Profile profile = profileNamed("loihi2");
  Image image;
  TempDir dir;
};

TEST_F(ImageProgramsTest, BuilderLaysOutProgramsAndWords) {
  ASSERT_EQ(image.programs.size(), 2u);
  EXPECT_EQ(image.programs[0].name, "izhikevich");
  EXPECT_EQ(image.populations[0].program, 0u);
  EXPECT_EQ(image.populations[1].program, Population::kLifByRecord);
  EXPECT_EQ(image.populations[2].program, 1u);
  const Core &c0 = image.cores[0];
  EXPECT_EQ(c0.paramBegin, (std::vector<uint32_t>{0, 5, 10, 15, 20}));
  IzhikevichParams third;
  third.current = 5.0;
  EXPECT_EQ(std::vector<int64_t>(c0.paramWords.begin() + 10,
                                 c0.paramWords.begin() + 15),
            izhikevichParamWords(third));
  EXPECT_TRUE(image.cores[1].paramBegin.empty());
  // Every engine's view: neuron 2 of "exc" runs Izhikevich with its words.
  Result<ResolvedPrograms> r = resolvePrograms(image, profile);
  ASSERT_TRUE(bool(r)) << r.error();
  const uint32_t p = r->compartmentProgram[0][2];
  EXPECT_EQ(r->programs[p], image.programs[0]);
  EXPECT_EQ(compartmentParamWords(c0, 2, r->lifFamily[p], profile.neuron),
            izhikevichParamWords(third));
}

TEST_F(ImageProgramsTest, FileRoundTripKeepsProgramsAndWords) {
  const std::string path = dir.file("p.cjimg");
  ASSERT_TRUE(bool(writeImage(image, profile, path)));
  Result<Image> back = readImage(path, profile);
  ASSERT_TRUE(bool(back)) << back.error();
  expectSameImage(image, *back);
  EXPECT_EQ(back->programs, image.programs);
  // Written again, the same bytes.
  ASSERT_TRUE(bool(writeImage(*back, profile, dir.file("q.cjimg"))));
  EXPECT_EQ(readBytes(path), readBytes(dir.file("q.cjimg")));
}

TEST_F(ImageProgramsTest, InitialStateRoundTripsAndReachesTheEngines) {
  // Compartment 0 of core 0 (Izhikevich, state v and u) and compartment 1
  // of core 1 (the LIF family: u, v, refractory) start in words of their
  // own; the others at their programs' values.
  const std::vector<int32_t> izh = {-70 * 4096, -14 * 4096};
  const std::vector<int32_t> lif = {-5, 300, 2};
  Core &c0 = image.cores[0];
  c0.initialBegin.assign(c0.compartments.size() + 1, 2);
  c0.initialBegin[0] = 0;
  c0.initialWords = izh;
  Core &c1 = image.cores[1];
  ASSERT_GE(c1.compartments.size(), 2u);
  c1.initialBegin.assign(c1.compartments.size() + 1, 3);
  c1.initialBegin[0] = c1.initialBegin[1] = 0;
  c1.initialWords = lif;
  const Status valid = validate(image, profile);
  ASSERT_TRUE(bool(valid)) << valid.error();

  const std::string path = dir.file("i.cjimg");
  ASSERT_TRUE(bool(writeImage(image, profile, path)));
  Result<Image> back = readImage(path, profile);
  ASSERT_TRUE(bool(back)) << back.error();
  expectSameImage(image, *back);
  Result<ResolvedPrograms> r = resolvePrograms(*back, profile);
  ASSERT_TRUE(bool(r)) << r.error();
  const auto program = [&](uint32_t core, uint32_t c) -> const Program & {
    return r->programs[r->compartmentProgram[core][c]];
  };
  EXPECT_EQ(initialStateWords(back->cores[0], 0, program(0, 0)), izh);
  EXPECT_EQ(initialStateWords(back->cores[0], 1, program(0, 1)),
            initialStateWords(program(0, 1)));
  EXPECT_EQ(initialStateWords(back->cores[1], 1, program(1, 1)), lif);
  EXPECT_EQ(initialStateWords(back->cores[1], 0, program(1, 0)),
            initialStateWords(program(1, 0)));

  std::ostringstream os;
  printImageJson(*back, profile, os);
  const nlohmann::json j = nlohmann::json::parse(os.str());
  EXPECT_EQ(j["cores"][0]["compartments"][0]["initialState"],
            nlohmann::json(izh));
  EXPECT_FALSE(j["cores"][0]["compartments"][1].contains("initialState"));
  EXPECT_EQ(j["cores"][1]["compartments"][1]["initialState"],
            nlohmann::json(lif));
}

TEST_F(ImageProgramsTest, BadInitialStateIsRefusedWithItsOwnMessage) {
  const unsigned bits = profile.neuron.currentBits;
  const int64_t tooWide = int64_t(1) << (bits - 1);
  struct Case {
    const char *name;
    std::function<void(Image &)> damage;
    std::string message;
  };
  const Case cases[] = {
      {"table size",
       [](Image &im) {
         im.cores[0].initialBegin = {0, 0};
       },
       "core 0: initialBegin has 2 entries, expected 5"},
      {"words without a table",
       [](Image &im) {
         im.cores[1].initialWords = {1, 2, 3};
       },
       "core 1: 3 initial state words but no initialBegin table"},
      {"count",
       [](Image &im) {
         Core &c = im.cores[0];
         c.initialBegin.assign(c.compartments.size() + 1, 3);
         c.initialBegin[0] = 0;
         c.initialWords = {1, 2, 3};
       },
       "population \"exc\" neuron 0: core 0 compartment 0: 3 initial state "
       "words, program \"izhikevich\" declares 2 (or none: the program's "
       "initial values)"},
      {"width",
       [&](Image &im) {
         Core &c = im.cores[1];
         c.initialBegin.assign(c.compartments.size() + 1, 3);
         c.initialBegin[0] = 0;
         c.initialWords = {int32_t(tooWide), 0, 0};
       },
       "core 1 compartment 0: initial state word s0 (u) = " +
           std::to_string(tooWide) + " is outside its " + std::to_string(bits) +
           "-bit signed range"},
  };
  for (const Case &c : cases) {
    Image bad = image;
    c.damage(bad);
    const Status s = validate(bad, profile);
    ASSERT_FALSE(bool(s)) << c.name;
    EXPECT_TRUE(has(s.error(), c.message)) << c.name << ": " << s.error();
    // The writers refuse it too, and leave no file.
    const std::string path = dir.file("bad.cjimg");
    EXPECT_FALSE(bool(writeImage(bad, profile, path))) << c.name;
    EXPECT_TRUE(dir.files().empty()) << c.name;
  }
}

TEST_F(ImageProgramsTest, LookupTablesRoundTripInFileAndJson) {
  Program &p = image.programs[0];
  p.tables = {LookupTable{-8, 2, {10, INT32_MIN, INT32_MAX}},
              LookupTable{INT64_MIN, 46, {1, 2, 3, 4}}};
  p.code.push_back(
      isa::encode(isa::instruction(isa::Opcode::Lut, isa::reg(0), isa::state(0),
                                   isa::none(), isa::none(), 1)));
  const std::string path = dir.file("t.cjimg");
  ASSERT_TRUE(bool(writeImage(image, profile, path)));
  Result<Image> back = readImage(path, profile);
  ASSERT_TRUE(bool(back)) << back.error();
  EXPECT_EQ(back->programs, image.programs);
  std::ostringstream os;
  printImageJson(*back, profile, os);
  const nlohmann::json t =
      nlohmann::json::parse(os.str())["programs"][0]["tables"];
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0]["origin"], -8);
  EXPECT_EQ(t[0]["shift"], 2);
  EXPECT_EQ(t[0]["entries"].get<std::vector<int32_t>>(), p.tables[0].entries);
  EXPECT_EQ(t[1]["origin"].get<int64_t>(), INT64_MIN);
  EXPECT_EQ(t[1]["shift"], 46);
  // Tables the profile cannot hold are refused, naming the program.
  Profile small = profile;
  small.isa.maxTableEntries = 6;
  back->profileFingerprint = small.fingerprint();
  const Status refused = validate(*back, small);
  ASSERT_FALSE(bool(refused));
  EXPECT_TRUE(has(refused.error(),
                  "program \"izhikevich\": declares 7 "
                  "lookup table entries; the profile allows 6"))
      << refused.error();
}

TEST_F(ImageProgramsTest, StreamingWriterWritesTheTrailersPrograms) {
  ASSERT_TRUE(bool(writeImage(image, dir.file("whole.cjimg"))));
  Image header;
  header.profileName = image.profileName;
  header.profileFingerprint = image.profileFingerprint;
  Result<ImageWriter> w = ImageWriter::create(dir.file("stream.cjimg"), header,
                                              uint32_t(image.cores.size()));
  ASSERT_TRUE(bool(w)) << w.error();
  for (const Core &c : image.cores)
    ASSERT_TRUE(bool(w->addCore(c)));
  Image trailer;
  trailer.sources = image.sources;
  trailer.programs = image.programs;
  trailer.populations = image.populations;
  ASSERT_TRUE(bool(w->finish(trailer)));
  EXPECT_EQ(readBytes(dir.file("whole.cjimg")),
            readBytes(dir.file("stream.cjimg")));
}

TEST_F(ImageProgramsTest, StreamingWriterRefusesAProgramIndexPastTheTable) {
  Result<ImageWriter> w = ImageWriter::create(dir.file("x.cjimg"), image,
                                              uint32_t(image.cores.size()));
  ASSERT_TRUE(bool(w)) << w.error();
  for (const Core &c : image.cores)
    ASSERT_TRUE(bool(w->addCore(c)));
  Image trailer = image;
  trailer.programs.pop_back(); // "readout" names program 1
  const Status s = w->finish(trailer);
  ASSERT_FALSE(bool(s));
  EXPECT_TRUE(has(s.error(), "population \"readout\": program index 1 out of "
                             "range (image has 1 programs)"))
      << s.error();
  EXPECT_TRUE(dir.files().empty());
}

TEST_F(ImageProgramsTest, JsonShowsProgramsAndWords) {
  std::ostringstream os;
  printImageJson(image, profile, os);
  const nlohmann::json j = nlohmann::json::parse(os.str());
  EXPECT_EQ(j["imageVersion"], Image::formatVersion);
  ASSERT_EQ(j["programs"].size(), 2u);
  const nlohmann::json &izh = j["programs"][0];
  const Program &p = image.programs[0];
  EXPECT_EQ(izh["name"], "izhikevich");
  EXPECT_EQ(izh["state"].size(), p.state.size());
  EXPECT_EQ(izh["state"][0]["initial"], p.state[0].initial);
  EXPECT_EQ(izh["params"][4]["name"], "current");
  EXPECT_EQ(izh["constants"].get<std::vector<int64_t>>(), p.constants);
  EXPECT_EQ(izh["code"].get<std::vector<uint64_t>>(), p.code);
  ASSERT_EQ(izh["disassembly"].size(), p.code.size());
  for (size_t i = 0; i < p.code.size(); ++i)
    EXPECT_EQ(izh["disassembly"][i], disassemble(isa::decode(p.code[i]), &p));
  const nlohmann::json &li = j["programs"][1];
  EXPECT_EQ(li["refractoryWord"], image.programs[1].refractoryWord);
  EXPECT_EQ(li["refractoryPeriod"]["kind"], "param");
  EXPECT_EQ(li["skipIdle"], true);
  EXPECT_EQ(j["populations"][0]["program"], 0);
  EXPECT_EQ(j["populations"][1]["program"], -1);
  EXPECT_EQ(j["populations"][2]["program"], 1);
  const nlohmann::json &comps = j["cores"][0]["compartments"];
  EXPECT_EQ(comps[3]["paramWords"].get<std::vector<int64_t>>(),
            std::vector<int64_t>(image.cores[0].paramWords.begin() + 15,
                                 image.cores[0].paramWords.end()));
  EXPECT_FALSE(j["cores"][1]["compartments"][0].contains("paramWords"));
  // The file's JSON is the image's.
  const std::string path = dir.file("p.cjimg");
  ASSERT_TRUE(bool(writeImage(image, profile, path)));
  Result<Image> back = readImage(path, profile);
  ASSERT_TRUE(bool(back)) << back.error();
  std::ostringstream again;
  printImageJson(*back, profile, again);
  EXPECT_EQ(os.str(), again.str());
}

/// One way to spoil the image, the message it must get, the population the
/// error names (empty: none) and the profile the image is built for.
struct BadImage {
  const char *name;
  std::function<void(Image &)> spoil;
  const char *message;
  const char *population;
  const char *profile = "loihi2"; ///< the image is built for it
};

/// Compartment `c` of `core` gets `words` (paramBegin laid out anew).
void setWords(Core &core, size_t c, const std::vector<int64_t> &words) {
  std::vector<std::vector<int64_t>> per(core.compartments.size());
  for (size_t i = 0; i < per.size(); ++i)
    if (!core.paramBegin.empty())
      per[i].assign(core.paramWords.begin() + core.paramBegin[i],
                    core.paramWords.begin() + core.paramBegin[i + 1]);
  per[c] = words;
  core.paramBegin.assign(1, 0);
  core.paramWords.clear();
  for (const auto &w : per) {
    core.paramWords.insert(core.paramWords.end(), w.begin(), w.end());
    core.paramBegin.push_back(uint32_t(core.paramWords.size()));
  }
}

// Word lists of the cases below, named so that each case stays one line
// under every clang-format version.
const std::vector<int64_t> kTwoWords = {1, 2};
const std::vector<int64_t> kFourWords = {1, 2, 3, 4};
const std::vector<int64_t> kWordsFourFive = {4, 5};
const std::vector<int64_t> kWordsFourToSix = {4, 5, 6};

std::vector<BadImage> badImages() {
  return {
      {"bad instruction", [](Image &img) { img.programs[0].code[3] = 20; },
       "population \"exc\": program \"izhikevich\": instruction 3: unknown "
       "opcode 20",
       "exc"},
      {"program shared by two populations",
       [](Image &img) {
         img.populations[2].program = 0; // readout runs Izhikevich too
         setWords(img.cores[1], 2, izhikevichParamWords({}));
         setWords(img.cores[1], 3, izhikevichParamWords({}));
         img.programs[0].code[1] = uint64_t(1) << 60;
       },
       "populations \"exc\", \"readout\": program \"izhikevich\": "
       "instruction 1: word 0x1000000000000000 sets reserved bits",
       "exc"},
      {"initial value outside its width",
       [](Image &img) { img.programs[0].state[0].bits = 16; },
       "population \"exc\": program \"izhikevich\": state word s0 (v) initial "
       "value -266240 is outside its 16-bit signed range [-32768, 32767]",
       "exc"},
      {"program the profile refuses",
       [](Image &img) {
         // Within loihi1's budget, but not one of its fixed functions.
         img.programs[0] = img.programs[1];
         img.programs[0].name = "my-li";
       },
       "population \"exc\": program \"my-li\": is not one of the "
       "fixed-function programs of profile \"loihi1\"",
       "exc", "loihi1"},
      {"program index out of range",
       [](Image &img) { img.populations[2].program = 7; },
       "population \"readout\": program index 7 out of range (image has 2 "
       "programs)",
       "readout"},
      {"paramBegin of the wrong length",
       [](Image &img) { img.cores[0].paramBegin.pop_back(); },
       "core 0: paramBegin has 4 entries, expected 5", ""},
      {"paramBegin decreasing",
       [](Image &img) { img.cores[0].paramBegin[2] = 3; },
       "core 0: paramBegin decreases at 2 (5 then 3)", ""},
      {"paramBegin past the words",
       [](Image &img) { img.cores[0].paramWords.pop_back(); },
       "core 0: paramBegin ends at 20 but the table has 19 entries", ""},
      {"words without paramBegin",
       [](Image &img) { img.cores[1].paramWords = kTwoWords; },
       "core 1: 2 parameter words but no paramBegin table", ""},
      {"too few words",
       [](Image &img) { setWords(img.cores[0], 1, kFourWords); },
       "population \"exc\": core 0 compartment 1: 4 parameter words, program "
       "\"izhikevich\" declares 5",
       "exc"},
      {"word outside its width",
       [](Image &img) {
         std::vector<int64_t> w = izhikevichParamWords({});
         w[2] = int64_t(1) << 40;
         setWords(img.cores[0], 3, w);
       },
       "population \"exc\": core 0 compartment 3: parameter word p2 (c) = "
       "1099511627776 is outside its 32-bit signed range [-2147483648, "
       "2147483647]",
       "exc"},
      {"record flags naming another LIF program",
       [](Image &img) { img.cores[1].compartments[3].flags = 0; },
       "population \"readout\": core 1 compartment 3: record flags 0 name "
       "LIF program \"lif\", but the population runs \"li\"",
       "readout"},
      {"words on a LIF-family population",
       [](Image &img) { setWords(img.cores[1], 2, {4}); },
       "population \"readout\": core 1 compartment 2: 1 parameter words, but "
       "LIF-family program \"li\" takes its words from the compartment record",
       "readout"},
      {"words on a population run by records",
       [](Image &img) { setWords(img.cores[1], 1, kWordsFourFive); },
       "population \"inh\": core 1 compartment 1: 2 parameter words, but the "
       "population runs the LIF program its records name",
       "inh"},
      {"words on a compartment in no population",
       [](Image &img) { setWords(img.cores[1], 4, kWordsFourToSix); },
       "core 1 compartment 4: 3 parameter words, but the compartment is in no "
       "population",
       ""},
  };
}

TEST(ImageProgramsValidationTest, EveryBadProgramOrWordHasItsOwnMessage) {
  const std::vector<BadImage> cases = badImages();
  std::vector<std::string> errors;
  for (const BadImage &c : cases) {
    Profile profile = profileNamed(c.profile);
    Image img = programImage(profile);
    c.spoil(img);
    const Status s = validate(img, profile);
    ASSERT_FALSE(bool(s)) << c.name;
    EXPECT_TRUE(has(s.error(), c.message))
        << c.name << ": got \"" << s.error() << "\"";
    if (*c.population) {
      EXPECT_EQ(s.subject().kind, ErrorSubject::Kind::Population) << c.name;
      EXPECT_EQ(s.subject().name, c.population) << c.name;
    }
    // The writer with a profile refuses it too, and leaves no file.
    TempDir dir;
    EXPECT_FALSE(bool(writeImage(img, profile, dir.file("x.cjimg")))) << c.name;
    EXPECT_TRUE(dir.files().empty()) << c.name;
    errors.push_back(s.error());
  }
  for (size_t i = 0; i < cases.size(); ++i)
    for (size_t j = 0; j < cases.size(); ++j)
      if (i != j) {
        EXPECT_FALSE(has(errors[j], cases[i].message))
            << cases[i].name << "'s message also matches " << cases[j].name;
      }
}

TEST(ImageProgramsValidationTest, StructuralErrorsNeedNoProfile) {
  Profile profile = profileNamed("loihi2");
  Image img = programImage(profile);
  img.populations[0].program = 2;
  Status s = validateStructure(img);
  ASSERT_FALSE(bool(s));
  EXPECT_TRUE(has(s.error(), "program index 2 out of range")) << s.error();
  img = programImage(profile);
  img.cores[0].paramBegin[0] = 1;
  s = validateStructure(img);
  ASSERT_FALSE(bool(s));
  EXPECT_TRUE(has(s.error(), "core 0: paramBegin[0] is 1")) << s.error();
  // A bad program is not structural: writeImage without a profile writes
  // it (the loader refuses it).
  img = programImage(profile);
  img.programs[0].code[3] = 20;
  EXPECT_TRUE(bool(validateStructure(img)));
}

//===----------------------------------------------------------------------===//
// Hostile bytes in the new sections
//===----------------------------------------------------------------------===//

class ProgramBytesTest : public ImageProgramsTest {
protected:
  void SetUp() override {
    ImageProgramsTest::SetUp();
    good = dir.file("good.cjimg");
    bad = dir.file("bad.cjimg");
    ASSERT_TRUE(bool(writeImage(image, profile, good)));
    bytes = readBytes(good);
    for (const Section &s : sections(bytes))
      if (s.tag == "PRGS")
        prgs = s;
    ASSERT_EQ(prgs.tag, "PRGS");
  }
  /// The error reading `b` (its checksum fixed first), empty on success.
  std::string errorOf(std::string b) {
    fixChecksum(b);
    writeBytes(bad, b);
    Result<Image> r = readImage(bad, profile);
    return r ? std::string() : r.error();
  }
  /// Offset of program 0's state word count (after its name).
  size_t stateCountAt() const {
    return prgs.body + 4 + 4 + size_t(le(bytes, prgs.body + 4, 4));
  }
  std::string good, bad, bytes;
  Section prgs;
};

TEST_F(ProgramBytesTest, CountsLargerThanTheFileAreErrors) {
  struct Case {
    const char *name;
    size_t at;
    const char *message;
  };
  const Core &c0 = image.cores[0];
  const Section core0 = sections(bytes)[1];
  // CORE ends with paramBegin (count, entries), paramWords, initialBegin,
  // initialWords.
  const size_t initialWordsAt =
      core0.body + core0.length - 4 - 4 * c0.initialWords.size();
  const size_t initialBeginAt = initialWordsAt - 4 - 4 * c0.initialBegin.size();
  const size_t wordsCountAt = initialBeginAt - 4 - 8 * c0.paramWords.size();
  const size_t beginCountAt = wordsCountAt - 4 - 4 * c0.paramBegin.size();
  const Case cases[] = {
      {"program count", prgs.body, "program count 4294967295 needs"},
      {"program name length", prgs.body + 4,
       "program name count 4294967295 needs"},
      {"state word count", stateCountAt(), "state word count 4294967295 needs"},
      {"paramBegin count", beginCountAt, "paramBegin count 4294967295 needs"},
      {"parameter word count", wordsCountAt,
       "parameter word count 4294967295 needs"},
      {"initialBegin count", initialBeginAt,
       "initialBegin count 4294967295 needs"},
      {"initial state word count", initialWordsAt,
       "initial state word count 4294967295 needs"},
  };
  for (const Case &c : cases) {
    std::string b = bytes;
    putLE(b, c.at, 0xFFFFFFFFu, 4);
    const std::string e = errorOf(b);
    EXPECT_TRUE(has(e, c.message)) << c.name << ": " << e;
    EXPECT_TRUE(has(e, bad + ": malformed section")) << c.name << ": " << e;
  }
}

TEST_F(ProgramBytesTest, FlagBytesAreChecked) {
  // Program 0's first state word: name, bits, signed flag.
  const size_t word0 = stateCountAt() + 4;
  const size_t signedAt = word0 + 4 + le(bytes, word0, 4) + 1;
  std::string b = bytes;
  putLE(b, signedAt, 2, 1);
  std::string e = errorOf(b);
  EXPECT_TRUE(has(e, "program 0 \"izhikevich\": state word \"v\" signed byte "
                     "2 is neither 0 nor 1"))
      << e;
}

TEST_F(ProgramBytesTest, EveryDamagedProgramByteIsAnErrorOrValid) {
  // Each byte of PRGS set to 0xff, the checksum fixed: the reader answers
  // (an error or an image that validates: a byte of a name or a constant),
  // never crashes or allocates without bound.
  size_t refused = 0;
  for (size_t at = prgs.body; at < prgs.body + prgs.length; ++at) {
    std::string b = bytes;
    b[at] = char(0xff);
    refused += !errorOf(b).empty();
  }
  EXPECT_GT(refused, 0u);
}

TEST_F(ProgramBytesTest, PopulationProgramIndexIsChecked) {
  // POPS: count, then "exc": name, size, two record bytes, program.
  const Section pops = sections(bytes)[5];
  ASSERT_EQ(pops.tag, "POPS");
  const size_t programAt = pops.body + 4 + 4 + 3 + 4 + 2;
  ASSERT_EQ(le(bytes, programAt, 4), 0u);
  std::string b = bytes;
  putLE(b, programAt, 9, 4);
  const std::string e = errorOf(b);
  EXPECT_TRUE(has(e, "population \"exc\": program index 9 out of range")) << e;
}

} // namespace
