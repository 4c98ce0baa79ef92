//===- SpikeIOTest.cpp - Spike CSV reading, writing and its errors --------===//
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/Golden/GoldenRun.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/TestSupport/Files.h"
#include "cajal/TestSupport/Profiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <thread>

using namespace cajal;
using spikeio::NodeSet;
using spikeio::SpikeRecord;

namespace {

/// An image with population "exc" (4 neurons), "inh" (2), an External source
/// "in" (3 channels) and a File source "stim" (1 channel).
chip::Image sampleImage() {
  imagegen::ImageBuilder b(test::loihi1());
  std::vector<chip::CompartmentParams> comps(6);
  for (chip::CompartmentParams &p : comps) {
    p.biasMantissa = 200;
    p.thresholdMantissa = 5;
    p.vmaxExponent = 7;
  }
  b.addCore(comps);
  chip::Source in;
  in.name = "in";
  in.kind = chip::SourceKind::External;
  in.size = 3;
  b.addSource(in);
  chip::Source stim;
  stim.name = "stim";
  stim.kind = chip::SourceKind::File;
  stim.size = 1;
  b.addSource(stim);
  b.addPopulation("exc", {{0, 0, 0, 4}}, true, true);
  b.addPopulation("inh", {{0, 4, 0, 2}}, false, false);
  return b.build();
}

class SpikeIOTest : public ::testing::Test {
protected:
  std::vector<std::string> files() const { return scratch.files(); }
  std::string write(const std::string &name, const std::string &text) {
    const std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  static std::string slurp(const std::string &path) {
    return test::readBytes(path);
  }
  /// The error of parsing `text` (which must fail).
  std::string errorOf(const std::string &text, NodeSet accept = NodeSet::Any) {
    auto r = spikeio::parseSpikeCsv(text, "s.csv", nodes, accept);
    EXPECT_FALSE(bool(r)) << text;
    return r ? std::string() : r.error();
  }

  chip::Image image = sampleImage();
  spikeio::NodeTable nodes{image};
  test::TempDir scratch;
  const std::string dir = scratch.path;
};

TEST_F(SpikeIOTest, NodeTableInternsPopulationsThenSources) {
  EXPECT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes.find("exc"), 0u);
  EXPECT_EQ(nodes.find("inh"), 1u);
  EXPECT_EQ(nodes.find("in"), nodes.sourceNode(0));
  EXPECT_EQ(nodes.find("stim"), 3u);
  EXPECT_FALSE(nodes.find("nope").has_value());
  EXPECT_TRUE(nodes.isExternalSource(2));
  EXPECT_FALSE(nodes.isExternalSource(3));
  EXPECT_EQ(nodes.nodeSize(2), 3u);
}

TEST_F(SpikeIOTest, RoundTripSortsByStepNodeIndex) {
  const std::vector<SpikeRecord> spikes = {
      {3, 0, 2}, {0, 2, 1}, {3, 0, 1}, {1, 1, 0}, {0, 0, 3}};
  const std::string path = dir + "/out.csv";
  ASSERT_TRUE(bool(spikeio::writeSpikeCsv(path, nodes, spikes)));
  EXPECT_EQ(slurp(path), "step,node,index\n3,exc,2\n0,in,1\n3,exc,1\n"
                         "1,inh,0\n0,exc,3\n");
  auto back = spikeio::readSpikeCsv(path, nodes);
  ASSERT_TRUE(bool(back)) << back.error();
  std::vector<SpikeRecord> sorted = spikes;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(*back, sorted);
  EXPECT_EQ(files(), std::vector<std::string>{"out.csv"}); // no temporaries
}

TEST_F(SpikeIOTest, AcceptsCrLfBlankLinesAndSpaces) {
  auto r =
      spikeio::parseSpikeCsv("step,node,index\r\n 2 , in , 0\r\n\r\n1,in,2",
                             "s.csv", nodes, NodeSet::ExternalSources);
  ASSERT_TRUE(bool(r)) << r.error();
  EXPECT_EQ(*r, (std::vector<SpikeRecord>{{1, 2, 2}, {2, 2, 0}}));
}

TEST_F(SpikeIOTest, PlainLinesParseAsAnyOther) {
  // Lines "step,node,index" without blanks take a fast path; a blank before
  // the step sends a line down the general one. Random files of valid and
  // invalid lines give the same spikes, or the same error, either way.
  const std::vector<std::string> lines = {"0,in,0",          "1,in,2",
                                          "1,in,1",          "007,in,01",
                                          "3,exc,3",         "3,inh,1",
                                          "2,stim,0",        "4294967295,in,0",
                                          "4294967296,in,0", "00000000001,in,2",
                                          "5,in,3",          "5,in,-1",
                                          "5,in,1,",         "5,in",
                                          "6,in,2\r",        "",
                                          "7,in,2 ",         "8,foo,0",
                                          "9,in,x",          "10,in,0",
                                          "10,in,0",         "11,,0",
                                          "12,in,4000000000"};
  std::mt19937 rng(5);
  for (int file = 0; file < 400; ++file) {
    std::string plain = "step,node,index\n", general = plain;
    const int count = 1 + int(rng() % 12);
    for (int k = 0; k < count; ++k) {
      const std::string &line = lines[rng() % lines.size()];
      const bool last = k + 1 == count && rng() % 2;
      plain += line + (last ? "" : "\n");
      general += " " + line + (last ? "" : "\n");
    }
    for (NodeSet accept : {NodeSet::Any, NodeSet::ExternalSources}) {
      auto a = spikeio::parseSpikeCsv(plain, "s.csv", nodes, accept);
      auto b = spikeio::parseSpikeCsv(general, "s.csv", nodes, accept);
      ASSERT_EQ(bool(a), bool(b)) << plain;
      if (a)
        EXPECT_EQ(*a, *b) << plain;
      else
        EXPECT_EQ(a.error(), b.error()) << plain;
    }
  }
  auto r = spikeio::parseSpikeCsv("step,node,index\n1,in,2\n0,in,1\n", "s.csv",
                                  nodes, NodeSet::ExternalSources);
  ASSERT_TRUE(bool(r)) << r.error();
  EXPECT_EQ(*r, (std::vector<SpikeRecord>{{0, 2, 1}, {1, 2, 2}}));
}

TEST_F(SpikeIOTest, BadHeader) {
  EXPECT_EQ(errorOf("time,node,index\n0,exc,0\n"),
            "s.csv:1: bad header \"time,node,index\" (expected "
            "\"step,node,index\")");
  EXPECT_EQ(errorOf(""),
            "s.csv: empty file (expected the header \"step,node,index\")");
}

TEST_F(SpikeIOTest, UnknownNodeNamesLineAndValue) {
  EXPECT_EQ(
      errorOf("step,node,index\n0,in,0\n1,foo,0\n", NodeSet::ExternalSources),
      "s.csv:3: unknown node \"foo\" (external sources: in)");
}

TEST_F(SpikeIOTest, PopulationIsNotAnInput) {
  EXPECT_EQ(errorOf("step,node,index\n0,exc,0\n", NodeSet::ExternalSources),
            "s.csv:2: node \"exc\" cannot be named here (external sources: "
            "in)");
  EXPECT_EQ(errorOf("step,node,index\n0,stim,0\n", NodeSet::ExternalSources),
            "s.csv:2: node \"stim\" cannot be named here (external sources: "
            "in)");
}

TEST_F(SpikeIOTest, IndexOutOfRange) {
  EXPECT_EQ(errorOf("step,node,index\n0,exc,3\n0,exc,4\n"),
            "s.csv:3: index 4 of node \"exc\" out of range (size 4)");
}

TEST_F(SpikeIOTest, NonIntegerFields) {
  EXPECT_EQ(errorOf("step,node,index\n1.5,exc,0\n"),
            "s.csv:2: step \"1.5\" is not a non-negative 32-bit integer");
  EXPECT_EQ(errorOf("step,node,index\n-1,exc,0\n"),
            "s.csv:2: step \"-1\" is not a non-negative 32-bit integer");
  EXPECT_EQ(errorOf("step,node,index\n0,exc,0\n0,inh,x\n"),
            "s.csv:3: index \"x\" of node \"inh\" is not a non-negative "
            "32-bit integer");
  EXPECT_EQ(errorOf("step,node,index\n99999999999,exc,0\n"),
            "s.csv:2: step \"99999999999\" is not a non-negative 32-bit "
            "integer");
}

TEST_F(SpikeIOTest, WrongFieldCountAndEmptyNode) {
  EXPECT_EQ(errorOf("step,node,index\n0,exc\n"),
            "s.csv:2: expected 3 fields (step,node,index), found 2 in "
            "\"0,exc\"");
  EXPECT_EQ(errorOf("step,node,index\n0,exc,1,2\n"),
            "s.csv:2: expected 3 fields (step,node,index), found 4 in "
            "\"0,exc,1,2\"");
  EXPECT_EQ(errorOf("step,node,index\n0,,1\n"), "s.csv:2: empty node name");
}

TEST_F(SpikeIOTest, DuplicateNamesBothLines) {
  EXPECT_EQ(errorOf("step,node,index\n4,exc,1\n0,exc,0\n4,exc,1\n"),
            "s.csv:4: duplicate spike (step 4, node \"exc\", index 1; first "
            "on line 2)");
}

TEST_F(SpikeIOTest, MissingFileNamesThePath) {
  auto r = spikeio::readSpikeCsv(dir + "/absent.csv", nodes);
  ASSERT_FALSE(bool(r));
  EXPECT_NE(r.error().find(dir + "/absent.csv: cannot open"), std::string::npos)
      << r.error();
}

TEST_F(SpikeIOTest, DirectoryIsRefusedByName) {
  auto r = spikeio::readSpikeCsv(dir, nodes);
  ASSERT_FALSE(bool(r));
  EXPECT_EQ(r.error(), dir + ": is a directory, not a spike CSV file");
}

// A file is read whole at its size, a pipe streamed: both give the spikes.
TEST_F(SpikeIOTest, ReadsAFileAndAPipeAlike) {
  const std::string text = "step,node,index\n3,exc,1\n0,exc,0\n";
  const std::string file = dir + "/s.csv", fifo = dir + "/fifo.csv";
  std::ofstream(file) << text;
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo) << text; });
  auto fromPipe = spikeio::readSpikeCsv(fifo, nodes);
  writer.join();
  auto fromFile = spikeio::readSpikeCsv(file, nodes);
  ASSERT_TRUE(fromFile && fromPipe);
  const std::vector<spikeio::SpikeRecord> expected = {{0, 0, 0}, {3, 0, 1}};
  EXPECT_EQ(*fromFile, expected);
  EXPECT_EQ(*fromPipe, expected);
}

TEST_F(SpikeIOTest, WriterRejectsUnwritableNames) {
  chip::Image bad = image;
  bad.populations[0].name = "a,b";
  spikeio::NodeTable badNodes(bad);
  Status s = spikeio::writeSpikeCsv(dir + "/x.csv", badNodes, {});
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("node name \"a,b\" cannot be written"),
            std::string::npos)
      << s.error();
  EXPECT_TRUE(files().empty());

  bad = image;
  bad.sources[1].name = "exc";
  Status twice =
      spikeio::writeSpikeCsv(dir + "/x.csv", spikeio::NodeTable(bad), {});
  ASSERT_FALSE(bool(twice));
  EXPECT_NE(twice.error().find("node name \"exc\" is used by two nodes"),
            std::string::npos)
      << twice.error();
}

TEST_F(SpikeIOTest, UnfinishedWriterLeavesNoFile) {
  {
    auto w = spikeio::SpikeCsvWriter::create(dir + "/partial.csv", nodes);
    ASSERT_TRUE(bool(w));
    w->add({0, 0, 0});
    EXPECT_EQ(files().size(), 1u); // the temporary
  }
  EXPECT_TRUE(files().empty());
}

TEST_F(SpikeIOTest, WriteIntoMissingDirectoryFails) {
  Status s = spikeio::writeSpikeCsv(dir + "/no/such/dir.csv", nodes, {});
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find(dir + "/no/such/dir.csv"), std::string::npos);
}

TEST_F(SpikeIOTest, RunAndRecordWritesSpikesAndState) {
  // Every exc/inh neuron: bias 200, vth 320: v = 200, 400 > 320 -> spikes
  // at step 1, refractory 1, then step 3... inh is not recorded.
  Result<golden::GoldenModel> m =
      golden::GoldenModel::create(image, test::loihi1());
  ASSERT_TRUE(bool(m)) << m.error();
  emulator::RecordOptions o;
  o.spikesPath = dir + "/spikes.csv";
  o.statePath = dir + "/state.csv";
  ASSERT_TRUE(bool(golden::runAndRecord(*m, 3, o)));
  auto spikes =
      spikeio::readSpikeCsv(o.spikesPath, m->nodes(), NodeSet::Populations);
  ASSERT_TRUE(bool(spikes)) << spikes.error();
  EXPECT_EQ(*spikes, (std::vector<SpikeRecord>{
                         {1, 0, 0}, {1, 0, 1}, {1, 0, 2}, {1, 0, 3}}));
  const std::string state = slurp(o.statePath);
  EXPECT_EQ(state.substr(0, state.find('\n', state.find('\n') + 1) + 1),
            "step,node,index,u,v\n0,exc,0,0,200\n");
  EXPECT_NE(state.find("\n2,exc,3,0,0\n"), std::string::npos) << state;
  EXPECT_EQ(state.find("inh"), std::string::npos);
}

TEST_F(SpikeIOTest, RunAndRecordCountsSpikesAndReportsProgress) {
  Result<golden::GoldenModel> m =
      golden::GoldenModel::create(image, test::loihi1());
  ASSERT_TRUE(bool(m)) << m.error();
  emulator::RecordOptions o;
  std::vector<uint64_t> counts;
  std::vector<std::pair<uint32_t, uint32_t>> progress;
  o.spikeCounts = &counts;
  o.onStep = [&](uint32_t done, uint32_t total) {
    progress.push_back({done, total});
    return true;
  };
  ASSERT_TRUE(bool(golden::runAndRecord(*m, 3, o)));
  // Counts cover unrecorded populations too (inh spikes like exc).
  ASSERT_EQ(counts.size(), m->populationCount());
  EXPECT_EQ(counts[0], 4u);
  EXPECT_EQ(counts[1], counts[0] * m->populationSize(1) / m->populationSize(0));
  EXPECT_EQ(progress, (std::vector<std::pair<uint32_t, uint32_t>>{
                          {1, 3}, {2, 3}, {3, 3}}));
}

TEST_F(SpikeIOTest, RunStoppedByOnStepKeepsFilesCompleteToThatStep) {
  Result<golden::GoldenModel> m =
      golden::GoldenModel::create(image, test::loihi1());
  ASSERT_TRUE(bool(m)) << m.error();
  emulator::RecordOptions o;
  o.statePath = dir + "/state.csv";
  o.onStep = [](uint32_t done, uint32_t) { return done < 2; };
  ASSERT_TRUE(bool(golden::runAndRecord(*m, 100, o)));
  EXPECT_EQ(m->currentStep(), 2u);
  const std::string state = slurp(o.statePath);
  EXPECT_NE(state.find("\n1,exc,3,"), std::string::npos) << state;
  EXPECT_EQ(state.find("\n2,exc,"), std::string::npos) << state;
}

} // namespace
