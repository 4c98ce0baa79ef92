//===- ProgramUpdate.cpp - The golden model's program groups --------------===//
//
// A group keeps its compartments' state words as 32-bit columns (the
// reference's layout) and their parameter words as 64-bit columns, and
// updates them block by block: gather the block's input from the
// accumulator slot (a plain loop when the group's positions are
// contiguous), run the block's kernel (ProgramKernels.cpp), then list the
// spikes and count the idle updates from the per-lane flags the kernel
// wrote, which is skipped when no flag is set. A fast path leaves a lane it
// cannot prove exact untouched and flags it; such lanes are run here by
// chip::interpret itself.
//
//===----------------------------------------------------------------------===//
#include "cajal/Golden/ProgramUpdate.h"

#include "ProgramKernels.h"
#include "TreeKernels.h"

#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <climits>
#include <map>
#include <type_traits>

namespace cajal::golden::detail {

using chip::isa::Operand;
using chip::isa::OperandKind;

namespace {
/// The first 64-byte boundary in `v` (which has 8 elements of room).
int64_t *cacheLineStart(std::vector<int64_t> &v) {
  const uintptr_t p = reinterpret_cast<uintptr_t>(v.data());
  return reinterpret_cast<int64_t *>((p + 63) & ~uintptr_t(63));
}
} // namespace

ProgramKernel fastPathFor(const chip::Program &program,
                          const chip::NeuronFormat &format) {
  if (program.name == "izhikevich" && program.state.size() == 2) {
    // The resting state is the initial value of the state words: data.
    chip::Program standard = chip::izhikevichProgram({});
    for (size_t w = 0; w < standard.state.size(); ++w)
      standard.state[w].initial = program.state[w].initial;
    if (program == standard)
      return ProgramKernel::Izhikevich;
  }
  // The kernel's decay scales are 32-bit: 2^decayBits - d for d below
  // 2^(decayBits + 1).
  if (program.name == "adaptive-lif" && format.decayBits <= 30 &&
      program == chip::adaptiveLifProgram(format))
    return ProgramKernel::AdaptiveLif;
  return ProgramKernel::Interpreter;
}

std::optional<chip::LifTreeCompartment>
lifTreeShape(const chip::Program &program, const chip::NeuronFormat &format) {
  // The kernel's decay scales are 32-bit, as adaptive LIF's.
  if (format.decayBits > 30 ||
      program.params.size() != chip::kLifTreeParamWords)
    return std::nullopt;
  chip::LifTreeCompartment shape;
  shape.children = unsigned(
      std::count_if(program.code.begin(), program.code.end(), [](uint64_t w) {
        return chip::isa::decode(w).op == chip::isa::Opcode::Pop;
      }));
  shape.root = program.refractoryWord >= 0;
  using chip::LifReset;
  using chip::TreeJoin;
  using chip::TreeOutput;
  for (TreeJoin join : {TreeJoin::Add, TreeJoin::Min, TreeJoin::Max,
                        TreeJoin::And, TreeJoin::Or}) {
    if (shape.children == 0 && join != TreeJoin::Add)
      break; // a leaf's name and code have no join
    shape.join = join;
    if (shape.root)
      for (LifReset reset :
           {LifReset::Zero, LifReset::Subtract, LifReset::NoSpike}) {
        shape.reset = reset;
        if (program == chip::lifTreeProgram(format, shape))
          return shape;
      }
    else
      for (TreeOutput output : {TreeOutput::Current, TreeOutput::Voltage,
                                TreeOutput::Active, TreeOutput::AboveThreshold})
        for (bool resetOnBap : {false, true})
          for (bool scaledOutput : {true, false}) {
            shape.output = output;
            shape.resetOnBap = resetOnBap;
            shape.scaledOutput = scaledOutput;
            if (program == chip::lifTreeProgram(format, shape))
              return shape;
          }
  }
  return std::nullopt;
}

ProgramGroup::ProgramGroup(const chip::Program &program, uint32_t registers,
                           ProgramKernel kernel, Isa isa, uint32_t stackOnEntry,
                           const chip::LifTreeCompartment &lifTree)
    : prog(program), kind(kernel) {
  plan.lifTree = lifTree;
  // A PUSH or POP carries its stack slot in the plan's copy of imm (which
  // the instruction set leaves 0 for them).
  uint32_t depth = stackOnEntry;
  for (uint64_t word : prog.code) {
    chip::isa::Instruction in = chip::isa::decode(word);
    if (in.op == chip::isa::Opcode::Push)
      in.imm = uint8_t(depth++);
    else if (in.op == chip::isa::Opcode::Pop)
      in.imm = uint8_t(--depth);
    plan.code.push_back(in);
  }
  // Registers the code names, whatever the profile allows.
  plan.registers = registers;
  for (const chip::isa::Instruction &in : plan.code)
    for (Operand o : {in.d, in.a, in.b, in.c})
      if (o.kind == OperandKind::Reg)
        plan.registers = std::max(plan.registers, uint32_t(o.index) + 1);
  for (const chip::StateWord &w : prog.state) {
    ProgramPlan::Word word;
    word.isSigned = w.isSigned;
    word.bits = w.bits;
    word.lo = chip::wordMin(w.bits, w.isSigned);
    word.hi = chip::wordMax(w.bits, w.isSigned);
    word.narrow =
        w.overflow == chip::Overflow::Saturate
            ? Narrow::Saturate
            : (w.isSigned ? Narrow::WrapSigned : Narrow::WrapUnsigned);
    plan.state.push_back(word);
  }
  plan.constants = prog.constants;
  plan.tables = prog.tables;
  plan.paramWords = uint32_t(prog.params.size());
  plan.refractoryWord = prog.refractoryWord;
  plan.refractoryPeriod = prog.refractoryPeriod;
  plan.skipIdle = prog.skipIdle;
  plan.idleParams = prog.idleParams;
  // The interpreter's columns of a block in about 24 KiB (L1 is 32 or 48).
  const uint32_t lanes = (24576 / (8 * scratchColumns(plan))) & ~15u;
  plan.blockLanes = std::clamp(lanes, 32u, 512u);
  const ProgramKernelTable &table = programKernels(isa);
  runBlock = table.fn[unsigned(kind)];
  interpretBlock = table.fn[unsigned(ProgramKernel::Interpreter)];
  kernels = &table;
}

void ProgramGroup::addLane(uint32_t position, uint32_t core,
                           const std::vector<int64_t> &words,
                           const std::vector<int32_t> &initial) {
  positions.push_back(position);
  cores.push_back(core);
  for (uint32_t w = 0; w < plan.paramWords; ++w)
    laneParams.push_back(w < words.size() ? words[w] : 0);
  for (uint32_t w = 0; w < prog.state.size(); ++w)
    laneState.push_back(w < initial.size() ? initial[w]
                                           : prog.state[w].initial);
}

void ProgramGroup::finish() {
  const uint32_t n = laneCount();
  const uint32_t words = plan.paramWords;
  paramColumns.assign(size_t(words) * n, 0);
  for (uint32_t k = 0; k < n; ++k)
    for (uint32_t w = 0; w < words; ++w)
      paramColumns[size_t(w) * n + k] = laneParams[size_t(k) * words + w];
  laneParams.clear();
  laneParams.shrink_to_fit();
  const size_t states = prog.state.size();
  stateColumns.assign(states * n, 0);
  for (uint32_t k = 0; k < n; ++k)
    for (size_t w = 0; w < states; ++w)
      stateColumns[w * n + k] = laneState[k * states + w];
  laneState.clear();
  laneState.shrink_to_fit();
  contiguous = true;
  for (uint32_t k = 1; k < n; ++k)
    contiguous &= positions[k] == positions[0] + k;
  // The fast paths rely on every parameter word being inside its declared
  // range (the image validator's rule; checked here, not assumed).
  for (uint32_t w = 0; w < words && kind != ProgramKernel::Interpreter; ++w) {
    const chip::ParamWord &p = prog.params[w];
    const int64_t lo = chip::wordMin(p.bits, p.isSigned);
    const int64_t hi = chip::wordMax(p.bits, p.isSigned);
    for (uint32_t k = 0; k < n; ++k) {
      const int64_t x = paramColumns[size_t(w) * n + k];
      if (x < lo || x > hi) {
        kind = ProgramKernel::Interpreter;
        runBlock = interpretBlock;
        break;
      }
    }
  }
  if (kind == ProgramKernel::Izhikevich)
    plan.smallCoefficients = std::all_of(
        paramColumns.begin(), paramColumns.begin() + ptrdiff_t(2) * n,
        [](int64_t x) { return within(x, 17); });
  // A fast path keeps nothing in scratch between instructions: longer
  // blocks, fewer calls.
  if (kind != ProgramKernel::Interpreter)
    plan.blockLanes = kFastPathLanes;
  const uint32_t lanes = plan.blockLanes;
  blockCores.clear();
  for (uint32_t b = 0; b < n; b += lanes) {
    const uint32_t e = std::min(n, b + lanes);
    const bool one = std::all_of(cores.begin() + b, cores.begin() + e,
                                 [&](uint32_t c) { return c == cores[b]; });
    blockCores.push_back(one ? cores[b] : kMixedCores);
  }
  uniformParam.assign(words, 0);
  paramCopies.assign(size_t(words) * lanes, 0);
  blockParams.assign(words, nullptr);
  blockState.assign(prog.state.size(), nullptr);
  for (uint32_t w = 0; w < words && n > 0; ++w) {
    const int64_t *column = paramColumns.data() + size_t(w) * n;
    uniformParam[w] = std::all_of(column, column + n,
                                  [&](int64_t x) { return x == column[0]; });
    std::fill_n(paramCopies.begin() + ptrdiff_t(w) * lanes, lanes, column[0]);
  }
  q.assign(lanes, 0);
  flags.assign(lanes, 0);
  scratch.clear();
  if (kind == ProgramKernel::LifTree) // the children's join: one column
    scratch.assign(size_t(lanes) + 8, 0);
  if (kind != ProgramKernel::Interpreter)
    return; // the fast paths keep their values in registers
  // 8 more for the 64-byte alignment; constants and the zero column are
  // written once, here (the interpreter only reads them).
  scratch.assign(size_t(scratchColumns(plan)) * lanes + 8, 0);
  int64_t *columns = cacheLineStart(scratch);
  int64_t *constants =
      columns + size_t(plan.registers + plan.state.size()) * lanes;
  for (size_t c = 0; c < plan.constants.size(); ++c)
    std::fill(constants + c * lanes, constants + (c + 1) * lanes,
              plan.constants[c]);
}

void ProgramGroup::setTree(int64_t *stack, uint32_t slots, int64_t *bap,
                           bool root) {
  treeStack = stack;
  treeSlots = slots;
  treeBap = bap;
  treeRoot = root;
  blockStack.assign(slots, nullptr);
}

void ProgramGroup::runExactly(const ProgramBlock &block) {
  const uint32_t words = uint32_t(prog.state.size());
  int32_t state[chip::isa::kMaxOperandIndex];
  int64_t params[chip::isa::kMaxOperandIndex];
  for (uint32_t k = 0; k < block.count; ++k) {
    if (!(block.flags[k] & kExact))
      continue;
    for (uint32_t w = 0; w < words; ++w)
      state[w] = block.state[w][k];
    for (uint32_t w = 0; w < plan.paramWords; ++w)
      params[w] = block.params[w][k];
    const chip::UpdateOutcome out =
        chip::interpret(prog, state, params, block.q[k]);
    for (uint32_t w = 0; w < words; ++w)
      block.state[w][k] = state[w];
    block.flags[k] = (out.spiked ? kSpiked : 0) | (out.idle ? kIdle : 0);
  }
}

template <typename Acc>
uint32_t ProgramGroup::step(Acc *slot, unsigned accShift, uint32_t *&spikes,
                            uint64_t *idlePerCore) {
  uint32_t idle = 0;
  for (uint32_t b = 0; b < laneCount(); b += plan.blockLanes)
    idle += stepBlock(b, slot, accShift, spikes, idlePerCore);
  return idle;
}

template <typename Acc>
uint32_t ProgramGroup::stepBlock(uint32_t b, Acc *slot, unsigned accShift,
                                 uint32_t *&spikes, uint64_t *idlePerCore,
                                 bool inputLoaded) {
  const uint32_t n = laneCount();
  const uint32_t lanes = plan.blockLanes;
  int64_t *columns = scratch.empty() ? nullptr : cacheLineStart(scratch);
  const uint32_t m = std::min(lanes, n - b);
  int64_t *__restrict qs = q.data();
  if (inputLoaded) {
    // TreeCompartments::step has filled blockInput().
  } else if (contiguous) {
    Acc *in = slot + positions[0] + b;
    if constexpr (std::is_same_v<Acc, int16_t>)
      kernels->loadInput16(in, accShift, m, qs);
    else if constexpr (std::is_same_v<Acc, int32_t>)
      kernels->loadInput32(in, accShift, m, qs);
    else
      kernels->loadInput64(in, accShift, m, qs);
  } else {
    const uint32_t *at = positions.data() + b;
    for (uint32_t k = 0; k < m; ++k) {
      qs[k] = int64_t(uint64_t(int64_t(slot[at[k]])) << accShift);
      slot[at[k]] = 0;
    }
  }
  ProgramBlock block;
  block.count = m;
  for (size_t w = 0; w < blockState.size(); ++w)
    blockState[w] = stateColumns.data() + w * n + b;
  block.state = blockState.data();
  for (uint32_t w = 0; w < plan.paramWords; ++w)
    blockParams[w] = uniformParam[w] ? paramCopies.data() + size_t(w) * lanes
                                     : paramColumns.data() + size_t(w) * n + b;
  block.params = blockParams.data();
  block.q = qs;
  block.flags = flags.data();
  // int16 and int32 accumulators times at most 2^8: |q| < 2^40.
  block.smallInput = sizeof(Acc) <= 4 && accShift <= 8;
  block.scratch = columns;
  if (treeStack) {
    for (uint32_t s = 0; s < treeSlots; ++s)
      blockStack[s] = treeStack + size_t(s) * n + b;
    block.stack = blockStack.data();
    block.bap = treeBap + b;
  }
  const uint32_t any = runBlock(plan, block);
  if (any & kExact)
    runExactly(block);
  if (treeStack && treeRoot) // read by every position in the next step
    for (uint32_t k = 0; k < m; ++k)
      treeBap[b + k] = flags[k] & kSpiked;
  if ((any & (kSpiked | kExact)) && (!treeStack || treeRoot))
    spikes = kernels->listSpikes(flags.data(), positions.data() + b, m, spikes);
  if (!(any & (kIdle | kExact)))
    return 0;
  const uint32_t blockCore = blockCores[b / lanes];
  uint32_t idle = 0;
  if (blockCore != kMixedCores) {
    for (uint32_t k = 0; k < m; ++k)
      idle += uint32_t(flags[k] >> 1 & 1); // kIdle
    idlePerCore[blockCore] += idle;
    return idle;
  }
  for (uint32_t k = 0; k < m; ++k)
    if (flags[k] & kIdle) {
      ++idle;
      ++idlePerCore[cores[b + k]];
    }
  return idle;
}

namespace {
/// The immediate of `plan`'s first `op` instruction (the LIF integration's
/// widths: the format's numbers).
unsigned immediateOf(const ProgramPlan &plan, chip::isa::Opcode op) {
  for (const chip::isa::Instruction &in : plan.code)
    if (in.op == op)
      return in.imm;
  return 0;
}

/// A tree shape's positions fused for TreeKernels.h, or null where a
/// position is not a LifTree group or a value could leave 32 bits. The
/// bounds, with |u| <= 2^(uBits - 1) = U and vLow <= v <= vHigh: v is
/// clipped to [vmin, vmax] every step, then perhaps zeroed or, in a
/// subtracting root that fires (v > threshold), reduced by the threshold, so
/// [vLow, vHigh] spans those, 0 and the starting v (TreeCompartments gives
/// no other way to set a state). A dendrite pushes at most U or
/// max(-vLow, vHigh) times the largest |gain| / 2^16 (or unscaled, or the
/// gain itself: Active); the children's join is at most the sum (ADD) or the
/// largest (MIN, MAX) of what they push, or the largest |joinWeight| (AND,
/// OR); q is clamped to accLimit + join, so the input's sum stays below
/// accLimit + 2 join; u's below U + accLimit; v + u + bias below vHigh + U +
/// |bias| (above, it may pass INT32_MIN, as the LIF kernels' sum may: the
/// loop detects it from the signs, and the clip then gives vmin). Every
/// parameter word must be a 32-bit value, and the decay scales
/// 2^decayBits - d in [0, 2^decayBits] with decayBits <= 15 (decay16).
std::shared_ptr<FusedTree> fuseLifTree(std::vector<ProgramGroup> &positions,
                                       std::vector<FusedTreeSegment> segments) {
  using chip::isa::Opcode;
  constexpr int64_t kMax = INT32_MAX;
  const uint32_t width = uint32_t(positions.size());
  if (width == 0 || width > kFusedTreeWidth)
    return nullptr;
  for (uint32_t p = 0; p < width; ++p) {
    const ProgramGroup &g = positions[p];
    if (g.kernel() != ProgramKernel::LifTree ||
        g.blockPlan().lifTree.root != (p + 1 == width))
      return nullptr;
  }
  const ProgramPlan &root = positions.back().blockPlan();
  const unsigned bits = immediateOf(root, Opcode::Decay);
  const unsigned saturation = immediateOf(root, Opcode::Sat);
  const unsigned uBits = root.state[0].bits;
  if (bits > 15 || saturation > 30 || uBits < 2 || uBits > 32 ||
      root.state.size() < 3 || root.state[2].hi > kMax)
    return nullptr;
  auto tree = std::make_shared<FusedTree>();
  tree->neurons = positions.back().laneCount();
  tree->segments = std::move(segments);
  tree->decayBits = bits;
  tree->uShift = 32 - uBits;
  tree->accLimit = int32_t((int64_t(1) << saturation) - 1);
  tree->counterMask = int32_t(root.state[2].hi);
  tree->uniform = true;
  const int64_t uMax = int64_t(1) << (uBits - 1);
  if (uMax + tree->accLimit > kMax)
    return nullptr;
  const uint32_t n = tree->neurons;
  // Each position's words (32-bit), and where they go in tree->words.
  std::vector<std::array<size_t, kFusedTreeWords>> offsets(width);
  std::array<int64_t, kFusedTreeSlots> pushedBound{};
  for (uint32_t p = 0; p < width; ++p) {
    ProgramGroup &g = positions[p];
    const ProgramPlan &plan = g.blockPlan();
    const chip::LifTreeCompartment &shape = plan.lifTree;
    if (immediateOf(plan, Opcode::Decay) != bits ||
        immediateOf(plan, Opcode::Sat) != saturation ||
        plan.state[0].bits != uBits || plan.state[1].lo < INT32_MIN ||
        plan.state[1].hi > kMax)
      return nullptr;
    FusedTreePosition d;
    d.shape = shape;
    d.vlo = int32_t(plan.state[1].lo);
    d.vhi = int32_t(plan.state[1].hi);
    std::array<int64_t, kFusedTreeWords> largest{}, lowest{}, highest{};
    for (uint32_t w = 0; w < kFusedTreeWords; ++w) {
      const int64_t *column = g.paramColumn(w);
      std::vector<int32_t> values(n);
      for (uint32_t k = 0; k < n; ++k) {
        int64_t x = column[k];
        if (x < INT32_MIN || x > kMax)
          return nullptr;
        if (w == ScaleU || w == ScaleV) {
          if (x < 0 || x > (int64_t(1) << bits))
            return nullptr;
          x = (int64_t(1) << bits) - x;
        } else if (w == Period) {
          x = shape.root ? x & tree->counterMask : 0;
        }
        values[k] = int32_t(x);
        largest[w] = std::max(largest[w], x < 0 ? -x : x);
        lowest[w] = k ? std::min(lowest[w], x) : x;
        highest[w] = k ? std::max(highest[w], x) : x;
      }
      const bool uniform =
          std::all_of(values.begin(), values.end(),
                      [&](int32_t x) { return x == values[0]; });
      offsets[p][w] = tree->words.size();
      d.wordStep[w] = uniform ? 0 : 1;
      d.value[w] = values.empty() ? 0 : values[0];
      tree->uniform &= uniform;
      if (uniform)
        tree->words.insert(tree->words.end(), 16,
                           values.empty() ? 0 : values[0]);
      else
        tree->words.insert(tree->words.end(), values.begin(), values.end());
    }
    d.uIsInput = d.wordStep[ScaleU] == 0 && d.value[ScaleU] == 0;
    d.narrowGain = largest[Gain] < (int64_t(1) << 15);
    if (shape.root) {
      const int32_t *counter = g.stateColumn(2);
      d.neverRefractory =
          d.wordStep[Period] == 0 && d.value[Period] == 0 &&
          std::all_of(counter, counter + n, [](int32_t c) { return c == 0; });
    }
    d.vKeeps =
        d.wordStep[ScaleV] == 0 && d.value[ScaleV] == (int64_t(1) << bits);
    unsigned pops = 0;
    for (const chip::isa::Instruction &in : plan.code) {
      if ((in.op == Opcode::Pop || in.op == Opcode::Push) &&
          in.imm >= kFusedTreeSlots)
        return nullptr;
      if (in.op == Opcode::Pop)
        d.pops[pops++] = uint8_t(in.imm);
      else if (in.op == Opcode::Push)
        d.push = uint8_t(in.imm);
    }
    if (pops != shape.children)
      return nullptr;
    int64_t vLow = std::min({int64_t(0), lowest[VMin], lowest[VMax]});
    int64_t vHigh = std::max({int64_t(0), highest[VMin], highest[VMax]});
    if (shape.root && shape.reset == chip::LifReset::Subtract)
      vHigh += std::max(int64_t(0), -lowest[Threshold]);
    if (vHigh > kMax) // v - threshold of a firing lane would not fit
      return nullptr;
    const int32_t *v = g.stateColumn(1);
    for (uint32_t k = 0; k < n; ++k) {
      vLow = std::min(vLow, int64_t(v[k]));
      vHigh = std::max(vHigh, int64_t(v[k]));
    }
    vLow = std::max(vLow, plan.state[1].lo);
    vHigh = std::min(vHigh, plan.state[1].hi);
    const int64_t vMax = std::max(-vLow, vHigh);
    int64_t join = 0;
    for (unsigned c = 0; c < pops; ++c) {
      const int64_t child = pushedBound[d.pops[c]];
      switch (shape.join) {
      case chip::TreeJoin::Add:
        join += child;
        break;
      case chip::TreeJoin::Min:
      case chip::TreeJoin::Max:
        join = std::max(join, child);
        break;
      case chip::TreeJoin::And:
      case chip::TreeJoin::Or:
        join = largest[JoinWeight];
        break;
      }
    }
    if (join > kMax || tree->accLimit + 2 * join > kMax)
      return nullptr;
    d.inputLimit = int32_t(tree->accLimit + join);
    if (vHigh + uMax + largest[Bias] > kMax)
      return nullptr;
    if (!shape.root) {
      const int64_t gain = largest[Gain];
      const auto scaled = [&](int64_t x) {
        return shape.scaledOutput
                   ? ((x * gain + (int64_t(1) << (chip::kTreeGainShift - 1))) >>
                      chip::kTreeGainShift) +
                         1
                   : x;
      };
      int64_t pushed = 0;
      switch (shape.output) {
      case chip::TreeOutput::Current:
        pushed = scaled(uMax);
        break;
      case chip::TreeOutput::Voltage:
      case chip::TreeOutput::AboveThreshold:
        pushed = scaled(vMax);
        break;
      case chip::TreeOutput::Active:
        pushed = gain;
        break;
      }
      if (pushed > kMax)
        return nullptr;
      pushedBound[d.push] = pushed;
    }
    d.uAt = tree->blockWords;
    d.vAt = d.uAt + 16;
    d.refractoryAt = d.vAt + 16;
    tree->blockWords = d.vAt + (shape.root ? 32 : 16);
    tree->positions.push_back(d);
  }
  // The state moves into the fused blocks (unfuse moves it back).
  uint32_t blocks = 0;
  for (FusedTreeSegment &segment : tree->segments) {
    segment.firstBlock = blocks;
    blocks += (segment.neurons + 15) / 16;
  }
  tree->state.assign(size_t(blocks) * tree->blockWords + 15, 0);
  const uintptr_t at = reinterpret_cast<uintptr_t>(tree->state.data());
  tree->stateStart = uint32_t((64 - at % 64) % 64 / sizeof(int32_t));
  tree->bap.assign(blocks, 0);
  for (uint32_t p = 0; p < width; ++p)
    for (uint32_t w = 0; w < positions[p].blockPlan().state.size(); ++w) {
      const int32_t *column = positions[p].stateColumn(w);
      for (uint32_t k = 0; k < n; ++k)
        tree->state[tree->stateAt(p, w, k)] = column[k];
    }
  for (uint32_t p = 0; p < width; ++p)
    for (uint32_t w = 0; w < kFusedTreeWords; ++w)
      tree->positions[p].word[w] = tree->words.data() + offsets[p][w];
  return tree;
}
/// The neurons of a shape as runs laid out position by position
/// (FusedTreeSegment: neuron k's position p at first + p * length + k - its
/// run's first lane), or none where they are not so laid out.
std::vector<FusedTreeSegment>
positionMajorRuns(const std::vector<ProgramGroup> &positions) {
  const uint32_t width = uint32_t(positions.size());
  const std::vector<uint32_t> &at0 = positions[0].lanePositions();
  const uint32_t n = uint32_t(at0.size());
  std::vector<FusedTreeSegment> runs;
  for (uint32_t k = 0; k < n;) {
    const uint32_t first = at0[k];
    // The run's length: the distance to position 1's first compartment, or,
    // for trees of one compartment, how far the positions go on by one.
    uint32_t length = 1;
    if (width == 1) {
      while (k + length < n && at0[k + length] == first + length)
        ++length;
    } else {
      const uint32_t next = positions[1].lanePositions()[k];
      if (next <= first || next - first > n - k)
        return {};
      length = next - first;
    }
    for (uint32_t p = 0; p < width; ++p) {
      const uint32_t *at = positions[p].lanePositions().data() + k;
      for (uint32_t j = 0; j < length; ++j)
        if (at[j] != first + p * length + j)
          return {};
    }
    runs.push_back({first, length, k, 0});
    k += length;
  }
  return runs;
}
} // namespace

bool TreeCompartments::fusesOn(Isa isa) {
  return isa == Isa::Avx512 && fusedTreeAvx512Kernels();
}

void TreeCompartments::add(uint32_t position, uint32_t core,
                           const chip::Program &program,
                           std::vector<int64_t> words,
                           std::vector<int32_t> initial, uint32_t root) {
  pending.push_back(
      {position, core, root, program, std::move(words), std::move(initial)});
  ++count;
}

void TreeCompartments::finish(uint32_t registers, Isa isa,
                              const chip::NeuronFormat &format,
                              bool fastPaths) {
  std::vector<chip::Program> distinct; // interned programs
  // The lifTreeProgram shape of each distinct program, if any.
  std::vector<std::optional<chip::LifTreeCompartment>> lifTreeOf;
  std::map<std::vector<uint32_t>, uint32_t> shapeOf;
  placeOf.assign(pending.size(), Place{});
  for (uint32_t first = 0; first < pending.size();) {
    const uint32_t root = pending[first].root;
    std::vector<uint32_t> key;
    for (uint32_t k = first; k <= root; ++k) {
      auto it = std::find(distinct.begin(), distinct.end(), pending[k].program);
      key.push_back(uint32_t(it - distinct.begin()));
      if (it == distinct.end()) {
        distinct.push_back(pending[k].program);
        lifTreeOf.push_back(fastPaths ? lifTreeShape(pending[k].program, format)
                                      : std::nullopt);
      }
    }
    auto [it, added] = shapeOf.emplace(key, uint32_t(shapes.size()));
    if (added) {
      Shape shape;
      uint32_t depth = 0;
      for (uint32_t k = first; k <= root; ++k) {
        const chip::Program &program = pending[k].program;
        const std::optional<chip::LifTreeCompartment> &lifTree =
            lifTreeOf[key[k - first]];
        shape.positions.emplace_back(
            program, registers,
            lifTree ? ProgramKernel::LifTree : ProgramKernel::Interpreter, isa,
            depth, lifTree.value_or(chip::LifTreeCompartment{}));
        const chip::StackEffect effect = chip::stackEffect(program);
        shape.slots = std::max(shape.slots, depth + effect.pushes);
        depth = depth - effect.pops + effect.pushes;
      }
      shapes.push_back(std::move(shape));
    }
    Shape &shape = shapes[it->second];
    for (uint32_t k = first; k <= root; ++k) {
      ProgramGroup &group = shape.positions[k - first];
      placeOf[k] = {it->second, k - first, group.laneCount()};
      group.addLane(pending[k].position, pending[k].core, pending[k].params,
                    pending[k].initial);
    }
    first = root + 1;
  }
  pending.clear();
  pending.shrink_to_fit();
  kernels = &programKernels(isa);
  fusedKernels = fastPaths && fusesOn(isa) ? fusedTreeAvx512Kernels() : nullptr;
  // The columns exist once every shape does (no vector moves after).
  for (Shape &shape : shapes) {
    const uint32_t neurons = shape.positions.front().laneCount();
    shape.stack.assign(size_t(std::max(shape.slots, 1u)) * neurons, 0);
    shape.bap.assign(neurons, 0);
    for (ProgramGroup &group : shape.positions) {
      group.finish();
      group.setTree(shape.stack.data(), shape.slots, shape.bap.data(),
                    &group == &shape.positions.back());
    }
    const uint32_t width = uint32_t(shape.positions.size());
    shape.firstPosition = shape.positions[0].lanePositions().empty()
                              ? 0
                              : shape.positions[0].lanePositions()[0];
    shape.interleaved = true;
    for (uint32_t p = 0; p < width; ++p) {
      const std::vector<uint32_t> &at = shape.positions[p].lanePositions();
      for (uint32_t k = 0; k < at.size(); ++k)
        shape.interleaved &= at[k] == shape.firstPosition + k * width + p;
    }
    shape.blockMajor = std::all_of(
        shape.positions.begin(), shape.positions.end(),
        [&](const ProgramGroup &g) {
          return g.blockLanes() == shape.positions.front().blockLanes();
        });
    shape.interleaved &= shape.blockMajor;
    for (ProgramGroup &group : shape.positions)
      shape.inputs.push_back(group.blockInput());
    // Fused where its neurons lie position by position in runs that fill
    // 16 lanes on average (the compiler's layout is runs of one neuron,
    // which the unfused loop reads better).
    if (fusedKernels)
      if (std::vector<FusedTreeSegment> runs =
              positionMajorRuns(shape.positions);
          !runs.empty() && (runs.size() == 1 ||
                            shape.positions[0].laneCount() >= 16 * runs.size()))
        shape.fused = fuseLifTree(shape.positions, std::move(runs));
  }
}

std::vector<int32_t> TreeCompartments::stateWords(uint32_t k) const {
  const ProgramGroup &g = group(k);
  const Place &at = placeOf[k];
  const FusedTree *fused = shapes[at.shape].fused.get();
  std::vector<int32_t> words;
  for (uint32_t w = 0; w < g.program().state.size(); ++w)
    words.push_back(fused
                        ? fused->state[fused->stateAt(at.position, w, at.lane)]
                        : g.stateWord(w, at.lane));
  return words;
}

void TreeCompartments::unfuse(Shape &shape) {
  const FusedTree &fused = *shape.fused;
  for (uint32_t p = 0; p < shape.positions.size(); ++p) {
    ProgramGroup &g = shape.positions[p];
    for (uint32_t w = 0; w < g.program().state.size(); ++w) {
      int32_t *column = g.stateColumn(w);
      for (uint32_t k = 0; k < fused.neurons; ++k)
        column[k] = fused.state[fused.stateAt(p, w, k)];
    }
  }
  for (uint32_t k = 0; k < fused.neurons; ++k) {
    const auto [block, lane] = fused.blockOf(k);
    shape.bap[k] = fused.bap[block] >> lane & 1;
  }
  shape.fused.reset();
}

template <typename Acc>
uint32_t TreeCompartments::step(Acc *slot, unsigned accShift, uint32_t *&spikes,
                                uint64_t *idlePerCore) {
  uint32_t idle = 0;
  for (Shape &shape : shapes) {
    if (shape.fused && fusedInputFits(*shape.fused, accShift)) {
      if constexpr (std::is_same_v<Acc, int16_t>) {
        fusedKernels->run16(*shape.fused, slot, accShift, spikes);
        continue;
      } else if constexpr (std::is_same_v<Acc, int32_t>) {
        fusedKernels->run32(*shape.fused, slot, accShift, spikes);
        continue;
      }
    }
    if (shape.fused) // accumulators the fused loop does not read
      unfuse(shape);
    if (!shape.blockMajor) {
      for (ProgramGroup &group : shape.positions)
        idle += group.step(slot, accShift, spikes, idlePerCore);
      continue;
    }
    // A block of neurons through every position: its stack columns and
    // its accumulators stay in L1 from the PUSH to the POP.
    const uint32_t neurons = shape.positions.back().laneCount();
    const uint32_t lanes = shape.positions.back().blockLanes();
    const uint32_t width = uint32_t(shape.positions.size());
    for (uint32_t b = 0; b < neurons; b += lanes) {
      if (shape.interleaved) {
        // The block's accumulators are one run, neuron by neuron: read
        // each position's input from it, then clear it in one go.
        const uint32_t m = std::min(lanes, neurons - b);
        Acc *in = slot + shape.firstPosition + size_t(b) * width;
        int64_t *const *q = shape.inputs.data();
        if constexpr (std::is_same_v<Acc, int16_t>)
          kernels->loadInterleaved16(in, width, accShift, m, q);
        else if constexpr (std::is_same_v<Acc, int32_t>)
          kernels->loadInterleaved32(in, width, accShift, m, q);
        else
          kernels->loadInterleaved64(in, width, accShift, m, q);
      }
      for (ProgramGroup &group : shape.positions)
        idle += group.stepBlock(b, slot, accShift, spikes, idlePerCore,
                                shape.interleaved);
    }
  }
  return idle;
}

template uint32_t TreeCompartments::step(int16_t *, unsigned, uint32_t *&,
                                         uint64_t *);
template uint32_t TreeCompartments::step(int32_t *, unsigned, uint32_t *&,
                                         uint64_t *);
template uint32_t TreeCompartments::step(int64_t *, unsigned, uint32_t *&,
                                         uint64_t *);

template uint32_t ProgramGroup::step(int16_t *, unsigned, uint32_t *&,
                                     uint64_t *);
template uint32_t ProgramGroup::step(int32_t *, unsigned, uint32_t *&,
                                     uint64_t *);
template uint32_t ProgramGroup::step(int64_t *, unsigned, uint32_t *&,
                                     uint64_t *);

} // namespace cajal::golden::detail
