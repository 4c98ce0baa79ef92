//===- RtlCore.h - The Verilated RTL neurocore, driven from C++ -*- C++ -*-===//
//
// Wraps the Verilator model of rtl/src/neurocore.sv (sizes generated from
// a profile, see rtl/gen/gen_package.py): loads one chip::Core through the
// configuration port, runs time steps (input spikes, start/done handshake,
// output spikes) on one clock, and reads compartment state back through
// the state read port. One eval loop: every clock cycle is tick().
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_RTLCORE_H
#define CAJAL_RTL_RTLCORE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

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
  bool hung = false;   ///< not idle after twice the contract's longest step
};

/// One Verilated build of the neurocore: the profile it is generated from.
struct RtlBuild {
  std::string profile;     ///< profile name
  std::string profilePath; ///< the profile file
  uint32_t compartments = 0;
};

namespace detail {
class RtlModel;
} // namespace detail

class RtlCore {
public:
  /// Runs on the build generated from `profile`. Error if no build matches
  /// `profile` (sizes, widths) or `core` does not fit it.
  static Result<std::unique_ptr<RtlCore>> create(const chip::Core &core,
                                                 const chip::Profile &profile);
  ~RtlCore();

  /// One time step: step_start, and the spikes on `axons` offered in order
  /// from the same cycle on, one per cycle while in_ready; returns when the
  /// core is idle again.
  RtlStep step(const std::vector<uint32_t> &axons);
  /// Read compartment c's state through the read port (one cycle).
  chip::CompartmentState state(uint32_t c);
  /// Cycles since the core was loaded.
  uint64_t cycles() const;
  /// From now on, dump every signal of every cycle to a VCD at `vcdPath`
  /// (tick k at times 2k and 2k + 1); closed with the core.
  Status openTrace(const std::string &vcdPath);
  /// The builds, the test build (rtl-small) first.
  static std::vector<RtlBuild> builds();

private:
  explicit RtlCore(std::unique_ptr<detail::RtlModel> m);
  std::unique_ptr<detail::RtlModel> model;
};

/// Check that `profile` matches one of the generated RTL packages; the
/// error names the first differing field against the build of the same
/// profile name, or else the first build.
Status checkRtlProfile(const chip::Profile &profile);

} // namespace cajal::rtl

#endif // CAJAL_RTL_RTLCORE_H
