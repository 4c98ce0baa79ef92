//===- Recorder.h - VCD and Chrome trace output -----------------*- C++ -*-===//
//
// Internal to CajalSystemC. The modules compute many event times ahead (a
// spike's service start in a core's synapse unit is known when it is
// queued), so they log value changes with their cycle, in any order; at the
// end of each step the recorder sorts the step's changes by cycle, folds
// them into signal values and appends them to a VCD file (GTKWave) and to a
// Chrome/Perfetto trace (counters), together with one complete event per
// core per step. Both files are written through AtomicFile and
// committed by finish(), so they are complete up to the last finished step
// even when a step fails.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_LIB_RECORDER_H
#define CAJAL_SYSTEMC_LIB_RECORDER_H

#include "cajal/Chip/Result.h"
#include "cajal/Emulator/SpikeIO.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cajal::systemc::detail {

class Recorder {
public:
  struct Signal {
    std::string scope;  ///< VCD module under "chip", e.g. "core3"
    std::string name;   ///< e.g. "input_queue"
    unsigned width = 1; ///< 1: a busy bit (value > 0), else an integer
    /// Trace counter name ("" for VCD only) and its process (chip).
    std::string counter;
    uint32_t pid = 0;
  };
  struct Track {
    uint32_t pid = 0, tid = 0;
    std::string name;
  };
  struct Layout {
    std::vector<Signal> signals;
    std::vector<std::string> processes; ///< trace process names, by pid
    std::vector<Track> tracks;          ///< trace thread names
    double clockHz = 1e9;
    uint64_t ticksPerCycle = 1; ///< VCD ticks per clock cycle
    std::string timescale = "1 ps";
  };

  /// Either path may be empty (that output is off); both empty: no recorder.
  static Result<std::unique_ptr<Recorder>> create(const std::string &vcdPath,
                                                  const std::string &tracePath,
                                                  Layout layout);

  /// Signal `signal` changes by `delta` at `cycle`.
  void change(uint64_t cycle, uint32_t signal, int64_t delta) {
    changes.push_back({cycle, signal, delta, false});
  }
  /// Signal `signal` becomes `value` at `cycle`.
  void set(uint64_t cycle, uint32_t signal, int64_t to) {
    changes.push_back({cycle, signal, to, true});
  }
  /// A complete event ("ph":"X") on a trace thread; `args` is a JSON object.
  void span(uint32_t pid, uint32_t tid, const std::string &name, uint64_t begin,
            uint64_t end, const std::string &args);
  /// Write the step's changes (all at or before `cycle`).
  void endStep(uint64_t cycle);
  /// Close both files at `cycle` and rename them into place.
  Status finish(uint64_t cycle);

private:
  struct Change {
    uint64_t cycle;
    uint32_t signal;
    int64_t value;
    bool absolute;
  };
  Recorder() = default;
  void writeVcdHeader();
  void writeTraceHeader();
  std::string vcdValue(uint32_t signal, int64_t value) const;
  std::string micros(uint64_t cycle) const;
  void emit(uint64_t cycle, const std::vector<uint32_t> &touched);

  Layout layout;
  std::optional<AtomicFile> vcd, trace;
  std::vector<std::string> ids; ///< VCD identifiers
  std::vector<int64_t> value;   ///< current value per signal
  std::vector<int64_t> written; ///< last value written per signal
  std::vector<Change> changes;
  std::string buffer;
  uint64_t lastTime = 0;
  bool anyTime = false, firstTraceEvent = true, finished = false;
};

} // namespace cajal::systemc::detail

#endif // CAJAL_SYSTEMC_LIB_RECORDER_H
