//===- PowerReport.h - Energy and time of a SystemC run ---------*- C++ -*-===//
//
// The power model (docs/power.md): energy = sum over event kinds of
// count x the profile's energy per event, plus static power x chips x time.
// Counts come from the cycle-level run (synaptic ops, compartment updates,
// spikes delivered within a tile, router hops, barriers); each energy is
// computed as one product count x figure so that a test can reproduce it
// exactly. The report also holds the time of every step and the core or
// router that limited it.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_POWERREPORT_H
#define CAJAL_SYSTEMC_POWERREPORT_H

#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::systemc {

/// Events that cost energy.
struct EventCounts {
  uint64_t synapticOps = 0;
  uint64_t activeUpdates = 0;
  uint64_t inactiveUpdates = 0;
  uint64_t spikes = 0;          ///< spikes delivered to a core (in-tile leg)
  uint64_t hopsEastWest = 0;    ///< router-to-router link traversals along x
  uint64_t hopsNorthSouth = 0;  ///< ... along y
  uint64_t barrierTiles = 0;    ///< tiles taking part, summed over barriers
  uint64_t learningUpdates = 0; ///< learning synapses updated (epoch ends)
  /// Energy of the active updates: each one's chip::programCost (the
  /// active updates of different programs cost differently).
  double activeUpdatePJ = 0;
  EventCounts &operator+=(const EventCounts &o);
};

/// Energy in pJ by event kind.
struct Energy {
  double synapticOps = 0;
  double activeUpdates = 0;
  double inactiveUpdates = 0;
  double spikes = 0;
  double hopsEastWest = 0;
  double hopsNorthSouth = 0;
  double barrier = 0;
  double learning = 0;
  double staticEnergy = 0;
  double dynamic() const;
  double total() const { return dynamic() + staticEnergy; }
};

/// count x figure for each kind (staticEnergy stays 0).
Energy dynamicEnergy(const EventCounts &counts, const chip::CostTable &cost);

/// What closed a step last (docs/emulator.md, "Who limited the step").
struct Limiter {
  enum class Kind : uint8_t { None, Core, Router, Host };
  enum class Reason : uint8_t {
    Idle,          ///< nothing to do: the barrier alone
    Update,        ///< the core's compartment update phase
    SynapticInput, ///< the core's synapse unit, with spikes queued
    Congestion,    ///< a spike waited in this router (busy link or full buffer)
    Learning,      ///< the core's learning phase (an epoch's end)
    SpikeLatency,  ///< a late spike from this core's update, not queued
    Injection,     ///< a late spike from the host
  };
  Kind kind = Kind::None;
  Reason reason = Reason::Idle;
  uint32_t index = 0; ///< image core index (Core), or router x + y * width
  uint32_t x = 0, y = 0;
  std::string describe() const; ///< "core 3 (synaptic input)"
};
const char *reasonName(Limiter::Reason reason);

struct StepTiming {
  uint32_t step = 0;
  uint64_t cycles = 0;        ///< work + barrier
  uint64_t barrierCycles = 0; ///< the barrier's share
  Limiter limiter;
};

struct CoreReport {
  uint32_t core = 0;
  uint32_t x = 0, y = 0, slot = 0;
  EventCounts counts;
  Energy energy;
  uint64_t updateCycles = 0;  ///< update unit busy, summed over steps
  uint64_t synapseCycles = 0; ///< synapse unit busy
  uint64_t wordsRead = 0;     ///< synapse-memory words
  uint32_t maxInputQueue = 0; ///< deepest input spike queue seen
  uint32_t limitedSteps = 0;  ///< steps this core limited
};

struct RouterReport {
  uint32_t x = 0, y = 0;
  EventCounts counts; ///< hops it sent
  Energy energy;
  uint64_t stallCycles = 0; ///< cycles ready packets waited, summed
  uint32_t maxBuffered = 0; ///< most packets held at once
  uint32_t limitedSteps = 0;
};

struct PowerReport {
  std::string profile;
  double clockHz = 0;
  uint32_t chips = 0;     ///< chips of the profile
  uint32_t chipsUsed = 0; ///< chips holding a used core
  /// cost.powerGateUnusedChips: static power counts chipsUsed, not chips.
  bool powerGateUnusedChips = false;
  uint32_t tiles = 0; ///< tiles with a used core (barrier participants)
  uint32_t steps = 0;
  uint64_t cycles = 0;
  double seconds = 0;
  double staticPowerMW = 0; ///< chips drawing static power
  double averagePowerMW = 0;
  EventCounts counts;
  Energy energy;
  /// The image learns: the report has its learning entries.
  bool learns = false;
  uint64_t minStepCycles = 0, maxStepCycles = 0;
  std::vector<CoreReport> cores;     ///< image cores, in order
  std::vector<RouterReport> routers; ///< routers that sent a hop or stalled
  std::vector<StepTiming> stepTimes; ///< one per finished step
};

/// The energy of each event kind (pJ) as a JSON object, keyed as the
/// report's "energyPJ" (without its sums, "dynamic" and "total").
std::string energyByKindJson(const Energy &energy);
/// The report as JSON (schema in docs/power.md).
std::string powerJson(const PowerReport &report);
/// Write powerJson atomically.
Status writePowerJson(const PowerReport &report, const std::string &path);
/// The readable table printed by `cajal run --engine systemc`.
std::string formatPowerTable(const PowerReport &report);

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_POWERREPORT_H
