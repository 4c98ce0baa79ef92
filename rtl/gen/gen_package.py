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
# op reads an accumulator, then writes it; an update reads a compartment's
# parameters, state and accumulator, then writes; a dispatch waits one cycle
# for the input-axon entry.
MIN_CYCLES = {"SYNOP_CYCLES": ("cost.synapticOpNs", 2),
              "UPD_ACTIVE_CYCLES": ("isa.aluCycles, isa.multiplyCycles, isa.spikeCycles", 2),
              "UPD_INACTIVE_CYCLES": ("cost.neuronUpdateInactiveNs", 2),
              "DISPATCH_CYCLES": ("core.spikeDispatchCycles", 1)}


# The LIF program's instructions by cost class (chip::lifProgram: SAT, ADD x3,
# CLIP; DECAY x2; REFR, FIRE): an active update costs what chip::programCost
# prices it at, as in the SystemC core (systemc::Timing::activeUpdateCycles).
LIF_INSTRUCTIONS = {"isa.aluCycles": 5, "isa.multiplyCycles": 2, "isa.spikeCycles": 2}


def lif_update_cycles(f):
    return sum(count * f[field] for field, count in LIF_INSTRUCTIONS.items())


def derive_timing(f, name):
    """The micro-architecture's cycle counts, shared with the SystemC core."""
    clock = f["cost.clockHz"]
    p = {"SYNOP_CYCLES": cycles_for(f["cost.synapticOpNs"], clock),
         "UPD_ACTIVE_CYCLES": lif_update_cycles(f),
         "UPD_INACTIVE_CYCLES": cycles_for(f["cost.neuronUpdateInactiveNs"], clock),
         "DISPATCH_CYCLES": f["core.spikeDispatchCycles"]}
    for key, (field, least) in MIN_CYCLES.items():
        if p[key] < least:
            raise SystemExit(
                f"profile '{name}': {field} gives {p[key]} cycle(s) at cost.clockHz = "
                f"{clock:g}; the RTL neurocore needs at least {least} (docs/neurocore.md)")
    p["PHASE_W"] = bits_for(max(p.values()))
    p["QUEUE_DEPTH"] = f["core.inputQueueDepth"]
    p["QUEUE_ADDR_W"] = clog2(f["core.inputQueueDepth"])
    p["QUEUE_COUNT_W"] = bits_for(f["core.inputQueueDepth"])
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
    p["DECAY_BITS"] = f["neuron.decayBits"]
    p["CURRENT_BITS"] = f["neuron.currentBits"]
    p["ACC_BITS"] = f["neuron.accumulatorBits"]
    p["BIAS_MAN_W"] = bits_for(f["neuron.biasMantissaMax"]) + 1
    p["BIAS_EXP_W"] = bits_for(f["neuron.biasExponentMax"])
    p["VTH_MAN_BITS"] = f["neuron.thresholdMantissaBits"]
    p["VTH_SHIFT"] = f["neuron.thresholdShift"]
    p["VMIN_EXP_W"] = bits_for(f["neuron.vminExponentMax"])
    p["VMAX_EXP_W"] = bits_for(f["neuron.vmaxExponentMax"])
    p["VMAX_BASE"] = f["neuron.vmaxBase"]
    p["REF_W"] = bits_for(f["neuron.refractoryMax"])
    # v lies in [vmin, max(vmax, vth)] (v <= vth unless it spikes).
    vmax_bits = f["neuron.vmaxBase"] + 2 * f["neuron.vmaxExponentMax"]
    p["V_W"] = max(f["neuron.vminExponentMax"], vmax_bits) + 1
    # Dendritic accumulator: exact sum of every synapse of the memory at the
    # largest weight, so that saturation at read time sees the true sum.
    wmax_bits = f["synapse.weightBitsMax"] + max(
        0, f["synapse.weightShift"] + emax)
    p["ACC_W"] = max(wmax_bits + bits_for(max_synapses) + 1,
                     f["neuron.accumulatorBits"] + 2)
    # Arithmetic width of the compartment update: |v| * 2^decayBits fits.
    p["AW"] = 64
    need = max(p["V_W"], p["CURRENT_BITS"], p["ACC_W"]) + p["DECAY_BITS"] + 2
    if need > 64 or f["neuron.thresholdMantissaBits"] + f["neuron.thresholdShift"] > 62:
        raise SystemExit("profile widths exceed the 64-bit update datapath")
    return p


def main():
    if len(sys.argv) not in (5, 6):
        raise SystemExit("usage: gen_package.py PROFILE.json PROFILE_DIR OUT.sv OUT.h "
                         "[C++ NAMESPACE, default cajal::rtl::pkg]")
    prof, pdir, out_sv, out_h = sys.argv[1:5]
    ns = sys.argv[5] if len(sys.argv) == 6 else "cajal::rtl::pkg"
    name, fields = load_fields(prof, pdir)
    p = derive(fields)
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
