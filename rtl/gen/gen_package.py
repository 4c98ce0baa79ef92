#!/usr/bin/env python3
# ===- gen_package.py - SystemVerilog package of core sizes from a profile -===#
#
# Reads an architecture profile (chip/profiles/*.json, following its "base"
# chain as chip::loadProfile does: beside the file, then in the installed
# profile directory) and writes the SystemVerilog package `neurocore_pkg`
# holding every size and bit width the RTL neurocore needs, plus a C++
# header with the same numbers so that the Verilator harness can check that
# the profile it runs with is the one the RTL was generated from. Derived
# widths (address widths, the dendritic accumulator width) are computed here
# once. Nothing in rtl/src types a chip number.
#
# Usage: gen_package.py PROFILE.json PROFILE_DIR OUT.sv OUT.h
# ===----------------------------------------------------------------------===#
import json
import math
import os
import sys


def load_fields(path, profile_dir, seen=()):
    if path in seen:
        raise SystemExit(f"{path}: base cycle")
    with open(path) as f:
        doc = json.load(f)
    fields = {}
    base = doc.get("base")
    if base:
        beside = os.path.join(os.path.dirname(path), base + ".json")
        installed = os.path.join(profile_dir, base + ".json")
        base_path = beside if os.path.exists(beside) else installed
        if not os.path.exists(base_path):
            raise SystemExit(f"{path}: base profile '{base}' not found")
        fields.update(load_fields(base_path, profile_dir, seen + (path,))[1])
    for k, v in doc.get("fields", {}).items():
        fields[k] = v["value"]
    return doc.get("name", ""), fields


def clog2(n):
    """Bits to address n entries (at least 1)."""
    return max(1, (int(n) - 1).bit_length())


def bits_for(n):
    """Bits to hold the value n (at least 1)."""
    return max(1, int(n).bit_length())


def cycles_for(ns, clock_hz):
    """Whole cycles of an ns latency, rounded up, as systemc::Timing::cyclesFor
    does (no extra cycle for a floating-point excess below 1e-9)."""
    cycles = ns * clock_hz / 1e9
    if not cycles > 0:
        return 0
    whole = math.floor(cycles)
    return int(whole if cycles - whole <= 1e-9 * max(1.0, cycles) else whole + 1)


# The RTL's shortest schedule per operation (docs/neurocore.md): a synaptic
# op reads an accumulator, then writes it; a dispatch waits one cycle for the
# input-axon entry; an update's first instruction slot runs in the cycle after
# its words were read (at the previous update's last edge), so an update, and
# an instruction slot, lasts at least one cycle.
MIN_CYCLES = {"SYNOP_CYCLES": ("cost.synapticOpNs", 2),
              "UPD_INACTIVE_CYCLES": ("cost.neuronUpdateInactiveNs", 1),
              "DISPATCH_CYCLES": ("core.spikeDispatchCycles", 1),
              "ALU_CYCLES": ("isa.aluCycles", 1),
              "MUL_CYCLES": ("isa.multiplyCycles", 1),
              "SPIKE_CYCLES": ("isa.spikeCycles", 1),
              "LUT_CYCLES": ("isa.lookupCycles", 1)}


def derive_timing(f, name):
    """The micro-architecture's cycle counts, shared with the SystemC core.
    An active update costs its program's slots, each its cost class's
    isa.* cycles (chip::programCost); nothing here prices a particular
    program."""
    clock = f["cost.clockHz"]
    p = {"SYNOP_CYCLES": cycles_for(f["cost.synapticOpNs"], clock),
         "UPD_INACTIVE_CYCLES": cycles_for(f["cost.neuronUpdateInactiveNs"], clock),
         "DISPATCH_CYCLES": f["core.spikeDispatchCycles"],
         "ALU_CYCLES": f["isa.aluCycles"],
         "MUL_CYCLES": f["isa.multiplyCycles"],
         "SPIKE_CYCLES": f["isa.spikeCycles"],
         "LUT_CYCLES": f["isa.lookupCycles"]}
    for key, (field, least) in MIN_CYCLES.items():
        if p[key] < least:
            raise SystemExit(
                f"profile '{name}': {field} gives {p[key]} cycle(s) at cost.clockHz = "
                f"{clock:g}; the RTL neurocore needs at least {least} (docs/neurocore.md)")
    p["PHASE_W"] = bits_for(max(p["SYNOP_CYCLES"], p["DISPATCH_CYCLES"]))
    # The longest active update: every slot of the longest program at the
    # dearest cost class (a bound for the harness's hang check).
    p["MAX_UPDATE_CYCLES"] = f["isa.maxInstructions"] * max(
        p["ALU_CYCLES"], p["MUL_CYCLES"], p["SPIKE_CYCLES"], p["LUT_CYCLES"])
    p["QUEUE_DEPTH"] = f["core.inputQueueDepth"]
    p["QUEUE_ADDR_W"] = clog2(f["core.inputQueueDepth"])
    p["QUEUE_COUNT_W"] = bits_for(f["core.inputQueueDepth"])
    return p


# Program-table entries of a programmable core: distinct programs one core
# can hold (a core never runs more programs than it has compartments).
PROGRAM_TABLE = 64


def derive_programs(f):
    """Sizes of the update unit from the profile's isa.* limits. Operand
    indices are 4 bits (16 words of each kind at most)."""
    p = {}
    for key, field in (("MAX_INSTR", "isa.maxInstructions"), ("REGS", "isa.registers"),
                       ("STATE_WORDS", "isa.maxStateWords"),
                       ("PARAM_WORDS", "isa.maxParamWords")):
        p[key] = f[field]
        if not 1 <= p[key] <= (1 << 16 if key == "MAX_INSTR" else 16):
            raise SystemExit(f"{field} = {p[key]} is outside what the RTL sequencer can address")
    p["CONSTS"] = max(1, f["isa.maxConstants"])  # an empty table has one zero
    if f["isa.maxConstants"] > 16:
        raise SystemExit(f"isa.maxConstants = {f['isa.maxConstants']} exceeds 16")
    p["INSTR_ADDR_W"] = clog2(p["MAX_INSTR"])
    p["STATE_IDX_W"] = clog2(p["STATE_WORDS"])
    p["PARAM_IDX_W"] = clog2(p["PARAM_WORDS"])
    p["CONST_IDX_W"] = clog2(p["CONSTS"])
    if f["isa.programmable"] or f.get("isa.stackDepth", 0) > 0:
        # Any program, or a fixed-function chip's many tree compartments.
        p["PROGRAMS"] = min(PROGRAM_TABLE, f["core.compartments"])
    else:  # the LIF program in each reset mode the profile allows
        p["PROGRAMS"] = 3 if f["neuron.resetBySubtraction"] else 2
    p["PROG_W"] = clog2(p["PROGRAMS"])
    # Lookup tables: per program slot, isa.maxTables descriptors and room for
    # isa.maxTableEntries entries, in one core-wide table-entry memory (the
    # loader packs the programs' tables; each program holds at most
    # TABLE_ENTRIES, so every table of every slot fits). A profile without
    # tables keeps one unused descriptor and entry per slot (widths >= 1).
    p["MAX_TABLES"] = f["isa.maxTables"]
    p["MAX_TABLE_ENTRIES"] = f["isa.maxTableEntries"]
    if p["MAX_TABLES"] > 16:  # LUT's table index is an operand-sized imm
        raise SystemExit(f"isa.maxTables = {p['MAX_TABLES']} exceeds 16")
    p["TABLES"] = max(1, p["MAX_TABLES"])
    p["TABLE_ENTRIES"] = max(1, p["MAX_TABLE_ENTRIES"])
    p["TABLE_WORDS"] = p["PROGRAMS"] * p["TABLE_ENTRIES"]
    p["TABLE_IDX_W"] = clog2(p["TABLES"])
    p["TABLE_ADDR_W"] = clog2(p["TABLE_WORDS"])
    p["TABLE_LAST_W"] = clog2(p["TABLE_ENTRIES"])  # holds entries - 1
    # The dendritic tree's stack (isa.stackDepth 64-bit values; 0: no trees).
    # MAX_STACK_DEPTH keeps the profile's value, which the harness checks
    # trees against; the sequencer keeps at least one entry (widths >= 1).
    p["MAX_STACK_DEPTH"] = f.get("isa.stackDepth", 0)
    if not 0 <= p["MAX_STACK_DEPTH"] <= 256:
        raise SystemExit(f"isa.stackDepth = {p['MAX_STACK_DEPTH']} is outside 0 .. 256")
    p["STACK_DEPTH"] = max(1, p["MAX_STACK_DEPTH"])
    return p


def derive(f):
    p = {}
    p["COMPARTMENTS"] = f["core.compartments"]
    p["CMP_ADDR_W"] = clog2(f["core.compartments"])
    p["CMP_COUNT_W"] = bits_for(f["core.compartments"])
    p["INPUT_AXONS"] = f["core.inputAxons"]
    p["AXON_ADDR_W"] = clog2(f["core.inputAxons"])
    p["SYN_WORDS"] = f["core.synapseWords"]
    p["SYN_ADDR_W"] = clog2(f["core.synapseWords"])
    p["WORD_BITS"] = f["synapse.wordBits"]
    p["CIDX_BITS"] = f["synapse.compartmentIndexBits"]
    p["WEIGHT_BITS_MAX"] = f["synapse.weightBitsMax"]
    p["WBITS_W"] = bits_for(f["synapse.weightBitsMax"])
    emin, emax = f["synapse.weightExponentMin"], f["synapse.weightExponentMax"]
    p["WEXP_W"] = max(bits_for(abs(emin)), bits_for(emax)) + 1
    p["WEIGHT_SHIFT"] = f["synapse.weightShift"]
    p["DELAY_BITS"] = f["synapse.delayBits"]
    p["MAX_DELAY"] = f["synapse.maxDelay"]
    p["RING"] = f["synapse.maxDelay"] + 1
    p["SLOT_W"] = clog2(p["RING"])
    # A group never holds more synapses than the memory has fields.
    min_syn_bits = f["synapse.compartmentIndexBits"] + 2
    max_synapses = f["core.synapseWords"] * (f["synapse.wordBits"] // min_syn_bits)
    p["SYN_COUNT_W"] = bits_for(max_synapses)
    p["PER_WORD_W"] = bits_for(f["synapse.wordBits"] // min_syn_bits)
    p["FIELD_SHIFT_W"] = bits_for(f["synapse.wordBits"])
    # The neuron.* formats shape programs and their parameter words (C++),
    # not the RTL: the sequencer runs whatever program the core is given.
    # Dendritic accumulator: exact sum of every synapse of the memory at the
    # largest weight, so that saturation at read time sees the true sum.
    wmax_bits = f["synapse.weightBitsMax"] + max(
        0, f["synapse.weightShift"] + emax)
    p["ACC_W"] = max(wmax_bits + bits_for(max_synapses) + 1,
                     f["neuron.accumulatorBits"] + 2)
    # Learning (docs/learning.md): the widths of the learning phase, built
    # into the neurocore when it is Verilated with LEARNING = 1.
    p["TRACE_BITS"] = f.get("learning.traceBits", 1)
    p["IMPULSE_FRAC_BITS"] = f.get("learning.traceImpulseFractionBits", 1)
    p["DECAY_BITS"] = f.get("learning.traceDecayBits", 1)
    p["LACC_BITS"] = f.get("learning.accumulatorBits", 1)
    p["MANT_BITS"] = f.get("learning.scaleMantissaBits", 1)
    p["CONST_BITS"] = f.get("learning.constantBits", 1)
    p["MAX_TERMS"] = max(1, f.get("learning.maxTerms", 1))
    p["MAX_FACTORS"] = max(1, f.get("learning.maxFactors", 1))
    p["TAG_BITS"] = f.get("synapse.tagBits", 0)
    p["MAX_EPOCH"] = max(1, f.get("learning.maxEpochSteps", 1))
    p["EPOCH_W"] = clog2(p["MAX_EPOCH"])
    # The sequencer's input q is 64 bits.
    if p["ACC_W"] > 64:
        raise SystemExit("profile widths exceed the 64-bit accumulator the sequencer reads")
    return p


def main():
    if len(sys.argv) not in (5, 6):
        raise SystemExit("usage: gen_package.py PROFILE.json PROFILE_DIR OUT.sv OUT.h "
                         "[C++ NAMESPACE, default cajal::rtl::pkg]")
    prof, pdir, out_sv, out_h = sys.argv[1:5]
    ns = sys.argv[5] if len(sys.argv) == 6 else "cajal::rtl::pkg"
    name, fields = load_fields(prof, pdir)
    p = derive(fields)
    p.update(derive_programs(fields))
    p.update(derive_timing(fields, name))
    sv = [f"// Generated by rtl/gen/gen_package.py from profile '{name}'. Do not edit.",
          "/* verilator lint_off UNUSEDPARAM */",
          "package neurocore_pkg;"]
    sv += [f"  localparam int {k} = {v};" for k, v in p.items()]
    sv += ["endpackage", "/* verilator lint_on UNUSEDPARAM */", ""]
    h = [f"// Generated by rtl/gen/gen_package.py from profile '{name}'. Do not edit.",
         "#pragma once",
         f"namespace {ns} {{",
         f'inline constexpr const char *kProfileName = "{name}";']
    h += [f"inline constexpr long long {k} = {v};" for k, v in p.items()]
    h += [f"}} // namespace {ns}", ""]
    for path, lines in ((out_sv, sv), (out_h, h)):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines))
        os.replace(tmp, path)


if __name__ == "__main__":
    main()
