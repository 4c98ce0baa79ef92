//===- RtlVariant.h - One Verilated build of the neurocore ------*- C++ -*-===//
//
// The neurocore is Verilated once per profile it is generated for (sizes
// differ, so each build is its own Verilator model with its own prefix and
// its own generated RtlPackage.h namespace). RtlVariant.inc implements the
// driver for one build; RtlCore.cpp picks the build whose package matches
// the profile it is given. Private to rtl/check.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_RTLVARIANT_H
#define CAJAL_RTL_RTLVARIANT_H

#include "cajal/Rtl/RtlCore.h"
#include "cajal/SystemC/Timing.h"

#include <memory>
#include <vector>

namespace cajal::rtl::detail {

/// A loaded Verilated core: the operations of RtlCore.
class RtlModel {
public:
  virtual ~RtlModel() = default;
  virtual RtlStep step(const std::vector<uint32_t> &axons) = 0;
  virtual std::vector<int32_t> stateWords(uint32_t c) = 0;
  virtual uint64_t cycles() const = 0;
  virtual Status openTrace(const std::string &vcdPath) = 0;
};

/// One build: its profile, its profile check, its model factory.
struct RtlVariant {
  RtlBuild build;
  Status (*check)(const chip::Profile &profile);
  /// How many of the build's fields differ from the profile's.
  unsigned (*distance)(const chip::Profile &profile);
  /// Error if `core` does not fit the build's sizes (`table` is checked
  /// by the caller, RtlCore.cpp).
  Result<std::unique_ptr<RtlModel>> (*create)(const chip::Core &core,
                                              const CoreProgramTable &table);
};

const RtlVariant &smallVariant();
const RtlVariant &loihi1Variant();
const RtlVariant &loihi2Variant();
const RtlVariant &treesVariant();

} // namespace cajal::rtl::detail

#endif // CAJAL_RTL_RTLVARIANT_H
