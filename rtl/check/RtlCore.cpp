//===- RtlCore.cpp - The Verilated RTL neurocore, driven from C++ ---------===//
//
// Every cycle is one tick(): inputs are set while the clock is low, then a
// rising edge is evaluated and the registered outputs are read. Loading a
// core writes each compartment, input axon and synapse word through the
// configuration port, one per cycle. A step offers each input spike until
// in_ready accepts it, waits for the synapse unit to return to idle, pulses
// step_start and collects out_valid until step_done. Signed fields narrower
// than their C++ carrier are sign-extended from the generated widths.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/RtlCore.h"

#include "RtlPackage.h"
#include "Vneurocore.h"
#include "verilated.h"

namespace cajal::rtl {

namespace pkg = cajal::rtl::pkg;

struct RtlCore::Model {
  VerilatedContext context;
  std::unique_ptr<Vneurocore> top;
  Model() : top(std::make_unique<Vneurocore>(&context, "neurocore")) {}
};

namespace {

uint64_t lowBits(int64_t x, long long bits) {
  return uint64_t(x) & ((uint64_t(1) << bits) - 1);
}

int64_t signExtend(uint64_t x, long long bits) {
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  x &= mask;
  return (x >> (bits - 1)) ? int64_t(x | ~mask) : int64_t(x);
}

Status mismatch(const std::string &field, long long rtl, long long profile) {
  return makeError("RTL neurocore: profile field " + field + " is " +
                   std::to_string(profile) +
                   " but the RTL was generated with " + std::to_string(rtl) +
                   " (profile '" + pkg::kProfileName +
                   "'); regenerate the package from this profile");
}

} // namespace

Status checkRtlProfile(const chip::Profile &pr) {
  const struct {
    const char *field;
    long long rtl, profile;
  } checks[] = {
      {"core.compartments", pkg::COMPARTMENTS, pr.core.compartments},
      {"core.inputAxons", pkg::INPUT_AXONS, pr.core.inputAxons},
      {"core.synapseWords", pkg::SYN_WORDS, pr.core.synapseWords},
      {"synapse.wordBits", pkg::WORD_BITS, pr.synapse.wordBits},
      {"synapse.compartmentIndexBits", pkg::CIDX_BITS,
       pr.synapse.compartmentIndexBits},
      {"synapse.weightShift", pkg::WEIGHT_SHIFT, pr.synapse.weightShift},
      {"synapse.delayBits", pkg::DELAY_BITS, pr.synapse.delayBits},
      {"synapse.maxDelay", pkg::MAX_DELAY, pr.synapse.maxDelay},
      {"neuron.decayBits", pkg::DECAY_BITS, pr.neuron.decayBits},
      {"neuron.currentBits", pkg::CURRENT_BITS, pr.neuron.currentBits},
      {"neuron.accumulatorBits", pkg::ACC_BITS, pr.neuron.accumulatorBits},
      {"neuron.thresholdMantissaBits", pkg::VTH_MAN_BITS,
       pr.neuron.thresholdMantissaBits},
      {"neuron.thresholdShift", pkg::VTH_SHIFT, pr.neuron.thresholdShift},
      {"neuron.vmaxBase", pkg::VMAX_BASE, pr.neuron.vmaxBase},
  };
  for (const auto &c : checks)
    if (c.rtl != c.profile)
      return mismatch(c.field, c.rtl, c.profile);
  return Status::ok();
}

std::string RtlCore::profileName() { return pkg::kProfileName; }

Result<std::unique_ptr<RtlCore>> RtlCore::create(const chip::Core &core,
                                                 const chip::Profile &profile) {
  if (Status s = checkRtlProfile(profile); !s)
    return makeError(s.error());
  if (core.compartments.size() > size_t(pkg::COMPARTMENTS) ||
      core.inputAxons.size() > size_t(pkg::INPUT_AXONS) ||
      core.synapseWords.size() > size_t(pkg::SYN_WORDS))
    return makeError(
        "RTL neurocore: core with " + std::to_string(core.compartments.size()) +
        " compartments, " + std::to_string(core.inputAxons.size()) +
        " input axons, " + std::to_string(core.synapseWords.size()) +
        " synapse words does not fit the RTL");
  std::unique_ptr<RtlCore> rc(new RtlCore(std::make_unique<Model>()));
  rc->load(core);
  return rc;
}

RtlCore::RtlCore(std::unique_ptr<Model> m) : model(std::move(m)) {}
RtlCore::~RtlCore() {
  if (model)
    model->top->final();
}

void RtlCore::tick() {
  Vneurocore &t = *model->top;
  t.clk = 0;
  t.eval();
  t.clk = 1;
  t.eval();
  ++cycle;
}

void RtlCore::load(const chip::Core &core) {
  Vneurocore &t = *model->top;
  t.rst_n = 0;
  tick();
  t.rst_n = 1;
  t.cfg_num_compartments = uint32_t(core.compartments.size());
  for (uint32_t c = 0; c < core.compartments.size(); ++c) {
    const chip::CompartmentParams &p = core.compartments[c];
    t.cfg_cmp_we = 1;
    t.cfg_cmp_addr = c;
    t.cfg_decay_u = p.decayU;
    t.cfg_decay_v = p.decayV;
    t.cfg_bias_man = uint32_t(lowBits(p.biasMantissa, pkg::BIAS_MAN_W));
    t.cfg_bias_exp = p.biasExponent;
    t.cfg_refractory = p.refractory;
    t.cfg_vth_man = p.thresholdMantissa;
    t.cfg_vmin_exp = p.vminExponent;
    t.cfg_vmax_exp = p.vmaxExponent;
    t.cfg_reset_sub = (p.flags & chip::ResetBySubtraction) != 0;
    t.cfg_no_spike = (p.flags & chip::NoSpike) != 0;
    tick();
  }
  t.cfg_cmp_we = 0;
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    const chip::InputAxon &ax = core.inputAxons[a];
    t.cfg_axon_we = 1;
    t.cfg_axon_addr = a;
    t.cfg_axon_first_word = ax.firstWord;
    t.cfg_axon_count = ax.synapseCount;
    t.cfg_axon_weight_bits = ax.weightBits;
    t.cfg_axon_weight_exp = uint32_t(lowBits(ax.weightExponent, pkg::WEXP_W));
    t.cfg_axon_has_delay = ax.hasDelay;
    tick();
  }
  t.cfg_axon_we = 0;
  for (uint32_t w = 0; w < core.synapseWords.size(); ++w) {
    t.cfg_syn_we = 1;
    t.cfg_syn_addr = w;
    t.cfg_syn_data = core.synapseWords[w];
    tick();
  }
  t.cfg_syn_we = 0;
  cycle = 0;
}

RtlStep RtlCore::step(const std::vector<uint32_t> &axons) {
  Vneurocore &t = *model->top;
  RtlStep r;
  const uint64_t begin = cycle;
  for (uint32_t a : axons) {
    t.in_valid = 1;
    t.in_axon = a;
    bool accepted = false;
    while (!accepted) {
      t.eval();
      accepted = t.in_ready;
      tick();
    }
  }
  t.in_valid = 0;
  t.eval();
  while (!t.in_ready) {
    tick();
    t.eval();
  }
  r.synapseCycles = cycle - begin;
  const uint64_t updateBegin = cycle;
  t.step_start = 1;
  tick();
  t.step_start = 0;
  while (true) {
    if (t.out_valid)
      r.spikes.push_back(t.out_compartment);
    if (t.step_done)
      break;
    tick();
  }
  r.updateCycles = cycle - updateBegin;
  return r;
}

chip::CompartmentState RtlCore::state(uint32_t c) {
  Vneurocore &t = *model->top;
  t.rd_en = 1;
  t.rd_addr = c;
  tick();
  t.rd_en = 0;
  chip::CompartmentState s;
  s.u = int32_t(signExtend(t.rd_u, pkg::CURRENT_BITS));
  s.v = int32_t(signExtend(t.rd_v, pkg::V_W));
  s.refractoryLeft = uint8_t(t.rd_ref);
  return s;
}

} // namespace cajal::rtl
