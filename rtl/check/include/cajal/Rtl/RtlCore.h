//===- RtlCore.h - The Verilated RTL neurocore, driven from C++ -*- C++ -*-===//
//
// Wraps the Verilator model of rtl/src/neurocore.sv (sizes generated from
// a profile, see rtl/gen/gen_package.py): loads one chip::Core through the
// configuration port (its compartments' programs into the program table,
// their parameter and initial state words into the word memories, the
// input axons and synapse words), runs time steps (input spikes,
// start/done handshake, output spikes) on one clock, and reads compartment
// state words back through the state read port. One eval loop: every clock
// cycle is tick().
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_RTLCORE_H
#define CAJAL_RTL_RTLCORE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cajal::rtl {

/// What one RTL time step did. Cycles count clock edges from the one that
/// takes step_start (edge 0).
struct RtlStep {
  std::vector<uint32_t> spikes;       ///< spiking compartments, index order
  std::vector<uint64_t> spikeCycles;  ///< edge registering each out_valid
  std::vector<uint64_t> acceptCycles; ///< edge accepting each input spike
  uint64_t cycles = 0; ///< edge after which the core is idle (busy low)
  /// A core that learns: edges from learn_start (edge 0 of the phase) to
  /// the one registering learn_done; 0 for a core that does not learn.
  uint64_t learnCycles = 0;
  bool hung = false; ///< not idle after twice the contract's longest step
};

/// One Verilated build of the neurocore: the profile it is generated from
/// and what its update unit holds (from the profile's isa.* limits).
struct RtlBuild {
  std::string profile;     ///< profile name
  std::string profilePath; ///< the profile file
  uint32_t compartments = 0;
  uint32_t programs = 0;     ///< program-table entries per core
  uint32_t instructions = 0; ///< instructions per program
  uint32_t registers = 0;    ///< scratch registers
  uint32_t stateWords = 0;   ///< state words per compartment
  uint32_t paramWords = 0;   ///< parameter words per compartment
  uint32_t constants = 0;    ///< constants per program
  uint32_t tables = 0;       ///< lookup tables per program
  uint32_t tableEntries = 0; ///< entries of one program's tables together
  uint32_t stackDepth = 0;   ///< tree stack values (isa.stackDepth; 0: none)
  bool learning = false;     ///< the learning phase is built in
};

/// What a core's update unit is loaded with: the distinct programs its
/// compartments run and, per compartment, its program (index into
/// `programs`), parameter words, initial state words and, for a compartment
/// of a dendritic tree, its tree's root (chip::ResolvedPrograms::treeRoot;
/// kNotInTree for a point neuron).
struct CoreProgramTable {
  std::vector<chip::Program> programs;
  std::vector<uint32_t> programOf;
  std::vector<uint32_t> treeRoot;
  std::vector<std::vector<int64_t>> params;
  std::vector<std::vector<int32_t>> state;
};
/// With `resolved` (chip::resolvePrograms of the image) the programs of
/// image core `imageCore`; without, every compartment runs the LIF-family
/// program its record names, with the record's words.
CoreProgramTable coreProgramTable(const chip::Core &core,
                                  const chip::Profile &profile,
                                  const chip::ResolvedPrograms *resolved,
                                  uint32_t imageCore);

namespace detail {
class RtlModel;
} // namespace detail

class RtlCore {
public:
  /// Runs on the build generated from `profile`. Error if no build matches
  /// `profile` (sizes, widths) or `core` does not fit it.
  /// Every compartment runs the LIF program its record names.
  static Result<std::unique_ptr<RtlCore>> create(const chip::Core &core,
                                                 const chip::Profile &profile);
  /// Compartments run their programs of `resolved` (image core
  /// `imageCore`), a tree's compartments on the build's tree stack. Error,
  /// with what exceeds what, if a program does not fit the build
  /// (RtlCore::builds()) or a tree needs a deeper stack than it has.
  static Result<std::unique_ptr<RtlCore>>
  create(const chip::Core &core, const chip::Profile &profile,
         const chip::ResolvedPrograms &resolved, uint32_t imageCore);
  ~RtlCore();

  /// Configure the learning phase for image core `imageCore` (`core` of
  /// create()): its learning axons, trace parameters and rule. Error, naming
  /// what, when the build has no learning phase or the core does not fit it
  /// (checkRtlLearning).
  Status loadLearning(const chip::Image &image, uint32_t imageCore);
  /// The weights, delays and tags of input axon `axon`'s synapses as the
  /// core's synapse memory holds them (read through its synapse read port).
  std::vector<chip::Synapse> synapses(uint32_t axon);
  const chip::SynapseFormat &synapseFormat() const { return format; }
  /// Input axon `axon`'s x1, x2 (a learning axon) and compartment `c`'s
  /// y1, y2, y3, read through the trace read port after loadLearning.
  std::array<uint32_t, 2> preTraces(uint32_t axon);
  std::array<uint32_t, 3> postTraces(uint32_t c);
  /// Learning-phase cycles of one step by the schedule of docs/neurocore.md
  /// ("Learning unit"): 1 + (2 A + 3 N) TRACE_CYCLES, plus at an epoch's end
  /// RULE_CYCLES for each learning synapse. 0 before loadLearning.
  uint64_t expectedLearnCycles(bool epochEnd) const;

  /// One time step: step_start, and the spikes on `axons` offered in order
  /// from the same cycle on, one per cycle while in_ready; once the core is
  /// idle, for a core that learns, the learning phase (learn_start ...
  /// learn_done); returns when the core is idle again.
  RtlStep step(const std::vector<uint32_t> &axons);
  /// Read compartment c's state words through the read port (one cycle).
  std::vector<int32_t> stateWords(uint32_t c);
  /// The same as u = s0, v = s1 and the program's refractory counter.
  chip::CompartmentState state(uint32_t c);
  /// Cycles since the core was loaded.
  uint64_t cycles() const;
  /// From now on, dump every signal of every cycle to a VCD at `vcdPath`
  /// (tick k at times 2k and 2k + 1); closed with the core.
  Status openTrace(const std::string &vcdPath);
  /// The builds, the test build (rtl-small) first.
  static std::vector<RtlBuild> builds();

private:
  RtlCore(std::unique_ptr<detail::RtlModel> m, CoreProgramTable t,
          const chip::Core &core, const chip::Profile &profile);
  static Result<std::unique_ptr<RtlCore>> create(const chip::Core &core,
                                                 const chip::Profile &profile,
                                                 CoreProgramTable table);
  /// checkRtlLearning's per-core checks for image core `imageCore`.
  static Status checkRtlLearning(const chip::Image &image, uint32_t imageCore);
  std::unique_ptr<detail::RtlModel> model;
  CoreProgramTable table;
  std::vector<chip::InputAxon> inputAxons;
  chip::SynapseFormat format;
  bool buildLearns = false;
  std::vector<uint32_t> groupOf; ///< learning group of each input axon
  uint64_t traceCycles = 0, ruleCycles = 0; ///< of a step, of an epoch's end
};

/// Check that `profile` matches one of the generated RTL packages; the
/// error names the first differing field against the build of the same
/// profile name, or else the build with the fewest differing fields.
Status checkRtlProfile(const chip::Profile &profile);

/// Check that the build matching `profile` can run every program of
/// `image` (resolved): each program within its instruction, register and
/// word tables and its lookup tables within the table descriptors and
/// entries, each core's distinct programs within its program table, and each
/// population's dendritic tree within the build's tree stack. The error
/// names the population (or core), the program and what exceeds what (a
/// tree: the stack it needs and the build's isa.stackDepth).
Status checkRtlPrograms(const chip::Image &image,
                        const chip::ResolvedPrograms &resolved,
                        const chip::Profile &profile);

/// Check that the build matching `profile` runs the learning of `image`
/// (which learns): the build has the learning phase, every rule changes
/// weights only (dd, dt refused by LearningUnit::checkRule), no core has a
/// reward axon (the core has no reward ring), and each core's learning axons
/// learn by one rule (the phase's term memory holds one). The error names
/// the rule, core and axon.
Status checkRtlLearning(const chip::Image &image, const chip::Profile &profile);

} // namespace cajal::rtl

#endif // CAJAL_RTL_RTLCORE_H
