//===- ProgramUpdate.h - Golden model's program groups ----------*- C++ -*-===//
//
// Part of CajalGolden (in the public header for GoldenModel's members and
// the fast-path tests only). Compartments whose program is outside the LIF
// family (or every compartment, with ModelOptions::interpretLif) are updated
// here instead of by the LIF kernels: the compartments sharing a program form
// a group stored as structure-of-arrays (one column per state word and per
// parameter word), updated in blocks of a few hundred compartments. A block
// runs either the fused interpreter (every instruction of the program over
// the block, in scratch columns that stay in L1, before the next block) or,
// for the shipped Izhikevich and adaptive-LIF programs and the compiled
// trees' lifTreeProgram compartments, a straight-line kernel
// (ProgramKernel). Every lane follows chip::interpret exactly;
// docs/golden-model.md describes how.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_PROGRAMUPDATE_H
#define CAJAL_GOLDEN_PROGRAMUPDATE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/StandardPrograms.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace cajal::golden {

enum class Isa : uint8_t;

namespace detail {

struct ProgramKernelTable;
struct FusedTree;
struct FusedTreeKernels;

/// How a group's blocks are updated.
enum class ProgramKernel : uint8_t {
  Interpreter, ///< the fused interpreter: any program
  Izhikevich,  ///< chip::izhikevichProgram (any resting state)
  AdaptiveLif, ///< chip::adaptiveLifProgram of the profile's neuron format
  LifTree,     ///< chip::lifTreeProgram of the profile's neuron format
};
constexpr unsigned kProgramKernels = 4;

/// The straight-line kernel that runs `program` exactly (the program is one
/// of the shipped ones, compared word for word; parameters are data), else
/// Interpreter.
ProgramKernel fastPathFor(const chip::Program &program,
                          const chip::NeuronFormat &format);

/// The shape `program` is the lifTreeProgram of (compared word for word),
/// when the LifTree kernel can run it; else none.
std::optional<chip::LifTreeCompartment>
lifTreeShape(const chip::Program &program, const chip::NeuronFormat &format);

constexpr uint32_t kFastPathLanes = 256;

/// How a write to a column is narrowed (chip::narrowToStateWord).
enum class Narrow : uint8_t { Keep, WrapSigned, WrapUnsigned, Saturate };

/// What the block kernels read of a group (ProgramKernels.cpp): the decoded
/// program, how its state words narrow, and the block size.
struct ProgramPlan {
  std::vector<chip::isa::Instruction> code;
  struct Word {
    Narrow narrow = Narrow::Keep;
    bool isSigned = true;
    unsigned bits = 32;
    int64_t lo = 0, hi = 0;
  };
  std::vector<Word> state;
  std::vector<int64_t> constants;
  std::vector<chip::LookupTable> tables;
  uint32_t registers = 0, paramWords = 0;
  int refractoryWord = -1;
  chip::isa::Operand refractoryPeriod;
  bool skipIdle = false;
  uint32_t idleParams = 0;
  /// Lanes of a block (a multiple of 16): the interpreter's fit L1, a fast
  /// path's are kFastPathLanes.
  uint32_t blockLanes = 256;
  /// Izhikevich: every lane's a and b (p0, p1) are below 2^17 in magnitude
  /// (set at finish(); the kernel then checks them nowhere else).
  bool smallCoefficients = false;
  /// LifTree: the compartment's shape (lifTreeShape).
  chip::LifTreeCompartment lifTree;
};

/// One block of a group for a kernel: lanes [0, count).
struct ProgramBlock {
  uint32_t count = 0;
  /// State word w of lane k: state[w][k] (separate pointers, so that the
  /// compiler takes the restrict-qualified columns as distinct).
  int32_t *const *state = nullptr;
  /// Parameter word w of lane k: params[w][k] (a parameter word that every
  /// lane of the group has alike points at a block of copies, in L1).
  const int64_t *const *params = nullptr;
  const int64_t *q = nullptr; ///< this step's input of lane k
  /// Out, per lane: kSpiked, kIdle, kExact (a fast path left the lane
  /// unchanged for chip::interpret: a value outside what it proves exact).
  int32_t *flags = nullptr;
  int64_t *scratch = nullptr; ///< the interpreter's columns, 64-byte aligned
  /// Every q is below 2^40 in magnitude (the accumulators' type says so).
  bool smallInput = false;
  /// A dendritic tree's stack, slot s of lane k at stack[s][k] (a PUSH or
  /// POP of the plan names its slot), and each lane's bap (0 or 1); null
  /// outside a tree.
  int64_t *const *stack = nullptr;
  const int64_t *bap = nullptr;
};
constexpr int32_t kSpiked = 1, kIdle = 2, kExact = 4;

/// The compartments of one program, lane k = one compartment.
class ProgramGroup {
public:
  /// `kernel` must be Interpreter or fastPathFor(program, ...); `isa` one
  /// the CPU has. In a dendritic tree, `stackOnEntry` is the values the
  /// tree's stack holds when this program starts (the same in every step:
  /// the validator makes stack effects static), which fixes the slot of
  /// each PUSH and POP; `lifTree` is the program's shape when `kernel` is
  /// LifTree.
  ProgramGroup(const chip::Program &program, uint32_t registers,
               ProgramKernel kernel, Isa isa, uint32_t stackOnEntry = 0,
               const chip::LifTreeCompartment &lifTree = {});
  /// Add a compartment at update position `position` of core `core`, with
  /// its parameter words and its state words before step 0.
  void addLane(uint32_t position, uint32_t core,
               const std::vector<int64_t> &params,
               const std::vector<int32_t> &initial);
  /// Allocate the per-lane columns once every lane is added.
  void finish();
  /// Make the group one position of a dendritic tree whose lanes are its
  /// neurons: `stack` holds `slots` columns of laneCount() values, `bap` one
  /// per lane. Only the root's spikes are the neuron's: it writes them to
  /// `bap` for the next step; the other positions' spikes are dropped.
  void setTree(int64_t *stack, uint32_t slots, int64_t *bap, bool root);

  /// One step: q of lane k is ring[position] * 2^accShift (then zeroed).
  /// Spiking lanes' positions are appended to `spikes` in lane order; idle
  /// updates are added to idlePerCore; returns the number of idle updates.
  template <typename Acc>
  uint32_t step(Acc *slot, unsigned accShift, uint32_t *&spikes,
                uint64_t *idlePerCore);

  /// Step only the block of lanes [b, b + blockLanes()) (b a multiple of
  /// blockLanes()); step() runs every block. With `inputLoaded`, the
  /// block's q is already in blockInput() (and its accumulators zeroed).
  template <typename Acc>
  uint32_t stepBlock(uint32_t b, Acc *slot, unsigned accShift,
                     uint32_t *&spikes, uint64_t *idlePerCore,
                     bool inputLoaded = false);
  uint32_t blockLanes() const { return plan.blockLanes; }
  int64_t *blockInput() { return q.data(); }

  uint32_t laneCount() const { return uint32_t(positions.size()); }
  const chip::Program &program() const { return prog; }
  /// The kernel the blocks run (a fast path falls back to Interpreter at
  /// finish() when a parameter word is outside its declared range).
  ProgramKernel kernel() const { return kind; }
  /// State word w of lane k as stored (32 bits, the reference's layout).
  int32_t stateWord(uint32_t w, uint32_t k) const {
    return stateColumns[size_t(w) * laneCount() + k];
  }
  /// Set state word w of lane k (tests start lanes in random states).
  void setStateWord(uint32_t w, uint32_t k, int32_t value) {
    stateColumns[size_t(w) * laneCount() + k] = value;
  }
  const std::vector<uint32_t> &lanePositions() const { return positions; }
  /// The decoded program, its words' ranges and its block size.
  const ProgramPlan &blockPlan() const { return plan; }
  /// Parameter word w of every lane, and state word w (finish() made them).
  const int64_t *paramColumn(uint32_t w) const {
    return paramColumns.data() + size_t(w) * laneCount();
  }
  int32_t *stateColumn(uint32_t w) {
    return stateColumns.data() + size_t(w) * laneCount();
  }

private:
  /// Lanes of `block` that a fast path left to chip::interpret.
  void runExactly(const ProgramBlock &block);

  chip::Program prog;
  ProgramPlan plan;
  ProgramKernel kind = ProgramKernel::Interpreter;
  using BlockFn = uint32_t (*)(const ProgramPlan &, const ProgramBlock &);
  BlockFn runBlock = nullptr, interpretBlock = nullptr;
  /// The instruction set's kernels (ProgramKernels.h).
  const ProgramKernelTable *kernels = nullptr;
  std::vector<uint32_t> positions, cores;
  /// Per block: the core of all its lanes, or kMixedCores.
  static constexpr uint32_t kMixedCores = UINT32_MAX;
  std::vector<uint32_t> blockCores;
  /// addLane's parameter words, lane-major (finish() transposes them).
  std::vector<int64_t> laneParams;
  /// addLane's initial state words, lane-major.
  std::vector<int32_t> laneState;
  /// Column-major: word w of lane k at [w * laneCount() + k].
  std::vector<int32_t> stateColumns;
  std::vector<int64_t> paramColumns;
  /// Per parameter word: every lane has the same value; blockLanes copies
  /// of it per uniform word (word-major), and each word's column of the
  /// current block.
  std::vector<uint8_t> uniformParam;
  std::vector<int64_t> paramCopies;
  std::vector<const int64_t *> blockParams;
  std::vector<int32_t *> blockState;
  /// Lane k's accumulator is at position firstPosition + k (no gather).
  bool contiguous = false;
  std::vector<int64_t> q, scratch;
  std::vector<int32_t> flags;
  /// setTree's columns; treeStack null outside a tree.
  int64_t *treeStack = nullptr, *treeBap = nullptr;
  uint32_t treeSlots = 0;
  bool treeRoot = false;
  std::vector<int64_t *> blockStack;
};

/// The compartments of dendritic trees (docs/neurocore-isa.md, "Dendritic
/// trees"). Neurons whose trees run the same programs form a shape; each
/// position of a shape is a ProgramGroup whose lanes are the shape's
/// neurons, and a step runs the positions in tree order, each over all the
/// neurons, on one stack column per slot: neurons do not interact within a
/// step, and a program's stack effect is static, so this equals running
/// each neuron's compartments one after the other.
class TreeCompartments {
public:
  TreeCompartments() = default;
  // The groups and the fused form point into the shapes' columns: moved,
  // never copied.
  TreeCompartments(const TreeCompartments &) = delete;
  TreeCompartments &operator=(const TreeCompartments &) = delete;
  TreeCompartments(TreeCompartments &&) = default;
  TreeCompartments &operator=(TreeCompartments &&) = default;
  /// Add a compartment at update position `position` of core `core`; a
  /// neuron's compartments come one after the other, its root last, and
  /// `root` is the index (in addition order) of its neuron's root.
  void add(uint32_t position, uint32_t core, const chip::Program &program,
           std::vector<int64_t> params, std::vector<int32_t> initial,
           uint32_t root);
  /// Build the groups once every compartment is added; with `fastPaths`,
  /// positions whose program is a lifTreeProgram of `format` run the
  /// LifTree kernel.
  void finish(uint32_t registers, Isa isa, const chip::NeuronFormat &format,
              bool fastPaths);
  /// One step: q of compartment k is ring[position] * 2^accShift (then
  /// zeroed); the roots' spikes are appended to `spikes`; idle updates are
  /// added to idlePerCore; returns their number.
  template <typename Acc>
  uint32_t step(Acc *slot, unsigned accShift, uint32_t *&spikes,
                uint64_t *idlePerCore);

  uint32_t size() const { return count; }
  const chip::Program &program(uint32_t k) const { return group(k).program(); }
  /// The kernel that runs compartment k (its position's group's).
  ProgramKernel kernel(uint32_t k) const { return group(k).kernel(); }
  /// Whether compartment k's tree shape runs fused in 32-bit lanes
  /// (TreeKernels.h) when its accumulators are int16 or int32.
  bool fused(uint32_t k) const {
    return shapes[placeOf[k].shape].fused != nullptr;
  }
  /// How many compartments run fused (their shapes' neurons times their
  /// positions).
  uint64_t fusedCount() const {
    uint64_t n = 0;
    for (const Shape &shape : shapes)
      if (shape.fused)
        n += uint64_t(shape.positions.size()) *
             shape.positions.back().laneCount();
    return n;
  }
  /// Whether trees can run fused on `isa` in this build.
  static bool fusesOn(Isa isa);
  std::vector<int32_t> stateWords(uint32_t k) const;

private:
  struct Shape {
    std::vector<ProgramGroup> positions; ///< in tree order, the root last
    std::vector<int64_t> stack, bap;
    uint32_t slots = 0;
    /// Every position has the same block size: a step runs each block of
    /// neurons through all positions (else each position over all).
    bool blockMajor = false;
    /// Blocks-major, and neuron n's compartment p is at update position
    /// firstPosition + n * positions + p: a block's inputs are one run.
    bool interleaved = false;
    uint32_t firstPosition = 0;
    /// Each position's blockInput().
    std::vector<int64_t *> inputs;
    /// Every position a LifTree group, the neurons laid out position by
    /// position in runs (FusedTreeSegment), and every value proved to fit
    /// 32 bits: the fused form (else null).
    std::shared_ptr<FusedTree> fused;
  };
  struct Place {
    uint32_t shape = 0, position = 0, lane = 0;
  };
  const ProgramGroup &group(uint32_t k) const {
    return shapes[placeOf[k].shape].positions[placeOf[k].position];
  }
  /// Run `shape` unfused from now on: its state back into its groups.
  static void unfuse(Shape &shape);

  std::vector<Shape> shapes;
  std::vector<Place> placeOf; ///< per compartment, in addition order
  /// The instruction set's kernels (ProgramKernels.h), and the fused
  /// trees' (null where the instruction set has none).
  const ProgramKernelTable *kernels = nullptr;
  const FusedTreeKernels *fusedKernels = nullptr;
  /// add()'s compartments until finish().
  struct Pending {
    uint32_t position, core, root;
    chip::Program program;
    std::vector<int64_t> params;
    std::vector<int32_t> initial;
  };
  std::vector<Pending> pending;
  uint32_t count = 0;
};

} // namespace detail
} // namespace cajal::golden

#endif // CAJAL_GOLDEN_PROGRAMUPDATE_H
