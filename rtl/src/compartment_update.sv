//===- compartment_update.sv - One compartment's step, combinational -----===//
//
// The integer update of docs/neuron-model.md, bit-exact with
// chip::updateCompartment (chip/include/cajal/Chip/Compartment.h):
//   qs = saturate(q, ACC_BITS)                  (+-(2^ACC_BITS - 1))
//   u  = wrap(decay(u, du + 1) + qs)            (CURRENT_BITS, two's compl.)
//   v  = clip(decay(v, dv) + u + bias, vmin, vmax)
//   refractory > 0: v = 0, refractory - 1, no spike
//   else spike iff !NoSpike and v > vth; v = 0 or v - vth; refractory = ref
// decay(x, d) = sign(x) * ((|x| * (2^DECAY_BITS - d)) >> DECAY_BITS), which
// rounds toward zero. Everything is computed on AW-bit signed values; the
// package generator checks that AW covers the profile's widths.
//
//===----------------------------------------------------------------------===//
module compartment_update
  import neurocore_pkg::*;
(
    input  logic        [  DECAY_BITS-1:0] decay_u,
    input  logic        [  DECAY_BITS-1:0] decay_v,
    input  logic signed [  BIAS_MAN_W-1:0] bias_man,
    input  logic        [  BIAS_EXP_W-1:0] bias_exp,
    input  logic        [       REF_W-1:0] refractory,
    input  logic        [VTH_MAN_BITS-1:0] vth_man,
    input  logic        [  VMIN_EXP_W-1:0] vmin_exp,
    input  logic        [  VMAX_EXP_W-1:0] vmax_exp,
    input  logic                           reset_sub,
    input  logic                           no_spike,
    input  logic signed [CURRENT_BITS-1:0] u_in,
    input  logic signed [         V_W-1:0] v_in,
    input  logic        [       REF_W-1:0] ref_in,
    input  logic signed [       ACC_W-1:0] q,
    output logic signed [CURRENT_BITS-1:0] u_out,
    output logic signed [         V_W-1:0] v_out,
    output logic        [       REF_W-1:0] ref_out,
    output logic                           spike
);
  typedef logic signed [AW-1:0] word_t;

  localparam word_t One = word_t'(1);
  localparam word_t QLimit = (One <<< ACC_BITS) - One;

  // sign(x) * floor(|x| * (2^DECAY_BITS - d) / 2^DECAY_BITS); d <= 2^bits.
  function automatic word_t decay(input word_t x, input word_t d);
    word_t scale, mag, prod;
    scale = (One <<< DECAY_BITS) - d;
    mag   = x < 0 ? -x : x;
    prod  = (mag * scale) >>> DECAY_BITS;
    return x < 0 ? -prod : prod;
  endfunction

  word_t qs, u_new, bias, v_sum, v_lo, v_hi, v_clip, vth;
  /* verilator lint_off UNUSEDSIGNAL */
  word_t u_sum;  // only its CURRENT_BITS low bits are kept (the wrap)
  /* verilator lint_on UNUSEDSIGNAL */
  logic signed [CURRENT_BITS-1:0] u_wrap;

  always_comb begin
    // Conditional expressions, not `if (qs > L) qs = L;`: Verilator 5.006
    // never counts the coverage points of that form (docs/neurocore.md).
    qs = word_t'(q) > QLimit ? QLimit : (word_t'(q) < -QLimit ? -QLimit : word_t'(q));

    u_sum = decay(word_t'(u_in), word_t'(decay_u) + One) + qs;
    u_wrap = CURRENT_BITS'(u_sum);  // two's-complement wrap
    u_new = word_t'(u_wrap);

    bias  = word_t'(bias_man) <<< bias_exp;
    v_sum = decay(word_t'(v_in), word_t'(decay_v)) + u_new + bias;
    v_lo  = One - (One <<< vmin_exp);
    v_hi  = (One <<< (VMAX_BASE + 2 * int'(vmax_exp))) - One;
    v_clip = v_sum < v_lo ? v_lo : (v_sum > v_hi ? v_hi : v_sum);
    vth   = word_t'(vth_man) <<< VTH_SHIFT;

    u_out = u_wrap;
    if (ref_in != '0) begin
      v_out   = '0;
      ref_out = ref_in - 1'b1;
      spike   = 1'b0;
    end else if (no_spike || v_clip <= vth) begin
      v_out   = v_clip[V_W-1:0];
      ref_out = ref_in;
      spike   = 1'b0;
    end else begin
      v_out   = reset_sub ? V_W'(v_clip - vth) : '0;
      ref_out = refractory;
      spike   = 1'b1;
    end
  end
endmodule
