//===- Profile.h - The architecture profile: every limit and cost -*- C++
//-*-===//
//
// A profile describes one chip design: mesh, per-core resources, bit widths
// of the compartment arithmetic and the synapse format, timing and energy.
// Profiles are JSON files in chip/profiles/ (format in docs/profiles.md);
// every field carries a unit and a source. Nothing else in Cajal hard-codes a
// number that describes the chip: code reads it from a Profile.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_PROFILE_H
#define CAJAL_CHIP_PROFILE_H

#include "cajal/Chip/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip {

/// Bit widths and ranges of the compartment arithmetic (docs/neuron-model.md).
struct NeuronFormat {
  unsigned decayBits = 0;       ///< decay constants are in [0, 2^decayBits)
  unsigned currentBits = 0;     ///< u wraps to this many bits (signed)
  unsigned accumulatorBits = 0; ///< q saturates to +-(2^bits - 1)
  unsigned biasMantissaMax = 0; ///< |bias mantissa| <= this
  unsigned biasExponentMax = 0; ///< bias exponent in [0, max]
  unsigned thresholdMantissaBits = 0; ///< vth mantissa in [0, 2^bits)
  unsigned thresholdShift = 0;        ///< vth = mantissa << shift
  unsigned vminExponentMax = 0;       ///< vmin = -2^e + 1, e in [0, max]
  unsigned vmaxExponentMax = 0; ///< vmax = 2^(vmaxBase + 2e) - 1, e in [0, max]
  unsigned vmaxBase = 0;
  unsigned refractoryMin = 0; ///< refractory period in steps, [min, max]
  unsigned refractoryMax = 0;
  bool resetBySubtraction = false; ///< compartments may reset v <- v - vth
};

/// The synapse-memory word format (docs/chip-image.md).
struct SynapseFormat {
  unsigned wordBits = 0;             ///< bits per synapse-memory word
  unsigned compartmentIndexBits = 0; ///< target compartment field
  unsigned weightBitsMax = 0;        ///< mantissa magnitude bits, 1..max
  int weightExponentMin = 0;         ///< shared exponent per synapse group
  int weightExponentMax = 0;
  unsigned weightShift = 0; ///< weight = mantissa << (shift + exp)
  unsigned delayBits = 0;   ///< delay field, when a group has delays
  unsigned maxDelay = 0;    ///< delays are 1..maxDelay steps
  /// A learning synapse's tag magnitude (plus a sign); a learning group's
  /// weights have weightBitsMax bits (docs/learning.md).
  unsigned tagBits = 0;
};

/// Per-core resources.
struct CoreLimits {
  unsigned compartments = 0;
  unsigned inputAxons = 0;
  unsigned outputAxons = 0;
  unsigned synapseWords = 0;
  unsigned inputQueueDepth = 0; ///< spikes waiting for the synapse unit
  /// Synapse-unit cycles per input spike before its first synaptic op
  /// (docs/neurocore.md).
  unsigned spikeDispatchCycles = 0;
};

/// The most core slots a profile may have (tilesX * tilesY * coresPerTile *
/// chipsX * chipsY): ten times Pohoiki Springs' 98,304 cores; tools allocate
/// per slot.
constexpr uint64_t kMaxCoreSlots = uint64_t(1) << 20;

/// The mesh: chips of tiles, each tile a router with cores attached.
struct MeshShape {
  unsigned tilesX = 0, tilesY = 0; ///< tiles per chip
  unsigned coresPerTile = 0;
  unsigned chipsX = 0, chipsY = 0; ///< chips per system
  /// Router timing of the cycle-level model (docs/emulator.md).
  unsigned routerBufferDepth = 0; ///< packets per router input port
  unsigned linkPacketCycles = 0;  ///< cycles a link is busy per packet
  /// Core slots of the mesh, multiplied in 64 bits; a loaded profile has at
  /// most kMaxCoreSlots, and a larger product saturates instead of wrapping.
  uint32_t totalCores() const {
    const uint64_t slots =
        uint64_t(tilesX) * tilesY * coresPerTile * chipsX * chipsY;
    return slots > UINT32_MAX ? UINT32_MAX : uint32_t(slots);
  }
  /// Chips of the mesh (chipsX * chipsY, at most kMaxCoreSlots).
  uint32_t chips() const {
    const uint64_t n = uint64_t(chipsX) * chipsY;
    return n > UINT32_MAX ? UINT32_MAX : uint32_t(n);
  }
  /// The chip (row-major in the chip grid) of the tile at mesh (x, y).
  uint32_t chipOf(uint32_t x, uint32_t y) const {
    return x / tilesX + (y / tilesY) * chipsX;
  }
};

/// Time and energy per event (Davies 2018, Table 2 for loihi1).
struct CostTable {
  double clockHz = 0;
  double synapticOpPJ = 0, synapticOpNs = 0;
  /// One learning synapse's update at an epoch's end (docs/learning.md).
  double learningSynapsePJ = 0, learningSynapseNs = 0;
  /// An idle update (the idle rule, docs/neurocore-isa.md); an active one
  /// costs its program's chip::programCost (isa.* fields).
  double neuronUpdateInactivePJ = 0, neuronUpdateInactiveNs = 0;
  double spikeInTilePJ = 0, spikeInTileNs = 0;
  double hopEastWestPJ = 0, hopEastWestNs = 0;
  double hopNorthSouthPJ = 0, hopNorthSouthNs = 0;
  double barrierMinNs = 0,
         barrierMaxNs = 0; ///< for 1 and barrierMaxTiles tiles
  unsigned barrierMaxTiles = 0;
  double barrierTilePJ = 0; ///< per tile and barrier
  double staticPowerMW = 0; ///< per chip
  /// Static power of a chip that holds no used core is gated off (counted
  /// as 0); false: every chip of the profile draws staticPowerMW.
  bool powerGateUnusedChips = false;
  /// The cycle-level model stops a step that has not closed after this
  /// long (a watchdog against deadlock, not a chip figure).
  double stepTimeoutNs = 0;
};

/// The neurocore instruction set's budget and prices (docs/neurocore-isa.md).
struct IsaLimits {
  /// Any valid program within the budget; false: only the chip's
  /// fixed-function programs (the LIF family of StandardPrograms.h).
  bool programmable = false;
  bool multiplier = false; ///< MULSHR available (DECAY always is)
  unsigned maxInstructions = 0;
  unsigned registers = 0; ///< scratch registers r0.., at most 16
  unsigned maxStateWords = 0, maxParamWords = 0, maxConstants = 0;
  /// Lookup tables (LUT): per program, and their entries together.
  unsigned maxTables = 0, maxTableEntries = 0;
  /// Values a dendritic tree's stack holds at once (PUSH, POP); 0: no
  /// dendritic trees (no PUSH, POP, AND, OR, bap).
  unsigned stackDepth = 0;
  /// Values one compartment's update may pop from that stack: the most
  /// children one join combines.
  unsigned maxPops = 0;
  /// Cycles and energy of one instruction, by cost class.
  unsigned aluCycles = 0, multiplyCycles = 0, spikeCycles = 0, lookupCycles = 0;
  double aluPJ = 0, multiplyPJ = 0, spikePJ = 0, lookupPJ = 0;
};

/// Widths and limits of on-chip learning (docs/learning.md). The delay a
/// rule changes keeps SynapseFormat's width and range.
struct LearningFormat {
  unsigned traceBits = 0;                ///< x1..y3: 0 .. 2^traceBits - 1
  unsigned traceImpulseFractionBits = 0; ///< fraction of an impulse
  unsigned traceDecayBits = 0;           ///< decay factor's denominator
  unsigned accumulatorBits = 0;          ///< dz accumulator, plus sign
  unsigned scaleMantissaBits = 0;        ///< |mantissa| < 2^bits
  unsigned constantBits = 0;             ///< |constant| <= 2^bits
  unsigned maxTerms = 0;                 ///< terms of one of dw, dd, dt
  unsigned maxFactors = 0;               ///< factors of one term
  unsigned maxEpochSteps = 0;            ///< steps of one learning epoch
};

struct Profile {
  std::string name;
  std::string description;
  MeshShape mesh;
  CoreLimits core;
  NeuronFormat neuron;
  SynapseFormat synapse;
  CostTable cost;
  IsaLimits isa;
  LearningFormat learning;

  /// A stable 64-bit digest of every field (FNV-1a over the canonical form);
  /// chip images record it so that an image is only run on its profile.
  uint64_t fingerprint() const;
};

/// Load a profile file (JSON). Unknown, missing, mistyped or out-of-range
/// fields are errors naming the file and the field. A profile may name a
/// `base` profile (looked up beside it, then in defaultProfileDir()) and
/// override fields.
Result<Profile> loadProfile(const std::string &path);

/// Load a profile by name from `searchDir` (e.g. "loihi1" ->
/// searchDir/loihi1.json), or by path if `nameOrPath` contains a '/' or ends
/// in ".json". For names and paths a user typed.
Result<Profile> findProfile(const std::string &nameOrPath,
                            const std::string &searchDir);

/// A profile name: 1 to 64 letters, digits, '.', '_' or '-', not starting
/// with '.'. Profile files must carry one, and a name read from a chip image
/// is only ever looked up as `searchDir/<name>.json` when it is one.
bool isPlainProfileName(const std::string &name);

/// Load the installed profile `name` (a plain name, never a path) from
/// `searchDir`. The error says whether the name is not a profile name or
/// not installed; the caller adds how to pass a profile file instead.
Result<Profile> findInstalledProfile(const std::string &name,
                                     const std::string &searchDir);

/// The directory of installed profiles (compiled in; CAJAL_PROFILE_DIR in the
/// environment overrides it).
std::string defaultProfileDir();

/// The dotted names of every profile field, in canonical (fingerprint) order
/// ("mesh.tilesX", ..., "cost.staticPowerMW"); docs and tests walk it.
std::vector<std::string> profileFieldNames();

} // namespace cajal::chip

#endif // CAJAL_CHIP_PROFILE_H
