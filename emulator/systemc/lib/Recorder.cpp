//===- Recorder.cpp - VCD and Chrome trace output of the SystemC model ----===//
//
// VCD (IEEE 1364 section 18): a header declaring one scope per core and per
// router under "chip", then "#<time>" lines, each followed by the values
// that changed at that time. Identifiers are base-94 strings of printable
// ASCII. Integer signals are written in binary ("b101 id"), busy bits as
// "1id"/"0id". Trace: the Chrome trace-event JSON object form, with
// "M" events naming processes (chips) and threads (cores, routers), "X"
// events per core per step and "C" counter events for queue depths; time
// stamps are microseconds.
//
//===----------------------------------------------------------------------===//
#include "Recorder.h"

#include <algorithm>
#include <cstdio>

namespace cajal::systemc::detail {

namespace {

std::string vcdId(uint32_t n) {
  constexpr uint32_t first = 33, count = 94; // '!' .. '~'
  std::string id;
  do {
    id.push_back(char(first + n % count));
    n /= count;
  } while (n > 0);
  return id;
}

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

} // namespace

Result<std::unique_ptr<Recorder>> Recorder::create(const std::string &vcdPath,
                                                   const std::string &tracePath,
                                                   Layout layout) {
  std::unique_ptr<Recorder> r(new Recorder());
  r->layout = std::move(layout);
  const size_t n = r->layout.signals.size();
  r->value.assign(n, 0);
  r->written.assign(n, 0);
  for (uint32_t i = 0; i < n; ++i)
    r->ids.push_back(vcdId(i));
  if (!vcdPath.empty()) {
    Result<AtomicFile> f = AtomicFile::create(vcdPath);
    if (!f)
      return f.takeError();
    r->vcd.emplace(std::move(*f));
    r->writeVcdHeader();
  }
  if (!tracePath.empty()) {
    Result<AtomicFile> f = AtomicFile::create(tracePath);
    if (!f)
      return f.takeError();
    r->trace.emplace(std::move(*f));
    r->writeTraceHeader();
  }
  return r;
}

void Recorder::writeVcdHeader() {
  std::string h = "$version Cajal SystemC model $end\n$timescale " +
                  layout.timescale + " $end\n$scope module chip $end\n";
  std::string scope;
  for (size_t i = 0; i < layout.signals.size(); ++i) {
    const Signal &s = layout.signals[i];
    if (s.scope != scope) {
      if (!scope.empty())
        h += "$upscope $end\n";
      if (!s.scope.empty())
        h += "$scope module " + s.scope + " $end\n";
      scope = s.scope;
    }
    h += std::string("$var ") + (s.width == 1 ? "wire 1 " : "integer 32 ") +
         ids[i] + " " + s.name + " $end\n";
  }
  if (!scope.empty())
    h += "$upscope $end\n";
  h += "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
  for (size_t i = 0; i < layout.signals.size(); ++i)
    h += vcdValue(uint32_t(i), 0);
  h += "$end\n";
  vcd->write(h);
  anyTime = true;
  lastTime = 0;
}

void Recorder::writeTraceHeader() {
  std::string h = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
  bool first = true;
  auto add = [&](const std::string &e) {
    h += (first ? "" : ",\n") + e;
    first = false;
  };
  for (size_t p = 0; p < layout.processes.size(); ++p)
    add("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + std::to_string(p) +
        ",\"args\":{\"name\":" + jsonString(layout.processes[p]) + "}}");
  for (const Track &t : layout.tracks)
    add("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" +
        std::to_string(t.pid) + ",\"tid\":" + std::to_string(t.tid) +
        ",\"args\":{\"name\":" + jsonString(t.name) + "}}");
  firstTraceEvent = first;
  trace->write(h);
}

std::string Recorder::vcdValue(uint32_t signal, int64_t v) const {
  if (layout.signals[signal].width == 1)
    return (v > 0 ? "1" : "0") + ids[signal] + "\n";
  std::string bits;
  uint32_t u = uint32_t(v);
  do {
    bits.push_back(char('0' + (u & 1)));
    u >>= 1;
  } while (u);
  std::reverse(bits.begin(), bits.end());
  return "b" + bits + " " + ids[signal] + "\n";
}

std::string Recorder::micros(uint64_t cycle) const {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6f", double(cycle) * 1e6 / layout.clockHz);
  return buf;
}

void Recorder::span(uint32_t pid, uint32_t tid, const std::string &name,
                    uint64_t begin, uint64_t end, const std::string &args) {
  if (!trace)
    return;
  buffer += (firstTraceEvent ? "" : ",\n");
  firstTraceEvent = false;
  buffer += "{\"name\":" + jsonString(name) +
            ",\"ph\":\"X\",\"pid\":" + std::to_string(pid) +
            ",\"tid\":" + std::to_string(tid) + ",\"ts\":" + micros(begin) +
            ",\"dur\":" + micros(end > begin ? end - begin : 0) +
            ",\"args\":" + args + "}";
}

void Recorder::emit(uint64_t cycle, const std::vector<uint32_t> &touched) {
  std::string v;
  for (uint32_t s : touched) {
    const Signal &sig = layout.signals[s];
    const int64_t now = sig.width == 1 ? (value[s] > 0) : value[s];
    const int64_t old = sig.width == 1 ? (written[s] > 0) : written[s];
    if (now == old)
      continue;
    written[s] = value[s];
    v += vcdValue(s, value[s]);
    if (trace && !sig.counter.empty()) {
      buffer += (firstTraceEvent ? "" : ",\n");
      firstTraceEvent = false;
      buffer += "{\"name\":" + jsonString(sig.counter) +
                ",\"ph\":\"C\",\"pid\":" + std::to_string(sig.pid) +
                ",\"ts\":" + micros(cycle) +
                ",\"args\":{\"depth\":" + std::to_string(value[s]) + "}}";
    }
  }
  if (!vcd || v.empty())
    return;
  const uint64_t t = cycle * layout.ticksPerCycle;
  if (!anyTime || t != lastTime)
    vcd->write("#" + std::to_string(t) + "\n");
  anyTime = true;
  lastTime = t;
  vcd->write(v);
}

void Recorder::endStep(uint64_t) {
  std::stable_sort(
      changes.begin(), changes.end(),
      [](const Change &a, const Change &b) { return a.cycle < b.cycle; });
  std::vector<uint32_t> touched;
  for (size_t i = 0; i < changes.size();) {
    const uint64_t cycle = changes[i].cycle;
    touched.clear();
    for (; i < changes.size() && changes[i].cycle == cycle; ++i) {
      const Change &c = changes[i];
      value[c.signal] = c.absolute ? c.value : value[c.signal] + c.value;
      touched.push_back(c.signal);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    emit(cycle, touched);
  }
  changes.clear();
  if (trace && !buffer.empty()) {
    trace->write(buffer);
    buffer.clear();
  }
}

Status Recorder::finish(uint64_t cycle) {
  if (finished)
    return Status::ok();
  finished = true;
  changes.clear(); // an unfinished step is not written
  buffer.clear();
  Status result;
  if (vcd) {
    const uint64_t t = cycle * layout.ticksPerCycle;
    if (!anyTime || t > lastTime)
      vcd->write("#" + std::to_string(t) + "\n");
    if (Status s = vcd->commit(); !s)
      result = s;
  }
  if (trace) {
    trace->write("\n]}\n");
    if (Status s = trace->commit(); !s && result)
      result = s;
  }
  return result;
}

} // namespace cajal::systemc::detail
