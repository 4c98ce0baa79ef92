//===- StandardPrograms.h - The library of neurocore programs -*- C++ -*-===//
//
// The LIF family (IF, LIF, CUBA-LIF and LI are one program whose decays and
// reset mode differ), adaptive LIF (LSNN, Bellec et al. 2018) and Izhikevich
// (2003, regular spiking), written by hand in the instruction set of
// docs/neurocore-isa.md. The LIF program is the definition of
// chip::updateCompartment (Compartment.h) as a program: tests prove the two
// equal on random parameters and inputs.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_STANDARDPROGRAMS_H
#define CAJAL_CHIP_STANDARDPROGRAMS_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Neurocore.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip {

struct Profile;

/// What the LIF program does on a spike.
enum class LifReset : uint8_t { Zero, Subtract, NoSpike };

/// The LIF variant a compartment's flags ask for.
LifReset lifResetOf(const CompartmentParams &params);

/// The current-based LIF program for the neuron format `f`. State words:
/// s0 u, s1 v, s2 refractory counter; parameter words per lifParamWords.
Program lifProgram(const NeuronFormat &f, LifReset reset);

/// The parameter words of the LIF program for one compartment: p0 the u
/// decay plus one, p1 the v decay, p2 bias, p3 vmin, p4 vmax, p5 threshold,
/// p6 refractory period. The derived values are computed here and nowhere
/// else.
constexpr unsigned kLifParamWords = 7;
std::vector<int64_t> lifParamWords(const CompartmentParams &params,
                                   const NeuronFormat &f);

/// The LIF program's parameter words as the engines' LIF fast paths use
/// them: decays as the scales (2^decayBits - d) their multiplies take, and
/// the firing bound, v > fireAbove spikes, which is the threshold capped at
/// vmax (v never exceeds vmax after the clip), vmax for a no-spike
/// compartment. Every engine takes these from here.
struct LifConstants {
  int64_t scaleU = 0, scaleV = 0, bias = 0, vmin = 0, vmax = 0;
  int64_t fireAbove = 0;
  uint8_t refractory = 0;
  bool resetBySubtraction = false;
};
LifConstants lifConstants(const CompartmentParams &params,
                          const NeuronFormat &f);

/// CompartmentState <-> the LIF program's state words.
void lifStateToWords(const CompartmentState &s, int32_t *words);
CompartmentState lifStateFromWords(const int32_t *words);

/// Whether `program` is the LIF program of format `f` in any reset mode.
bool isLifFamilyProgram(const Program &program, const NeuronFormat &f);

/// Whether `program` is one of the fixed-function programs of `profile`:
/// the LIF program in each reset mode the profile allows and, with a tree
/// stack, the lifTreeProgram of every shape that joins at most isa.maxPops
/// children (unscaled without a multiplier).
bool isFixedFunction(const Program &program, const Profile &profile);

/// How a tree compartment joins the values its children pushed
/// (docs/neurocore-isa.md, "Dendritic trees"): Add, Min and Max pass the
/// joined value to the input; And and Or give 0 or 1, which scales p7.
enum class TreeJoin : uint8_t { Add, Min, Max, And, Or };
/// What a dendrite pushes to its parent, scaled by p8.gain: its current u
/// or voltage v times gain / 2^kTreeGainShift; gain itself while v is above
/// its threshold (Active); v times gain only while v is above it
/// (AboveThreshold: the pass-through of a voltage instead of a spike).
enum class TreeOutput : uint8_t { Current, Voltage, Active, AboveThreshold };
const char *treeJoinName(TreeJoin join);
const char *treeOutputName(TreeOutput output);

/// One compartment of a LIF dendritic tree: the LIF update whose input is
/// q plus the join of its children. The root resets and spikes like the
/// LIF program; a dendrite never spikes and pushes its output instead, and
/// with resetOnBap its v is cleared by a back-propagated spike.
struct LifTreeCompartment {
  unsigned children = 0;
  TreeJoin join = TreeJoin::Add;
  bool root = false;
  LifReset reset = LifReset::Zero;         ///< the root's
  TreeOutput output = TreeOutput::Voltage; ///< a dendrite's
  bool resetOnBap = false;                 ///< a dendrite's
  /// A dendrite's u or v times p8.gain / 2^kTreeGainShift (MULSHR); false
  /// on a chip without a multiplier: pushed as it is (Active pushes p8.gain
  /// either way, so its program is the same).
  bool scaledOutput = true;
};
/// State: s0 u, s1 v (and the root's s2 refractory counter); parameters
/// lifParamWords, then p7 joinWeight, p8 gain.
constexpr unsigned kLifTreeParamWords = 9;
constexpr unsigned kTreeGainShift = 16;
Program lifTreeProgram(const NeuronFormat &f, const LifTreeCompartment &c);
/// Its name, which says the shape (`lif-soma-or2`, `dendrite-voltage-bap`,
/// `dendrite-current-unscaled`).
std::string lifTreeProgramName(const LifTreeCompartment &c);
std::vector<int64_t> lifTreeParamWords(const CompartmentParams &params,
                                       int64_t joinWeight, int64_t gain,
                                       const NeuronFormat &f);

/// Adaptive LIF: the LIF program plus an adaptation word a that decays by
/// p7 (like u and v), jumps by p8 on a spike, and raises the threshold to
/// p5 + (p9 * a >> kAdaptiveLifBetaShift). State: s0 u, s1 v, s2 a,
/// s3 refractory counter; parameters p0..p6 as the LIF program's.
constexpr unsigned kAdaptiveLifParamWords = 10;
constexpr unsigned kAdaptiveLifBetaShift = 8;
Program adaptiveLifProgram(const NeuronFormat &f);

/// Floating-point Izhikevich parameters and their fixed-point words.
struct IzhikevichParams {
  double a = 0.02, b = 0.2, c = -65.0, d = 8.0; ///< regular spiking
  double current = 0;                           ///< bias, mV per ms
};
/// Izhikevich (2003) with v and u in mV scaled by 2^kIzhikevichFractionBits,
/// one 1 ms step as two 0.5 ms Euler half steps for v (as in Izhikevich's
/// published code), then u. Parameters: p0 a, p1 b (both scaled by 2^16),
/// p2 c, p3 d, p4 bias current (scaled as v). The input q is added to the
/// current in the same units. Spikes when v reaches 30 mV.
constexpr unsigned kIzhikevichFractionBits = 12;
constexpr unsigned kIzhikevichCoefficientBits = 16;
/// The initial state (v = c, u = b * c) is `rest`'s.
Program izhikevichProgram(const IzhikevichParams &rest);

std::vector<int64_t> izhikevichParamWords(const IzhikevichParams &p);

} // namespace cajal::chip

#endif // CAJAL_CHIP_STANDARDPROGRAMS_H
