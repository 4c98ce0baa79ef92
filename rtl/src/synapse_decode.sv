//===- synapse_decode.sv - One synapse field of a synapse-memory word ----===//
//
// The field at the least significant end of `field` (docs/chip-image.md):
// compartment index (CIDX_BITS), sign (1), mantissa magnitude (weight_bits),
// then, for groups with delays, the delay (DELAY_BITS); otherwise delay 1.
// The weight is magnitude << (WEIGHT_SHIFT + exponent), or >> for a
// negative total (rounding the magnitude toward zero), then the sign: the
// same as chip::synapticWeight.
//
//===----------------------------------------------------------------------===//
module synapse_decode
  import neurocore_pkg::*;
(
    input  logic        [WORD_BITS-1:0] field,
    input  logic        [  WBITS_W-1:0] weight_bits,
    input  logic signed [   WEXP_W-1:0] weight_exp,
    input  logic                        has_delay,
    output logic        [CIDX_BITS-1:0] compartment,
    output logic signed [    ACC_W-1:0] weight,
    output logic        [DELAY_BITS-1:0] delay
);
  typedef logic [WORD_BITS-1:0] field_t;

  field_t mag_mask, mag;
  int total;
  logic signed [ACC_W-1:0] shifted;

  always_comb begin
    compartment = field[CIDX_BITS-1:0];
    mag_mask = (field_t'(1) << weight_bits) - field_t'(1);
    mag = (field >> (CIDX_BITS + 1)) & mag_mask;
    delay = has_delay ? DELAY_BITS'(field >> (CIDX_BITS + 1 + int'(weight_bits)))
                      : DELAY_BITS'(1);
    total = WEIGHT_SHIFT + int'(weight_exp);
    shifted = total >= 0 ? ACC_W'(mag) <<< total : ACC_W'(mag >> (-total));
    weight = field[CIDX_BITS] ? -shifted : shifted;
  end
endmodule
