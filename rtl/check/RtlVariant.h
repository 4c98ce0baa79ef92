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

#include <array>
#include <memory>
#include <vector>

namespace cajal::rtl::detail {

/// What the learning phase of a core is configured with (learning_phase.sv):
/// built by RtlCore::loadLearning from the image.
struct LearningConfig {
  uint64_t seed = 0, firstAxon = 0, firstCompartment = 0;
  uint32_t epochSteps = 0;
  chip::TraceParams x[2];
  std::vector<std::array<chip::TraceParams, 3>> y; ///< per compartment
  struct Group {
    uint32_t axon = 0, firstWord = 0, count = 0, weightBits = 0;
    uint64_t firstSynapse = 0; ///< global synapse number
  };
  std::vector<Group> groups;         ///< the learning axons, in index order
  std::vector<uint32_t> rules;       ///< the groups with synapses (indices)
  std::vector<chip::RuleTerm> terms; ///< the rule's dw terms
  chip::WeightSign sign = chip::WeightSign::Mixed;
};

/// A loaded Verilated core: the operations of RtlCore.
class RtlModel {
public:
  virtual ~RtlModel() = default;
  virtual Status loadLearning(const LearningConfig &config) = 0;
  virtual std::vector<uint64_t> synapseWords(uint32_t first,
                                             uint32_t count) = 0;
  /// Through the trace read port: learning group `index`'s x1, x2 (0), or
  /// compartment `index`'s y1, y2, y3.
  virtual std::array<uint32_t, 3> traces(bool compartment, uint32_t index) = 0;
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
