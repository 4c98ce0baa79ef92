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

/// What one RTL time step did.
struct RtlStep {
  std::vector<uint32_t> spikes; ///< spiking compartments, in index order
  uint64_t synapseCycles = 0;   ///< cycles from the first input to idle
  uint64_t updateCycles = 0;    ///< cycles from step_start to step_done
};

class RtlCore {
public:
  /// Error if `profile` differs from the profile the RTL package was
  /// generated from (sizes, widths) or `core` does not fit the RTL.
  static Result<std::unique_ptr<RtlCore>> create(const chip::Core &core,
                                                 const chip::Profile &profile);
  ~RtlCore();

  /// Deliver the spikes on `axons` (in order), then run the update.
  RtlStep step(const std::vector<uint32_t> &axons);
  /// Read compartment c's state through the read port (one cycle).
  chip::CompartmentState state(uint32_t c);
  uint64_t cycles() const { return cycle; }
  /// Name of the profile the RTL package was generated from.
  static std::string profileName();

private:
  struct Model;
  explicit RtlCore(std::unique_ptr<Model> m);
  void tick();
  void load(const chip::Core &core);
  std::unique_ptr<Model> model;
  uint64_t cycle = 0;
};

/// Check that `profile` matches the generated RTL package.
Status checkRtlProfile(const chip::Profile &profile);

} // namespace cajal::rtl

#endif // CAJAL_RTL_RTLCORE_H
