//===- OutputTest.cpp - Power JSON, VCD, trace, diagnostics, API rules ----===//
//
// The files a user opens: the power report JSON agrees with the in-memory
// report; the VCD declares a scope per core and router and has increasing
// time stamps that end at the last step; the trace is Chrome JSON with one
// complete event per core per step. A step that cannot finish names the
// step, the core and the reason, and leaves every file complete up to the
// last finished step. One engine at a time, one mesh shape per process.
//
//===----------------------------------------------------------------------===//
#include "SystemCTestUtil.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/ImageGen/RandomImage.h"

#include "cajal/Golden/GoldenRun.h"
#include "cajal/SystemC/SystemCEngine.h"
#include "cajal/SystemC/SystemCRun.h"
#include "cajal/SystemC/Timing.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace cajal;
using cajal::systemc::Options;
using cajal::systemc::PowerReport;
using cajal::systemc::SystemCEngine;
using cajal::systemc::Timing;
using json = nlohmann::json;

namespace {

chip::Image randomImage(uint64_t seed) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.steps = 40;
  chip::Image img = imagegen::randomNetwork(sctest::loihi1(), o).image;
  sctest::scatter(img, sctest::loihi1(), seed);
  return img;
}

struct Vcd {
  std::map<std::string, std::string> vars; ///< id -> scope.name
  std::set<std::string> scopes;
  std::vector<uint64_t> times;
  std::map<std::string, int64_t> maxValue; ///< by scope.name
  std::string error;
};

/// A small VCD reader: enough to check what GTKWave needs.
Vcd parseVcd(const std::string &text) {
  Vcd v;
  std::istringstream in(text);
  std::string line, scope;
  bool body = false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string w;
    words >> w;
    if (!body) {
      if (w == "$scope") {
        words >> w >> scope;
        v.scopes.insert(scope);
      } else if (w == "$var") {
        std::string type, width, id, name;
        words >> type >> width >> id >> name;
        v.vars[id] = scope + "." + name;
      } else if (w == "$enddefinitions") {
        body = true;
      }
      continue;
    }
    if (w.empty() || w == "$dumpvars" || w == "$end")
      continue;
    if (w[0] == '#') {
      const uint64_t t = std::stoull(w.substr(1));
      if (!v.times.empty() && t <= v.times.back())
        v.error = "time " + w + " does not increase";
      v.times.push_back(t);
      continue;
    }
    std::string id;
    int64_t value = 0;
    if (w[0] == 'b') {
      words >> id;
      value = std::stoll(w.substr(1), nullptr, 2);
    } else if (w[0] == '0' || w[0] == '1') {
      id = w.substr(1);
      value = w[0] - '0';
    } else {
      v.error = "bad line: " + line;
      continue;
    }
    if (!v.vars.count(id))
      v.error = "undeclared id in: " + line;
    int64_t &m = v.maxValue[v.vars[id]];
    m = std::max(m, value);
  }
  return v;
}

TEST(OutputTest, PowerJsonAgreesWithTheReport) {
  sctest::TempDir dir;
  Options opt;
  opt.powerPath = dir.file("power.json");
  {
    Result<SystemCEngine> e =
        SystemCEngine::create(randomImage(3), sctest::loihi1(), opt);
    ASSERT_TRUE(bool(e)) << e.error();
    ASSERT_TRUE(bool(e->run(30)));
    const PowerReport r = e->powerReport();
    ASSERT_TRUE(bool(e->finish()));
    const json j = json::parse(sctest::readBytes(opt.powerPath));
    EXPECT_EQ(j["format"], "cajal-power/1");
    EXPECT_EQ(j["profile"], "loihi1");
    EXPECT_EQ(j["steps"], 30);
    EXPECT_EQ(j["time"]["cycles"].get<uint64_t>(), r.cycles);
    EXPECT_EQ(j["counts"]["synapticOps"].get<uint64_t>(), r.counts.synapticOps);
    EXPECT_EQ(j["counts"]["hopsEastWest"].get<uint64_t>(),
              r.counts.hopsEastWest);
    EXPECT_DOUBLE_EQ(j["energyPJ"]["total"].get<double>(), r.energy.total());
    EXPECT_DOUBLE_EQ(j["energyPJ"]["static"].get<double>(),
                     r.energy.staticEnergy);
    EXPECT_DOUBLE_EQ(j["powerMW"]["average"].get<double>(), r.averagePowerMW);
    EXPECT_EQ(j["cores"].size(), r.cores.size());
    ASSERT_EQ(j["stepTimes"].size(), 30u);
    uint64_t sum = 0;
    for (const json &s : j["stepTimes"])
      sum += s["cycles"].get<uint64_t>();
    EXPECT_EQ(sum, r.cycles);
    EXPECT_GT(r.counts.synapticOps, 0u);
    // The table shows the same totals.
    const std::string table = systemc::formatPowerTable(r);
    EXPECT_NE(table.find("synaptic ops"), std::string::npos);
    EXPECT_NE(table.find(std::to_string(r.counts.synapticOps)),
              std::string::npos);
    EXPECT_NE(table.find("steps limited by"), std::string::npos);
  }
}

TEST(OutputTest, VcdAndTraceDescribeEveryCoreAndStep) {
  sctest::TempDir dir;
  Options opt;
  opt.vcdPath = dir.file("run.vcd");
  opt.tracePath = dir.file("run.trace.json");
  const chip::Image img = randomImage(5);
  const uint32_t steps = 25;
  uint64_t cycles = 0;
  {
    Result<SystemCEngine> e = SystemCEngine::create(img, sctest::loihi1(), opt);
    ASSERT_TRUE(bool(e)) << e.error();
    ASSERT_TRUE(bool(e->run(steps)));
    cycles = e->powerReport().cycles;
    EXPECT_FALSE(sctest::fileExists(opt.vcdPath)); // written on finish()
    ASSERT_TRUE(bool(e->finish()));
  }
  const Vcd v = parseVcd(sctest::readBytes(opt.vcdPath));
  EXPECT_EQ(v.error, "");
  for (uint32_t c = 0; c < img.cores.size(); ++c)
    EXPECT_TRUE(v.scopes.count("core" + std::to_string(c))) << c;
  EXPECT_TRUE(v.scopes.count("router_0_0"));
  ASSERT_FALSE(v.times.empty());
  EXPECT_EQ(v.times.back(), cycles * 1000); // 1 GHz in picoseconds
  EXPECT_EQ(v.maxValue.at("chip.step"), steps - 1);
  EXPECT_EQ(v.maxValue.at("chip.barrier"), 1);
  for (uint32_t c = 0; c < img.cores.size(); ++c)
    EXPECT_LE(v.maxValue.at("core" + std::to_string(c) + ".input_queue"),
              int64_t(sctest::loihi1().core.inputQueueDepth));

  const json t = json::parse(sctest::readBytes(opt.tracePath));
  std::map<std::pair<int, int>, uint32_t> perThread;
  std::set<int> named;
  size_t counters = 0;
  for (const json &ev : t["traceEvents"]) {
    const std::string ph = ev["ph"];
    if (ph == "X" && ev["name"].get<std::string>().rfind("step ", 0) == 0)
      ++perThread[{ev["pid"].get<int>(), ev["tid"].get<int>()}];
    if (ph == "M" && ev["name"] == "thread_name")
      named.insert(ev["tid"].get<int>());
    if (ph == "C") {
      ++counters;
      EXPECT_TRUE(ev["args"].contains("depth"));
    }
  }
  ASSERT_EQ(perThread.size(), img.cores.size());
  for (const auto &[who, n] : perThread) {
    EXPECT_EQ(n, steps) << "core " << who.second;
    EXPECT_TRUE(named.count(who.second));
    EXPECT_EQ(who.first, 0); // one chip
  }
  EXPECT_GT(counters, 0u);
}

/// A core one tile east of the host gets 64 spikes at step 3 only.
chip::Image lateBurst(const chip::Profile &p) {
  imagegen::ImageBuilder b(p);
  chip::CompartmentParams c;
  c.thresholdMantissa = 1000;
  c.vmaxExponent = 7;
  b.addCore({c});
  b.addInputAxon(0, {{0, 1, 1}}, 1, 0, false);
  chip::Source s;
  s.name = "stim";
  s.kind = chip::SourceKind::File;
  s.size = 64;
  for (uint32_t i = 0; i < 64; ++i)
    s.spikes.push_back({3, i});
  b.addSource(s);
  for (uint32_t i = 0; i < 64; ++i)
    b.addSourceTarget(0, i, {0, 0});
  b.addPopulation("one", {{0, 0, 0, 1}});
  chip::Image img = b.build();
  img.cores[0].x = 1;
  return img;
}

TEST(OutputTest, StepPastTheTimeoutStopsWithADiagnostic) {
  chip::Profile p = sctest::loihi1();
  p.cost.stepTimeoutNs = 200; // idle steps take 119 cycles, step 3 about 380
  sctest::TempDir dir;
  Options opt;
  opt.powerPath = dir.file("power.json");
  opt.vcdPath = dir.file("run.vcd");
  opt.tracePath = dir.file("trace.json");
  uint64_t cycles = 0;
  {
    Result<SystemCEngine> e = SystemCEngine::create(lateBurst(p), p, opt);
    ASSERT_TRUE(bool(e)) << e.error();
    ASSERT_TRUE(bool(e->run(3)));
    cycles = e->powerReport().cycles;
    Status s = e->step();
    ASSERT_FALSE(bool(s));
    const std::string err = s.error();
    EXPECT_NE(err.find("step 3"), std::string::npos) << err;
    EXPECT_NE(err.find("cost.stepTimeoutNs"), std::string::npos) << err;
    EXPECT_NE(err.find("core 0 is busy"), std::string::npos) << err;
    EXPECT_EQ(e->currentStep(), 3u);
    Status again = e->step();
    ASSERT_FALSE(bool(again));
    EXPECT_EQ(again.error(), err);
    EXPECT_TRUE(bool(e->finish()));
  }
  const json power = json::parse(sctest::readBytes(opt.powerPath));
  EXPECT_EQ(power["steps"], 3);
  EXPECT_EQ(power["time"]["cycles"].get<uint64_t>(), cycles);
  const Vcd v = parseVcd(sctest::readBytes(opt.vcdPath));
  EXPECT_EQ(v.error, "");
  EXPECT_EQ(v.times.back(), cycles * 1000);
  EXPECT_EQ(v.maxValue.at("chip.step"), 2); // step 3 is not written
  const json t = json::parse(sctest::readBytes(opt.tracePath));
  size_t spans = 0;
  for (const json &ev : t["traceEvents"])
    spans += ev["ph"] == "X" && ev["tid"] == 0;
  EXPECT_EQ(spans, 3u);

  // An image is bound to its profile's fingerprint; built for loihi1, the
  // same network runs through with the default watchdog.
  Result<SystemCEngine> other =
      SystemCEngine::create(lateBurst(p), sctest::loihi1());
  ASSERT_FALSE(bool(other));
  Result<SystemCEngine> e2 =
      SystemCEngine::create(lateBurst(sctest::loihi1()), sctest::loihi1());
  ASSERT_TRUE(bool(e2)) << e2.error();
  EXPECT_TRUE(bool(e2->run(5)));
}

TEST(OutputTest, RecordedCsvFilesEqualTheGoldenModels) {
  sctest::TempDir dir;
  imagegen::RandomOptions o;
  o.seed = 21;
  o.steps = 60;
  const imagegen::RandomNetwork net =
      imagegen::randomNetwork(sctest::loihi1(), o);
  emulator::RecordOptions rec;
  rec.recordSources = true;
  rec.recordAll = true;
  std::vector<uint64_t> goldenCounts, systemcCounts;
  {
    Result<golden::GoldenModel> g =
        golden::GoldenModel::create(net.image, sctest::loihi1());
    ASSERT_TRUE(bool(g)) << g.error();
    rec.spikesPath = dir.file("golden.csv");
    rec.statePath = dir.file("golden-state.csv");
    rec.spikeCounts = &goldenCounts;
    ASSERT_TRUE(bool(golden::runAndRecord(*g, o.steps, rec)));
  }
  Options opt;
  opt.powerPath = dir.file("power.json");
  Result<SystemCEngine> s =
      SystemCEngine::create(net.image, sctest::loihi1(), opt);
  ASSERT_TRUE(bool(s)) << s.error();
  rec.spikesPath = dir.file("systemc.csv");
  rec.statePath = dir.file("systemc-state.csv");
  rec.spikeCounts = &systemcCounts;
  Status st = systemc::runAndRecord(*s, o.steps, rec);
  ASSERT_TRUE(bool(st)) << st.error();
  const std::string spikes = sctest::readBytes(dir.file("golden.csv"));
  EXPECT_GT(spikes.size(), 1000u);
  EXPECT_EQ(spikes, sctest::readBytes(dir.file("systemc.csv")));
  EXPECT_EQ(sctest::readBytes(dir.file("golden-state.csv")),
            sctest::readBytes(dir.file("systemc-state.csv")));
  EXPECT_EQ(goldenCounts, systemcCounts);
  EXPECT_TRUE(sctest::fileExists(opt.powerPath)); // runAndRecord finished
}

TEST(OutputTest, FailedRunWritesNoFile) {
  // A run that ends in an error leaves no output: neither the CSV files of
  // the recording loop nor the engine's power report, VCD and trace.
  chip::Profile p = sctest::loihi1();
  p.cost.stepTimeoutNs = 200;
  sctest::TempDir dir;
  Options opt;
  opt.powerPath = dir.file("power.json");
  opt.vcdPath = dir.file("run.vcd");
  opt.tracePath = dir.file("trace.json");
  emulator::RecordOptions rec;
  rec.spikesPath = dir.file("spikes.csv");
  rec.recordSources = true;
  {
    Result<SystemCEngine> e = SystemCEngine::create(lateBurst(p), p, opt);
    ASSERT_TRUE(bool(e)) << e.error();
    Status st = systemc::runAndRecord(*e, 10, rec);
    ASSERT_FALSE(bool(st));
    EXPECT_NE(st.error().find("step 3"), std::string::npos) << st.error();
    EXPECT_EQ(e->currentStep(), 3u);
  }
  for (const std::string &f :
       {rec.spikesPath, opt.powerPath, opt.vcdPath, opt.tracePath})
    EXPECT_FALSE(sctest::fileExists(f)) << f;
  EXPECT_EQ(sctest::listDir(dir.path), std::vector<std::string>{});
}

TEST(OutputTest, EngineThatFailsToStartWritesNoPowerReport) {
  // The fabric refuses 64 cores per router: create() fails after the
  // engine's outputs are configured. Its destructor used to write the power
  // report of a fabric it never acquired (a null dereference).
  chip::Profile p = sctest::loihi1();
  p.mesh.coresPerTile = 64;
  p.core.compartments = 16;
  imagegen::ImageBuilder b(p);
  b.addCore({chip::CompartmentParams()});
  sctest::TempDir dir;
  Options opt;
  opt.powerPath = dir.file("power.json");
  opt.vcdPath = dir.file("run.vcd");
  opt.tracePath = dir.file("trace.json");
  Result<SystemCEngine> e = SystemCEngine::create(b.build(), p, opt);
  ASSERT_FALSE(bool(e));
  EXPECT_NE(e.error().find("mesh.coresPerTile = 64"), std::string::npos)
      << e.error();
  EXPECT_EQ(sctest::listDir(dir.path), std::vector<std::string>{});
}

TEST(OutputTest, ClockPeriodBeyondTheModelIsRefused) {
  // 1e-300 Hz: the period in SystemC ticks is infinite and converted to 0,
  // and Fabric::now() divided by it.
  chip::Profile p = sctest::loihi1();
  p.name = "slow";
  p.cost.clockHz = 1e-300;
  imagegen::ImageBuilder b(p);
  b.addCore({chip::CompartmentParams()});
  Result<SystemCEngine> e = SystemCEngine::create(b.build(), p);
  ASSERT_FALSE(bool(e));
  EXPECT_NE(e.error().find("profile \"slow\": cost.clockHz = 1e-300"),
            std::string::npos)
      << e.error();
  p.cost.clockHz = 2e12; // faster than the 1 ps resolution
  imagegen::ImageBuilder fast(p);
  fast.addCore({chip::CompartmentParams()});
  e = SystemCEngine::create(fast.build(), p);
  ASSERT_FALSE(bool(e));
  EXPECT_NE(e.error().find("cost.clockHz = 2e+12"), std::string::npos)
      << e.error();
}

TEST(OutputTest, HugeWatchdogNeverFires) {
  // 1e300 ns is 1e299 cycles: converted without a range check it became 0
  // and every step timed out at once.
  EXPECT_EQ(Timing::cyclesFor(1e300, 1e8), UINT64_MAX);
  chip::Profile p = sctest::loihi1();
  p.cost.stepTimeoutNs = 1e300;
  EXPECT_EQ(systemc::timingFor(p).stepTimeoutCycles, UINT64_MAX);
  Result<SystemCEngine> e = SystemCEngine::create(lateBurst(p), p);
  ASSERT_TRUE(bool(e)) << e.error();
  Status st = e->run(5);
  EXPECT_TRUE(bool(st)) << st.error();
}

TEST(OutputTest, StaticPowerCountsTheChipsInUseWhenGated) {
  // Two chips of 4 x 4 tiles: the same 8 x 4 fabric as loihi1. The network
  // sits on chip 0 only.
  chip::Profile p = sctest::loihi1();
  p.mesh.tilesX = 4;
  p.mesh.chipsX = 2;
  for (const bool gated : {false, true}) {
    SCOPED_TRACE(gated ? "gated" : "not gated");
    p.cost.powerGateUnusedChips = gated;
    Result<SystemCEngine> e = SystemCEngine::create(lateBurst(p), p);
    ASSERT_TRUE(bool(e)) << e.error();
    ASSERT_TRUE(bool(e->run(5)));
    const PowerReport r = e->powerReport();
    EXPECT_EQ(r.chips, 2u);
    EXPECT_EQ(r.chipsUsed, 1u);
    EXPECT_EQ(r.powerGateUnusedChips, gated);
    EXPECT_DOUBLE_EQ(r.staticPowerMW, p.cost.staticPowerMW * (gated ? 1 : 2));
    const json doc = json::parse(systemc::powerJson(r));
    EXPECT_EQ(doc["chips"], 2);
    EXPECT_EQ(doc["chipsUsed"], 1);
    EXPECT_EQ(doc["powerGateUnusedChips"], gated);
    const std::string table = systemc::formatPowerTable(r);
    EXPECT_NE(table.find("1 of 2 chip(s) used"), std::string::npos) << table;
  }
}

TEST(OutputTest, OneEngineAtATimeAndOneMeshShapePerProcess) {
  const chip::Image img = randomImage(9);
  Result<SystemCEngine> a = SystemCEngine::create(img, sctest::loihi1());
  ASSERT_TRUE(bool(a)) << a.error();
  Result<SystemCEngine> b = SystemCEngine::create(img, sctest::loihi1());
  ASSERT_FALSE(bool(b));
  EXPECT_NE(b.error().find("another SystemCEngine"), std::string::npos)
      << b.error();
  *a = SystemCEngine(std::move(*a)); // moving keeps it alive and usable
  EXPECT_TRUE(bool(a->run(2)));
  a = Result<SystemCEngine>(makeError("released"));
  chip::Profile wide = sctest::loihi1();
  wide.mesh.tilesX *= 2;
  imagegen::ImageBuilder builder(wide);
  builder.addCore({});
  Result<SystemCEngine> c = SystemCEngine::create(builder.build(), wide);
  ASSERT_FALSE(bool(c));
  EXPECT_NE(c.error().find("elaborated"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("new process"), std::string::npos) << c.error();
  Result<SystemCEngine> d = SystemCEngine::create(img, sctest::loihi1());
  EXPECT_TRUE(bool(d)) << d.error();
}

TEST(OutputTest, BadInputIsAnErrorNamingTheThing) {
  chip::Image img = randomImage(11);
  img.cores[0].compartments[0].decayU = 60000; // beyond 12 bits
  Result<SystemCEngine> e = SystemCEngine::create(img, sctest::loihi1());
  ASSERT_FALSE(bool(e));
  EXPECT_NE(e.error().find("decayU"), std::string::npos) << e.error();

  sctest::TempDir dir;
  Options opt;
  opt.powerPath = dir.file("power.json");
  opt.vcdPath = dir.file("no/such/dir/run.vcd");
  Result<SystemCEngine> noDir =
      SystemCEngine::create(randomImage(11), sctest::loihi1(), opt);
  ASSERT_FALSE(bool(noDir));
  EXPECT_NE(noDir.error().find("run.vcd"), std::string::npos) << noDir.error();
  EXPECT_FALSE(sctest::fileExists(opt.powerPath)); // no output on failure

  Result<SystemCEngine> ok =
      SystemCEngine::create(randomImage(11), sctest::loihi1());
  ASSERT_TRUE(bool(ok)) << ok.error();
  const spikeio::NodeTable &nodes = ok->nodes();
  Status s = ok->setExternalSpikes({{0, nodes.sourceNode(0), 0}}); // Poisson
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("not an external source"), std::string::npos)
      << s.error();
  const uint32_t ext = nodes.sourceNode(3);
  s = ok->setExternalSpikes({{0, ext, nodes.nodeSize(ext)}});
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("out of range"), std::string::npos) << s.error();
}

} // namespace
