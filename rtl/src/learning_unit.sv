//===- learning_unit.sv - Trace steps and weight rules of learning --------===//
//
// The arithmetic of docs/learning.md, bit for bit as chip::stepTrace and
// chip::applyRule compute it, for one trace or one synapse at a time:
//
// * Trace step: two draws in parallel (TraceDecay and TraceImpulse, keyed by
//   step and 8 * neuron + trace), then in one cycle the decay
//   value * (2^DECAY_BITS - decay) rounded stochastically, plus, on a spike,
//   the impulse rounded stochastically, saturated at 2^TRACE_BITS - 1.
//   TRACE_CYCLES = DRAW_CYCLES + 1 from trace_start to done.
// * Weight rule: the rule's dw terms sit in a term memory (loaded through
//   the cfg_term_* and cfg_factor_* ports); each term is a dependency (x0,
//   y0 or u), a scale mantissa * 2^exponent and up to MAX_FACTORS - 1
//   factors (a trace of the dependency's sample, r, w, d, t or a constant,
//   plus the factor's constant, clamped to the factor's width). The
//   accumulator starts at w << FRAC; a term takes one cycle per factor (one
//   for a term without): each cycle multiplies one factor into the product,
//   the last one also adds the scaled product with saturation. Meanwhile the
//   SynapseRounding draw runs. The sum is rounded stochastically by the
//   draw's low FRAC bits and saturated to +-(2^WEIGHT_BITS - 1):
//   max(F + 1, DRAW_CYCLES) + 1 cycles from rule_start to done, F the sum
//   over the terms of max(factors, 1). Pair STDP is two one-factor terms.
//
// Every width comes from the profile (learning.*, synapse.*). The product
// of a mantissa and three factors of at most 16 bits fits 64 bits; a left
// shift saturates as soon as the product passes the accumulator's range.
//===----------------------------------------------------------------------===//
module learning_unit #(
    parameter int TRACE_BITS = 7,
    parameter int IMPULSE_FRAC_BITS = 8,
    parameter int DECAY_BITS = 12,
    parameter int ACC_BITS = 15,
    parameter int MANT_BITS = 4,
    parameter int CONST_BITS = 8,
    parameter int WEIGHT_BITS = 8,
    parameter int SYN_DELAY_BITS = 6,
    parameter int TAG_BITS = 8,
    parameter int MAX_TERMS = 8,
    parameter int MAX_FACTORS = 4
) (
    input logic clk,
    input logic rst,

    // Configuration: the run's seed and the dw terms of the rule.
    input logic [63:0] cfg_seed,
    input logic cfg_term_we,
    input logic [TERM_ADDR_W-1:0] cfg_term_addr,
    input logic signed [MANT_BITS:0] cfg_term_mantissa,
    input logic signed [7:0] cfg_term_exponent,
    input logic [1:0] cfg_term_dependency,  // 0 x0, 1 y0, 2 u
    input logic [FACTOR_ADDR_W:0] cfg_term_factors,
    input logic cfg_factor_we,
    input logic [TERM_ADDR_W-1:0] cfg_factor_term,
    input logic [FACTOR_ADDR_W-1:0] cfg_factor_index,
    input logic [3:0] cfg_factor_variable,  // chip::LearningVariable
    input logic signed [CONST_BITS:0] cfg_factor_constant,
    input logic [TERM_ADDR_W:0] cfg_term_count,
    input logic [1:0] cfg_weight_sign,  // chip::WeightSign: 0 mixed, 1 exc., 2 inh.

    // One trace's step.
    input logic trace_start,
    input logic [TRACE_BITS-1:0] trace_value,
    input logic [TRACE_BITS-1:0] trace_impulse_integer,
    input logic [IMPULSE_FRAC_BITS-1:0] trace_impulse_fraction,
    input logic [DECAY_BITS:0] trace_decay,
    input logic trace_spiked,
    input logic [63:0] trace_step,
    input logic [63:0] trace_index,

    // One synapse's weight rule at an epoch's end.
    input logic rule_start,
    input logic signed [WEIGHT_BITS:0] rule_weight,
    input logic [SYN_DELAY_BITS-1:0] rule_delay,
    input logic signed [TAG_BITS:0] rule_tag,
    input logic rule_x0,
    input logic rule_y0,
    input logic rule_u,
    // Sample d (0 x0, 1 y0, 2 u), trace k (x1 x2 y1 y2 y3) at bits
    // [(5 * d + k) * TRACE_BITS +: TRACE_BITS].
    input logic [15*TRACE_BITS-1:0] rule_traces,
    input logic signed [31:0] rule_reward,
    input logic [63:0] rule_epoch,
    input logic [63:0] rule_synapse,

    output logic busy,
    output logic done,
    output logic signed [31:0] result
);
  localparam int TERM_ADDR_W = MAX_TERMS > 1 ? $clog2(MAX_TERMS) : 1;
  // Factors of a term besides its dependency.
  localparam int TERM_FACTORS = MAX_FACTORS > 2 ? MAX_FACTORS - 1 : 1;
  localparam int FACTOR_ADDR_W = TERM_FACTORS > 1 ? $clog2(TERM_FACTORS) : 1;
  localparam int FRAC = ACC_BITS > WEIGHT_BITS ? ACC_BITS - WEIGHT_BITS : 0;
  localparam logic signed [63:0] ACC_MAX = (64'sd1 <<< ACC_BITS) - 64'sd1;
  localparam logic signed [63:0] ACC_MIN = -(64'sd1 <<< ACC_BITS);
  localparam logic signed [63:0] W_MAX = (64'sd1 <<< WEIGHT_BITS) - 64'sd1;
  localparam logic [63:0] TRACE_MAX = (64'd1 << TRACE_BITS) - 64'd1;
  localparam logic [1:0] STREAM_DECAY = 2'd1, STREAM_IMPULSE = 2'd2;
  localparam logic [1:0] STREAM_SYNAPSE = 2'd3;
  localparam logic [3:0] VAR_X1 = 4'd3, VAR_Y3 = 4'd7, VAR_R = 4'd8;
  localparam logic [3:0] VAR_W = 4'd9, VAR_D = 4'd10, VAR_T = 4'd11;

  // The term memory.
  logic signed [MANT_BITS:0] termMantissa[MAX_TERMS];
  logic signed [7:0] termExponent[MAX_TERMS];
  logic [1:0] termDependency[MAX_TERMS];
  logic [FACTOR_ADDR_W:0] termFactors[MAX_TERMS];
  logic [3:0] factorVariable[MAX_TERMS][TERM_FACTORS];
  logic signed [CONST_BITS:0] factorConstant[MAX_TERMS][TERM_FACTORS];
  logic [TERM_ADDR_W:0] termCount;
  logic [1:0] weightSign;

  always_ff @(posedge clk) begin
    if (cfg_term_we) begin
      termMantissa[cfg_term_addr]   <= cfg_term_mantissa;
      termExponent[cfg_term_addr]   <= cfg_term_exponent;
      termDependency[cfg_term_addr] <= cfg_term_dependency;
      termFactors[cfg_term_addr]    <= cfg_term_factors;
    end
    if (cfg_factor_we) begin
      factorVariable[cfg_factor_term][cfg_factor_index] <= cfg_factor_variable;
      factorConstant[cfg_factor_term][cfg_factor_index] <= cfg_factor_constant;
    end
    termCount <= cfg_term_count;
    weightSign <= cfg_weight_sign;
  end

  // Two draw units: trace steps use both, a rule the first.
  logic drawStart, drawDoneA, drawDoneB;
  logic [1:0] drawStreamA;
  logic [63:0] drawCounter, drawIndex, drawA, drawB;
  learning_random randomA (
      .clk(clk),
      .rst(rst),
      .start(drawStart),
      .stream(drawStreamA),
      .seed(cfg_seed),
      .counter(drawCounter),
      .index(drawIndex),
      .done(drawDoneA),
      .value(drawA)
  );
  learning_random randomB (
      .clk(clk),
      .rst(rst),
      .start(drawStart),
      .stream(STREAM_IMPULSE),
      .seed(cfg_seed),
      .counter(drawCounter),
      .index(drawIndex),
      .done(drawDoneB),
      .value(drawB)
  );

  typedef enum logic [1:0] {
    IDLE,
    TRACE,
    RULE
  } phase_t;
  phase_t phase;

  // The operands of the operation under way, latched at its start.
  logic [TRACE_BITS-1:0] tValue, tImpulseInteger;
  logic [IMPULSE_FRAC_BITS-1:0] tImpulseFraction;
  logic [DECAY_BITS:0] tDecay;
  logic tSpiked;
  logic signed [WEIGHT_BITS:0] rWeight;
  logic [SYN_DELAY_BITS-1:0] rDelay;
  logic signed [TAG_BITS:0] rTag;
  logic signed [63:0] product;  // of the term under way, factors so far
  logic [FACTOR_ADDR_W:0] factor;
  logic rX0, rY0, rU;
  logic [15*TRACE_BITS-1:0] rTraces;
  logic signed [31:0] rReward;
  logic signed [63:0] acc;
  logic [TERM_ADDR_W:0] term;
  logic drawReady;

  function automatic logic signed [63:0] clamp(input logic signed [63:0] v,
                                               input logic signed [63:0] lo,
                                               input logic signed [63:0] hi);
    return v < lo ? lo : (v > hi ? hi : v);
  endfunction

  // value / 2^bits rounded down, plus one when the draw's low bits are
  // below the dropped fraction (chip::roundStochastic).
  function automatic logic signed [63:0] roundStochastic(
      input logic signed [63:0] v, input int bits, input logic [63:0] r);
    logic [63:0] mask;
    logic signed [63:0] whole;
    mask  = (64'd1 << bits) - 64'd1;
    whole = v >>> bits;
    return whole + ((r & mask) < (v & mask) ? 64'sd1 : 64'sd0);
  endfunction

  // chip::stepTrace, once both draws are in.
  function automatic logic [TRACE_BITS-1:0] traceStep(input logic [63:0] ra,
                                                      input logic [63:0] rb);
    logic [63:0] one, keep, decayed, impulse, sum;
    one  = 64'd1 << DECAY_BITS;
    keep = one - ({51'd0, tDecay} > one ? one : {51'd0, tDecay});
    decayed = {{(64 - TRACE_BITS) {1'b0}}, tValue};
    // A trace at 0 or without decay keeps its value: no draw changes it.
    if (decayed != 64'd0 && keep != one)
      decayed = roundStochastic(decayed * keep, DECAY_BITS, ra);
    sum = decayed;
    if (tSpiked) begin
      impulse = ({{(64 - TRACE_BITS) {1'b0}}, tImpulseInteger}
                 << IMPULSE_FRAC_BITS)
              | {{(64 - IMPULSE_FRAC_BITS) {1'b0}}, tImpulseFraction};
      sum = roundStochastic(impulse, IMPULSE_FRAC_BITS, rb) + decayed;
      if (sum > TRACE_MAX) sum = TRACE_MAX;
    end
    return sum[TRACE_BITS-1:0];
  endfunction

  // Width of a factor: -2^bits .. 2^bits - 1 (chip's factorBits, capped at
  // 16).
  function automatic int factorBits(input logic [3:0] v);
    int bits;
    if (v >= VAR_X1 && v <= VAR_R) bits = TRACE_BITS;
    else if (v == VAR_W) bits = WEIGHT_BITS + 1;
    else if (v == VAR_D) bits = SYN_DELAY_BITS + 1;
    else if (v == VAR_T) bits = TAG_BITS + 1;
    else bits = CONST_BITS;
    return bits > 16 ? 16 : bits;
  endfunction

  // Factor f of term i, plus its constant, clamped to its width.
  function automatic logic signed [63:0] factorValue(
      input logic [TERM_ADDR_W-1:0] i, input logic [FACTOR_ADDR_W-1:0] f);
    logic signed [63:0] value, bound;
    logic [3:0] v, k;
    int d;
    v = factorVariable[i][f];
    d = int'(termDependency[i]);
    k = v - VAR_X1;
    if (v >= VAR_X1 && v <= VAR_Y3)
      value = $signed({{(64 - TRACE_BITS) {1'b0}},
                       rTraces[(5*d+int'(k))*TRACE_BITS+:TRACE_BITS]});
    else if (v == VAR_R) value = 64'(rReward);
    else if (v == VAR_W) value = 64'(rWeight);
    else if (v == VAR_D) value = {{(64 - SYN_DELAY_BITS) {1'b0}}, rDelay};
    else if (v == VAR_T) value = 64'(rTag);
    else value = 64'sd0;
    value = value + 64'(factorConstant[i][f]);
    bound = 64'sd1 <<< factorBits(v);
    return clamp(value, -bound, bound - 64'sd1);
  endfunction

  // A term's finished product in accumulator units, saturated; 0 when the
  // term's dependency is 0 (chip's evaluateTerm).
  function automatic logic signed [63:0] scaled(input logic [TERM_ADDR_W-1:0] i,
                                               input logic signed [63:0] p);
    logic dependency;
    logic signed [63:0] shift, limit;
    int d;
    d = int'(termDependency[i]);
    dependency = d == 0 ? rX0 : (d == 1 ? rY0 : rU);
    shift = 64'(termExponent[i]) + 64'(FRAC);
    if (!dependency || p == 64'sd0) return 64'sd0;
    if (shift < 0) return clamp(p >>> (-shift), ACC_MIN, ACC_MAX);
    if (shift >= 62) return p > 0 ? ACC_MAX : ACC_MIN;
    limit = ACC_MAX >>> shift;
    if (p > limit) return ACC_MAX;
    if (p < -limit - 64'sd1) return ACC_MIN;
    return clamp(p <<< shift, ACC_MIN, ACC_MAX);
  endfunction

  // This cycle's product: the term's mantissa or product so far, times its
  // next factor (none: the mantissa alone).
  logic signed [63:0] nextProduct;
  logic lastFactor;
  logic [TERM_ADDR_W-1:0] termIndex;
  // Only in a rule, so that a simulation of the idle unit skips it.
  always_comb begin
    termIndex = term[TERM_ADDR_W-1:0];
    nextProduct = 64'sd0;
    lastFactor = 1'b0;
    if (phase == RULE) begin
      nextProduct = factor == '0 ? 64'(termMantissa[termIndex]) : product;
      if (termFactors[termIndex] != '0)
        nextProduct = nextProduct * factorValue(termIndex, factor[FACTOR_ADDR_W-1:0]);
      lastFactor = termFactors[termIndex] == '0 || factor + 1'b1 == termFactors[termIndex];
    end
  end

  always_comb begin
    drawStart   = 1'b0;
    drawStreamA = STREAM_DECAY;
    drawCounter = trace_step;
    drawIndex   = trace_index;
    if (phase == IDLE && rule_start) begin
      drawStart   = 1'b1;
      drawStreamA = STREAM_SYNAPSE;
      drawCounter = rule_epoch;
      // Target weight (k = 0) of synapse s draws index 3 * s.
      drawIndex   = rule_synapse * 64'd3;
    end else if (phase == IDLE && trace_start) begin
      drawStart = 1'b1;
    end
  end

  assign busy = phase != IDLE;

  logic signed [63:0] rounded;
  always_comb rounded = phase == RULE ? roundStochastic(acc, FRAC, drawA) : 64'sd0;

  always_ff @(posedge clk) begin
    done <= 1'b0;
    if (rst) begin
      phase <= IDLE;
    end else begin
      case (phase)
        IDLE:
        if (rule_start) begin
          rWeight <= rule_weight;
          rDelay <= rule_delay;
          rTag <= rule_tag;
          factor <= '0;
          rX0 <= rule_x0;
          rY0 <= rule_y0;
          rU <= rule_u;
          rTraces <= rule_traces;
          rReward <= rule_reward;
          acc <= clamp(64'(rule_weight) <<< FRAC,
                       ACC_MIN, ACC_MAX);
          term <= '0;
          drawReady <= 1'b0;
          phase <= RULE;
        end else if (trace_start) begin
          tValue <= trace_value;
          tImpulseInteger <= trace_impulse_integer;
          tImpulseFraction <= trace_impulse_fraction;
          tDecay <= trace_decay;
          tSpiked <= trace_spiked;
          phase <= TRACE;
        end
        TRACE:
        if (drawDoneA && drawDoneB) begin
          result <= {{(32 - TRACE_BITS) {1'b0}}, traceStep(drawA, drawB)};
          done   <= 1'b1;
          phase  <= IDLE;
        end
        RULE: begin
          if (drawDoneA) drawReady <= 1'b1;
          if (term != termCount) begin
            if (lastFactor) begin
              acc <= clamp(acc + scaled(termIndex, nextProduct), ACC_MIN, ACC_MAX);
              term <= term + 1'b1;
              factor <= '0;
            end else begin
              product <= nextProduct;
              factor <= factor + 1'b1;
            end
          end else if (drawReady || drawDoneA) begin
            // The rule's sign mode bounds a changed weight; a rule without
            // dw terms keeps it as it is (docs/learning.md).
            result <= 32'(clamp(rounded,
                                weightSign == 2'd1 && termCount != 0 ? 64'sd0 : -W_MAX,
                                weightSign == 2'd2 && termCount != 0 ? 64'sd0 : W_MAX));
            done   <= 1'b1;
            phase  <= IDLE;
          end
        end
        default: phase <= IDLE;
      endcase
    end
  end
endmodule
