//===- ProgramUnit.cpp - Drive the Verilated micro-sequencer --------------===//
//
// Loading sets the program ports once and writes the program's table
// entries, one per cycle; each update sets the compartment's words and q,
// pulses start and clocks until done (bounded by the longest possible
// update, so a hung sequencer is reported rather than waited on).
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/ProgramUnit.h"

#include "Vneuron_program.h"
#include "verilated.h"

#include <cstdlib>
#include <string>

#include <unistd.h>

namespace cajal::rtl {

namespace detail {
class ProgramModel {
public:
#if VM_COVERAGE
  /// Coverage builds: this model's counters to a new file in
  /// $CAJAL_RTL_COVERAGE_DIR (rtl/coverage/coverage.sh merges them).
  ~ProgramModel() {
    const char *dir = std::getenv("CAJAL_RTL_COVERAGE_DIR");
    if (!dir)
      return;
    static unsigned serial = 0;
    context.coveragep()->write((std::string(dir) + "/program-" +
                                std::to_string(::getpid()) + "-" +
                                std::to_string(serial++) + ".dat")
                                   .c_str());
  }
#endif
  VerilatedContext context;
  Vneuron_program top{&context};
  void tick() {
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
  }
};
} // namespace detail

namespace {
constexpr unsigned kBuildMaxInstructions = CAJAL_RTL_PROGRAM_MAX_INSTR;
constexpr unsigned kStateWords = CAJAL_RTL_PROGRAM_STATE_WORDS;
constexpr unsigned kParamWords = CAJAL_RTL_PROGRAM_PARAM_WORDS;
constexpr unsigned kConsts = CAJAL_RTL_PROGRAM_CONSTS;
/// Lookup tables: descriptors per program and the entry memory (one
/// program's entries together); at least 1 each.
constexpr unsigned kTables = CAJAL_RTL_PROGRAM_TABLES;
constexpr unsigned kTableEntries = CAJAL_RTL_PROGRAM_TABLE_ENTRIES;
/// The tree stack: loihi2's isa.stackDepth, at least 8.
constexpr unsigned kStackDepth = CAJAL_RTL_PROGRAM_STACK_DEPTH;

Status checkBuild(const chip::Profile &profile) {
  const chip::IsaLimits &isa = profile.isa;
  const auto mismatch = [&](const char *field, unsigned have, unsigned want) {
    return makeError("profile '" + profile.name + "': " + field + " = " +
                     std::to_string(have) +
                     "; the RTL micro-sequencer is built with " +
                     std::to_string(want) + " (from loihi2)");
  };
  if (isa.maxInstructions > kBuildMaxInstructions)
    return mismatch("isa.maxInstructions", isa.maxInstructions,
                    kBuildMaxInstructions);
  if (isa.registers > CAJAL_RTL_PROGRAM_REGS)
    return mismatch("isa.registers", isa.registers, CAJAL_RTL_PROGRAM_REGS);
  if (isa.maxStateWords > kStateWords)
    return mismatch("isa.maxStateWords", isa.maxStateWords, kStateWords);
  if (isa.maxParamWords > kParamWords)
    return mismatch("isa.maxParamWords", isa.maxParamWords, kParamWords);
  if (isa.maxConstants > kConsts)
    return mismatch("isa.maxConstants", isa.maxConstants, kConsts);
  if (isa.maxTables > kTables)
    return mismatch("isa.maxTables", isa.maxTables, kTables);
  if (isa.maxTableEntries > kTableEntries)
    return mismatch("isa.maxTableEntries", isa.maxTableEntries, kTableEntries);
  if (isa.stackDepth > kStackDepth)
    return mismatch("isa.stackDepth", isa.stackDepth, kStackDepth);
  if (isa.aluCycles != CAJAL_RTL_PROGRAM_ALU_CYCLES)
    return mismatch("isa.aluCycles", isa.aluCycles,
                    CAJAL_RTL_PROGRAM_ALU_CYCLES);
  if (isa.multiplyCycles != CAJAL_RTL_PROGRAM_MUL_CYCLES)
    return mismatch("isa.multiplyCycles", isa.multiplyCycles,
                    CAJAL_RTL_PROGRAM_MUL_CYCLES);
  if (isa.spikeCycles != CAJAL_RTL_PROGRAM_SPIKE_CYCLES)
    return mismatch("isa.spikeCycles", isa.spikeCycles,
                    CAJAL_RTL_PROGRAM_SPIKE_CYCLES);
  if (isa.lookupCycles != CAJAL_RTL_PROGRAM_LUT_CYCLES)
    return mismatch("isa.lookupCycles", isa.lookupCycles,
                    CAJAL_RTL_PROGRAM_LUT_CYCLES);
  return Status::ok();
}

/// Whether the program's tables fit the build's descriptors and entry
/// memory (the profile's limits may be below the build's, never above).
Status tablesFit(const chip::Program &program) {
  size_t entries = 0;
  for (const chip::LookupTable &t : program.tables)
    entries += t.entries.size();
  if (program.tables.size() > kTables || entries > kTableEntries)
    return makeError("program \"" + program.name + "\" has " +
                     std::to_string(program.tables.size()) +
                     " lookup tables of " + std::to_string(entries) +
                     " entries; the RTL micro-sequencer holds " +
                     std::to_string(kTables) + " tables of " +
                     std::to_string(kTableEntries) + " entries together");
  return Status::ok();
}
} // namespace

Result<std::unique_ptr<ProgramUnit>>
ProgramUnit::create(const chip::Program &program,
                    const chip::Profile &profile) {
  if (Status s = checkBuild(profile); !s)
    return s.takeError();
  std::unique_ptr<ProgramUnit> unit(new ProgramUnit());
  unit->model = std::make_unique<detail::ProgramModel>();
  unit->profile = profile;
  if (Status s = unit->load(program); !s)
    return s.takeError();
  return unit;
}

Status ProgramUnit::load(const chip::Program &program) {
  if (Status s = chip::validateProgram(program, profile); !s)
    return withContext("program \"" + program.name + "\": ", s.takeError());
  if (Status s = tablesFit(program); !s)
    return s;
  stateWords = program.state.size();
  Vneuron_program &top = model->top;
  for (unsigned i = 0; i < kBuildMaxInstructions; ++i)
    top.code[i] = i < program.code.size() ? program.code[i] : 0;
  top.code_len = uint16_t(program.code.size());
  uint32_t isSigned = 0, saturate = 0;
  for (unsigned i = 0; i < kStateWords; ++i) {
    const bool declared = i < program.state.size();
    top.state_bits[i] = declared ? program.state[i].bits : 32;
    if (declared && program.state[i].isSigned)
      isSigned |= 1u << i;
    if (declared && program.state[i].overflow == chip::Overflow::Saturate)
      saturate |= 1u << i;
  }
  for (unsigned i = 0; i < kConsts; ++i)
    top.consts[i] =
        uint64_t(i < program.constants.size() ? program.constants[i] : 0);
  // Tables packed in order into the table-entry memory, one entry per
  // cycle; every descriptor written (an undeclared table has none).
  top.start = 0;
  uint32_t base = 0;
  for (unsigned t = 0; t < kTables; ++t) {
    const chip::LookupTable *table =
        t < program.tables.size() ? &program.tables[t] : nullptr;
    top.table_origin[t] = table ? uint64_t(table->origin) : 0;
    top.table_shift[t] = table ? table->shift : 0;
    top.table_base[t] = table ? base : 0;
    top.table_last[t] = table ? uint32_t(table->entries.size() - 1) : 0;
    for (size_t k = 0; table && k < table->entries.size(); ++k) {
      top.entry_we = 1;
      top.entry_addr = base++;
      top.entry_data = uint32_t(table->entries[k]);
      model->tick();
    }
  }
  top.entry_we = 0;
  top.state_signed = isSigned;
  top.state_saturate = saturate;
  top.state_count = uint8_t(program.state.size());
  top.refr_enable = program.refractoryWord >= 0;
  top.refr_word =
      uint8_t(program.refractoryWord >= 0 ? program.refractoryWord : 0);
  top.refr_period = uint8_t(unsigned(program.refractoryPeriod.kind) << 4 |
                            program.refractoryPeriod.index);
  top.skip_idle = program.skipIdle;
  top.idle_params = uint16_t(program.idleParams);
  top.start = 0;
  top.rst_n = 0;
  model->tick();
  top.rst_n = 1;
  model->tick();
  return Status::ok();
}

ProgramUnit::~ProgramUnit() = default;

unsigned ProgramUnit::stackDepth() { return kStackDepth; }

ProgramUpdate ProgramUnit::update(const std::vector<int32_t> &state,
                                  const std::vector<int64_t> &params, int64_t q,
                                  bool bap) {
  Vneuron_program &top = model->top;
  for (unsigned i = 0; i < kStateWords; ++i)
    top.state_in[i] = uint32_t(i < state.size() ? state[i] : 0);
  for (unsigned i = 0; i < kParamWords; ++i)
    top.params[i] = uint64_t(i < params.size() ? params[i] : 0);
  top.q = uint64_t(q);
  top.bap = bap;
  top.start = 1;
  model->tick();
  top.start = 0;
  // `done` follows the update's last cycle; at most 2^16 cycles per slot:
  // anything longer is a hung sequencer.
  const uint64_t bound = uint64_t(kBuildMaxInstructions + 2) << 16;
  for (uint64_t t = 0; t < bound && !top.done; ++t)
    model->tick();
  ProgramUpdate out;
  for (size_t i = 0; i < stateWords; ++i)
    out.state.push_back(int32_t(top.state_out[i]));
  out.spiked = top.spiked;
  out.idle = top.idle;
  out.cycles = top.cycles;
  for (unsigned i = 0; i < top.stack_size && i < kStackDepth; ++i)
    out.stack.push_back(int64_t(top.stack_out[i]));
  if (!top.done)
    out.cycles = UINT64_MAX;
  return out;
}

} // namespace cajal::rtl
