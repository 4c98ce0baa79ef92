//===- learning_phase.sv - The neurocore's learning phase ------------------===//
//
// The learning phase of docs/learning.md inside the neurocore (built when
// the core is Verilated with LEARNING = 1): the trace and epoch-history
// memories, the sequencer and one learning_unit. `start` (after a step's
// update and deliveries) steps every learning axon's x1, x2 (in the order
// of the group table), then every compartment's y1, y2, y3, one trace a
// TRACE_CYCLES; after an epoch's last step it gives each synapse of the
// rule list's groups its rule, in stored order, and writes the new
// mantissa back into its synapse word. A new operation starts in the cycle
// the previous one is done, so the phase lasts the sum of its operations'
// cycles plus one (docs/neurocore.md, "Learning unit").
//
// The synapse memory is read combinationally (syn_raddr/syn_rdata) and
// written through syn_we; a word being written back while the next synapse
// of the same word is read is forwarded. The history of the trace written
// back in this cycle is forwarded too (the last trace ends in the cycle the
// first rule starts).
//
// Configuration (cfg_we, cfg_sel, cfg_addr, cfg_data), a register a cycle:
//   0 seed           1 epoch steps     2 the core's first global axon
//   3 its first global compartment
//   4 x params, addr k (0 x1, 1 x2)    5 y params, addr {compartment, k}
//     (params: impulse integer [15:0], fraction [31:16], decay [47:32])
//   6 group addr (a learning axon): axon [15:0], first word [35:16],
//     synapses [59:36], weight bits [63:60]
//   7 group addr: global number of its first synapse
//   8 groups         9 term addr (the rule's dw terms)
//   10 factor addr {term [15:8], factor [7:0]}   11 term count and sign
//   12 rule list addr: a group with synapses    13 rule list length
//
//===----------------------------------------------------------------------===//
module learning_phase
  import neurocore_pkg::*;
(
    input  logic                   clk,
    input  logic                   rst_n,
    input  logic                   cfg_we,
    input  logic [            3:0] cfg_sel,
    input  logic [           31:0] cfg_addr,
    input  logic [           63:0] cfg_data,
    input  logic [CMP_COUNT_W-1:0] num_compartments,
    // Spikes of the step: an input axon taken by the synapse unit, a
    // compartment's spike.
    input  logic                   mark_axon,
    input  logic [AXON_ADDR_W-1:0] mark_axon_id,
    input  logic                   mark_cmp,
    input  logic [ CMP_ADDR_W-1:0] mark_cmp_id,
    input  logic                   start,
    output logic                   done,
    output logic                   busy,
    output logic [ SYN_ADDR_W-1:0] syn_raddr,
    input  logic [  WORD_BITS-1:0] syn_rdata,
    output logic                   syn_we,
    output logic [ SYN_ADDR_W-1:0] syn_waddr,
    output logic [  WORD_BITS-1:0] syn_wdata,
    // Trace read port (a check port): a learning group's x1, x2 or a
    // compartment's y1, y2, y3, 16 bits each, a cycle later.
    input  logic                   tr_rd_en,
    input  logic                   tr_rd_cmp,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [           15:0] tr_rd_addr,  // a group's or compartment's
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [           47:0] tr_rd_data
);
  localparam int TERM_ADDR_W = MAX_TERMS > 1 ? $clog2(MAX_TERMS) : 1;
  localparam int TERM_FACTORS = MAX_FACTORS > 2 ? MAX_FACTORS - 1 : 1;
  localparam int FACTOR_ADDR_W = TERM_FACTORS > 1 ? $clog2(TERM_FACTORS) : 1;
  localparam int GRP_W = AXON_ADDR_W + 1;  // group count
  localparam int IDX_W = (CMP_COUNT_W > GRP_W ? CMP_COUNT_W : GRP_W);
  localparam int TB = TRACE_BITS;
  localparam int TAG_FIELD = TAG_BITS + 1;

  typedef struct packed {
    logic [TB-1:0]                integer_part;
    logic [IMPULSE_FRAC_BITS-1:0] fraction;
    logic [DECAY_BITS:0]          decay;
  } tparams_t;

  typedef enum logic [1:0] {
    KX,
    KY,
    KR,
    KEnd
  } kind_e;

  // Configuration.
  logic [63:0] seed, first_axon, first_cmp;
  logic [EPOCH_W:0] epoch_steps;
  tparams_t xpar[2];
  tparams_t ypar[COMPARTMENTS][3];
  logic [AXON_ADDR_W-1:0] g_axon[INPUT_AXONS];
  logic [SYN_ADDR_W-1:0] g_first[INPUT_AXONS];
  logic [SYN_COUNT_W-1:0] g_count[INPUT_AXONS];
  logic [WBITS_W-1:0] g_wbits[INPUT_AXONS];
  logic [63:0] g_base[INPUT_AXONS];
  logic [GRP_W-1:0] groups, rules;
  logic [AXON_ADDR_W-1:0] rule_group[INPUT_AXONS];
  logic [TERM_ADDR_W:0] term_count;
  logic [1:0] weight_sign;

  // Trace, history and last-spike memories; spikes of this step.
  logic [TB-1:0] xv[INPUT_AXONS][2];
  logic [TB-1:0] xh[INPUT_AXONS][MAX_EPOCH][2];
  logic [EPOCH_W-1:0] x_last[INPUT_AXONS];
  logic [INPUT_AXONS-1:0] x_valid, ax_spk;
  logic [TB-1:0] yv[COMPARTMENTS][3];
  logic [TB-1:0] yh[COMPARTMENTS][MAX_EPOCH][3];
  logic [EPOCH_W-1:0] y_last[COMPARTMENTS];
  logic [COMPARTMENTS-1:0] y_valid, c_spk;

  // Step, epoch and the step's slot in the epoch.
  logic [63:0] step_ctr, epoch_ctr;
  logic [EPOCH_W-1:0] slot;
  logic epoch_end;
  assign epoch_end = {1'b0, slot} + 1'b1 == epoch_steps;

  always_ff @(posedge clk) begin
    if (cfg_we) begin
      case (cfg_sel)
        4'd0: seed <= cfg_data;
        4'd1: epoch_steps <= (EPOCH_W + 1)'(cfg_data);
        4'd2: first_axon <= cfg_data;
        4'd3: first_cmp <= cfg_data;
        4'd4: xpar[cfg_addr[0]] <= params_of(cfg_data);
        4'd5: ypar[CMP_ADDR_W'(cfg_addr >> 2)][cfg_addr[1:0]] <= params_of(cfg_data);
        4'd6: begin
          g_axon[AXON_ADDR_W'(cfg_addr)] <= AXON_ADDR_W'(cfg_data);
          g_first[AXON_ADDR_W'(cfg_addr)] <= SYN_ADDR_W'(cfg_data >> 16);
          g_count[AXON_ADDR_W'(cfg_addr)] <= SYN_COUNT_W'(cfg_data >> 36);
          g_wbits[AXON_ADDR_W'(cfg_addr)] <= WBITS_W'(cfg_data >> 60);
        end
        4'd7: g_base[AXON_ADDR_W'(cfg_addr)] <= cfg_data;
        4'd8: groups <= GRP_W'(cfg_data);
        4'd11: begin
          term_count <= (TERM_ADDR_W + 1)'(cfg_data);
          weight_sign <= cfg_data[9:8];
        end
        4'd12: rule_group[AXON_ADDR_W'(cfg_addr)] <= AXON_ADDR_W'(cfg_data);
        4'd13: rules <= GRP_W'(cfg_data);
        default: ;
      endcase
    end
  end

  function automatic tparams_t params_of(input logic [63:0] d);
    return '{integer_part: TB'(d), fraction: IMPULSE_FRAC_BITS'(d >> 16),
             decay: (DECAY_BITS + 1)'(d >> 32)};
  endfunction

  //===--------------------------------------------------------------------===//
  // The unit and the operation in flight.
  //===--------------------------------------------------------------------===//
  logic lu_trace_start, lu_rule_start, lu_done;
  logic signed [31:0] lu_result;
  logic [TB-1:0] t_value;
  tparams_t t_params;
  logic t_spiked;
  logic [63:0] t_index, r_synapse;
  logic signed [WEIGHT_BITS_MAX:0] r_weight;
  logic [DELAY_BITS-1:0] r_delay;
  logic signed [TAG_BITS:0] r_tag;
  logic r_x0, r_y0;
  logic [15*TB-1:0] r_traces;

  /* verilator lint_off PINCONNECTEMPTY */
  learning_unit #(
      .TRACE_BITS(TRACE_BITS),
      .IMPULSE_FRAC_BITS(IMPULSE_FRAC_BITS),
      .DECAY_BITS(DECAY_BITS),
      .ACC_BITS(LACC_BITS),
      .MANT_BITS(MANT_BITS),
      .CONST_BITS(CONST_BITS),
      .WEIGHT_BITS(WEIGHT_BITS_MAX),
      .SYN_DELAY_BITS(DELAY_BITS),
      .TAG_BITS(TAG_BITS),
      .MAX_TERMS(MAX_TERMS),
      .MAX_FACTORS(MAX_FACTORS)
  ) u_unit (
      .clk(clk),
      .rst(!rst_n),
      .cfg_seed(seed),
      .cfg_term_we(cfg_we && cfg_sel == 4'd9),
      .cfg_term_addr(TERM_ADDR_W'(cfg_addr)),
      .cfg_term_mantissa((MANT_BITS + 1)'(cfg_data)),
      .cfg_term_exponent(cfg_data[23:16]),
      .cfg_term_dependency(cfg_data[25:24]),
      .cfg_term_factors((FACTOR_ADDR_W + 1)'(cfg_data >> 28)),
      .cfg_factor_we(cfg_we && cfg_sel == 4'd10),
      .cfg_factor_term(TERM_ADDR_W'(cfg_addr >> 8)),
      .cfg_factor_index(FACTOR_ADDR_W'(cfg_addr)),
      .cfg_factor_variable(cfg_data[3:0]),
      .cfg_factor_constant((CONST_BITS + 1)'(cfg_data >> 16)),
      .cfg_term_count(term_count),
      .cfg_weight_sign(weight_sign),
      .trace_start(lu_trace_start),
      .trace_value(t_value),
      .trace_impulse_integer(t_params.integer_part),
      .trace_impulse_fraction(t_params.fraction),
      .trace_decay(t_params.decay),
      .trace_spiked(t_spiked),
      .trace_step(step_ctr),
      .trace_index(t_index),
      .rule_start(lu_rule_start),
      .rule_weight(r_weight),
      .rule_delay(r_delay),
      .rule_tag(r_tag),
      .rule_x0(r_x0),
      .rule_y0(r_y0),
      .rule_u(1'b1),
      .rule_traces(r_traces),
      .rule_reward(32'sd0),  // no reward ring: RtlCore refuses reward axons
      .rule_epoch(epoch_ctr),
      .rule_synapse(r_synapse),
      .busy(),
      .done(lu_done),
      .result(lu_result)
  );
  /* verilator lint_on PINCONNECTEMPTY */

  //===--------------------------------------------------------------------===//
  // Sequencer: the cursor names the next operation.
  //===--------------------------------------------------------------------===//
  logic running, inflight;
  kind_e cur_kind, n_kind, fl_kind;
  // Group / compartment / rule-list index; an operation in flight is a
  // trace's, whose index is narrower.
  logic [IDX_W-1:0] cur_i, n_i;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [IDX_W-1:0] fl_i;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [1:0] cur_k, n_k, fl_k;
  logic [SYN_COUNT_W-1:0] cur_j, n_j;  // synapse of the group
  logic [SYN_ADDR_W-1:0] cur_addr, n_addr, fl_addr;
  logic [PER_WORD_W-1:0] cur_pos, n_pos;
  logic [FIELD_SHIFT_W-1:0] fl_off;
  logic [WBITS_W-1:0] fl_wbits;
  logic [WORD_BITS-1:0] fl_word;
  logic issue, finish;

  // The first operation of the compartments' traces, of the rules.
  kind_e y_kind, r_kind;
  logic [AXON_ADDR_W-1:0] r_first_group, cur_group, next_group;
  assign r_first_group = rule_group[0];
  assign r_kind = epoch_end && rules != '0 ? KR : KEnd;
  assign y_kind = num_compartments != '0 ? KY : r_kind;

  // The current rule's group and its field layout.
  logic [FIELD_SHIFT_W-1:0] field_bits;
  logic [PER_WORD_W-1:0] per_word;
  assign cur_group = rule_group[AXON_ADDR_W'(cur_i)];
  assign next_group = rule_group[AXON_ADDR_W'(cur_i + 1'b1)];
  assign field_bits = FIELD_SHIFT_W'(CIDX_BITS + 1 + int'(g_wbits[cur_group]) + DELAY_BITS +
                                     TAG_FIELD);
  assign per_word = PER_WORD_W'(WORD_BITS / int'(field_bits));

  always_comb begin
    n_kind = cur_kind;
    n_i = cur_i;
    n_k = cur_k + 1'b1;
    n_j = cur_j;
    n_addr = cur_addr;
    n_pos = cur_pos;
    case (cur_kind)
      KX:
      if (cur_k == 2'd1) begin
        n_k = '0;
        n_i = cur_i + 1'b1;
        if (cur_i + 1'b1 == IDX_W'(groups)) begin
          n_kind = y_kind;
          n_i = '0;
          n_j = '0;
          n_addr = g_first[r_first_group];
          n_pos = '0;
        end
      end
      KY:
      if (cur_k == 2'd2) begin
        n_k = '0;
        n_i = cur_i + 1'b1;
        if (cur_i + 1'b1 == IDX_W'(num_compartments)) begin
          n_kind = r_kind;
          n_i = '0;
          n_j = '0;
          n_addr = g_first[r_first_group];
          n_pos = '0;
        end
      end
      KR: begin
        n_k = '0;
        if (cur_j + 1'b1 == g_count[cur_group]) begin
          n_i = cur_i + 1'b1;
          n_j = '0;
          n_pos = '0;
          n_addr = g_first[next_group];
          if (cur_i + 1'b1 == IDX_W'(rules)) n_kind = KEnd;
        end else begin
          n_j = cur_j + 1'b1;
          if (cur_pos + 1'b1 == per_word) begin
            n_pos = '0;
            n_addr = cur_addr + 1'b1;
          end else begin
            n_pos = cur_pos + 1'b1;
          end
        end
      end
      default: ;
    endcase
  end

  assign issue = running && cur_kind != KEnd && (!inflight || lu_done);
  assign finish = running && cur_kind == KEnd && (!inflight || lu_done);
  assign lu_trace_start = issue && cur_kind != KR;
  assign lu_rule_start = issue && cur_kind == KR;
  assign busy = running;

  // A trace's history as a rule reads it: the one written back in this
  // cycle forwarded.
  function automatic logic [TB-1:0] x_hist(input logic [AXON_ADDR_W-1:0] g,
                                           input logic [EPOCH_W-1:0] s, input int k);
    if (lu_done && fl_kind == KX && AXON_ADDR_W'(fl_i) == g && s == slot && int'(fl_k) == k)
      return TB'(lu_result);
    return xh[g][s][k];
  endfunction
  function automatic logic [TB-1:0] y_hist(input logic [CMP_ADDR_W-1:0] c,
                                           input logic [EPOCH_W-1:0] s, input int k);
    if (lu_done && fl_kind == KY && CMP_ADDR_W'(fl_i) == c && s == slot && int'(fl_k) == k)
      return TB'(lu_result);
    return yh[c][s][k];
  endfunction

  // The operands of the operation at the cursor.
  logic [AXON_ADDR_W-1:0] xg, x_axon;
  logic [CMP_ADDR_W-1:0] yc, r_cmp;
  logic [WORD_BITS-1:0] word_now, field;
  logic [FIELD_SHIFT_W-1:0] off;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [WORD_BITS-1:0] mag;  // at most weightBitsMax bits
  /* verilator lint_on UNUSEDSIGNAL */
  logic [EPOCH_W-1:0] sample_at[3];
  assign syn_raddr = cur_addr;
  always_comb begin
    xg = AXON_ADDR_W'(cur_i);
    x_axon = g_axon[xg];
    yc = CMP_ADDR_W'(cur_i);
    t_value = cur_kind == KX ? xv[xg][cur_k[0]] : yv[yc][cur_k];
    t_params = cur_kind == KX ? xpar[cur_k[0]] : ypar[yc][cur_k];
    t_spiked = cur_kind == KX ? ax_spk[x_axon] : c_spk[yc];
    t_index = cur_kind == KX ? ((first_axon + 64'(x_axon)) << 3) + 64'(cur_k)
                             : ((first_cmp + 64'(yc)) << 3) + 64'd2 + 64'(cur_k);
    // A rule's synapse: the field at cur_pos of the word at cur_addr. Only
    // while rules run, so that a simulation of the idle core skips it.
    word_now = '0;
    off = '0;
    field = '0;
    r_cmp = '0;
    mag = '0;
    r_weight = '0;
    r_delay = '0;
    r_tag = '0;
    r_x0 = 1'b0;
    r_y0 = 1'b0;
    r_synapse = '0;
    sample_at = '{default: '0};
    r_traces = '0;
    if (cur_kind == KR) begin
      word_now = syn_we && syn_waddr == cur_addr ? syn_wdata : syn_rdata;
      off = FIELD_SHIFT_W'(int'(cur_pos) * int'(field_bits));
      field = word_now >> off;
      r_cmp = CMP_ADDR_W'(field[CIDX_BITS-1:0]);
      mag = (field >> (CIDX_BITS + 1)) & ((WORD_BITS'(1) << g_wbits[cur_group]) - WORD_BITS'(1));
      r_weight = field[CIDX_BITS] ? -(WEIGHT_BITS_MAX + 1)'(mag) : (WEIGHT_BITS_MAX + 1)'(mag);
      r_delay = DELAY_BITS'(field >> (CIDX_BITS + 1 + int'(g_wbits[cur_group])));
      r_tag = (TAG_BITS + 1)'(field >> (CIDX_BITS + 1 + int'(g_wbits[cur_group]) + DELAY_BITS));
      r_x0 = x_valid[cur_group];
      r_y0 = y_valid[r_cmp];
      r_synapse = g_base[cur_group] + 64'(cur_j);
      sample_at[0] = x_last[cur_group];
      sample_at[1] = y_last[r_cmp];
      sample_at[2] = slot;  // the epoch's last step
      for (int d = 0; d < 3; ++d) begin
        r_traces[(5*d+0)*TB+:TB] = x_hist(cur_group, sample_at[d], 0);
        r_traces[(5*d+1)*TB+:TB] = x_hist(cur_group, sample_at[d], 1);
        for (int k = 0; k < 3; ++k)
          r_traces[(5*d+2+k)*TB+:TB] = y_hist(r_cmp, sample_at[d], k);
      end
    end
  end

  // Write-back of a rule's result: sign and magnitude into its field.
  logic [WORD_BITS-1:0] new_mag, keep_mask;
  logic signed [63:0] result64;
  always_comb begin
    syn_we = lu_done && fl_kind == KR;
    syn_waddr = fl_addr;
    result64 = '0;
    new_mag = '0;
    keep_mask = '0;
    syn_wdata = '0;
    if (syn_we) begin
      result64 = 64'(lu_result);
      new_mag = WORD_BITS'(result64 < 0 ? -result64 : result64);
      keep_mask = ~((((WORD_BITS'(1) << fl_wbits) - WORD_BITS'(1)) << (CIDX_BITS + 1) |
                     (WORD_BITS'(1) << CIDX_BITS)) << fl_off);
      syn_wdata = (fl_word & keep_mask) |
                  ((new_mag << (CIDX_BITS + 1) | WORD_BITS'(lu_result < 0) << CIDX_BITS) << fl_off);
    end
  end

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      running <= 1'b0;
      inflight <= 1'b0;
      done <= 1'b0;
      cur_kind <= KEnd;
      fl_kind <= KEnd;
      step_ctr <= '0;
      epoch_ctr <= '0;
      slot <= '0;
      x_valid <= '0;
      y_valid <= '0;
      ax_spk <= '0;
      c_spk <= '0;
    end else begin
      done <= 1'b0;
      if (mark_axon) ax_spk[mark_axon_id] <= 1'b1;
      if (mark_cmp) c_spk[mark_cmp_id] <= 1'b1;
      if (start && !running) begin
        running <= 1'b1;
        cur_kind <= groups != '0 ? KX : y_kind;
        cur_i <= '0;
        cur_k <= '0;
        cur_j <= '0;
        cur_pos <= '0;
        cur_addr <= g_first[r_first_group];
      end
      if (issue) begin
        inflight <= 1'b1;
        fl_kind <= cur_kind;
        fl_i <= cur_i;
        fl_k <= cur_k;
        fl_addr <= cur_addr;
        fl_off <= off;
        fl_wbits <= g_wbits[cur_group];
        fl_word <= word_now;
        cur_kind <= n_kind;
        cur_i <= n_i;
        cur_k <= n_k;
        cur_j <= n_j;
        cur_addr <= n_addr;
        cur_pos <= n_pos;
        // A spike's step is the last of its epoch so far.
        if (cur_kind == KX && cur_k == '0 && t_spiked) begin
          x_valid[xg] <= 1'b1;
          x_last[xg] <= slot;
        end
        if (cur_kind == KY && cur_k == '0 && t_spiked) begin
          y_valid[yc] <= 1'b1;
          y_last[yc] <= slot;
        end
      end else if (lu_done) begin
        inflight <= 1'b0;
      end
      if (finish) begin
        running <= 1'b0;
        done <= 1'b1;
        ax_spk <= '0;
        c_spk <= '0;
        step_ctr <= step_ctr + 1'b1;
        slot <= epoch_end ? '0 : slot + 1'b1;
        if (epoch_end) begin
          epoch_ctr <= epoch_ctr + 1'b1;
          x_valid <= '0;
          y_valid <= '0;
        end
      end
    end
  end

  // Traces and their history: written as each step ends.
  always_ff @(posedge clk) begin
    if (tr_rd_en)
      tr_rd_data <= tr_rd_cmp ? {16'(yv[CMP_ADDR_W'(tr_rd_addr)][2]),
                                 16'(yv[CMP_ADDR_W'(tr_rd_addr)][1]),
                                 16'(yv[CMP_ADDR_W'(tr_rd_addr)][0])}
                              : {16'd0, 16'(xv[AXON_ADDR_W'(tr_rd_addr)][1]),
                                 16'(xv[AXON_ADDR_W'(tr_rd_addr)][0])};
    if (lu_done && fl_kind == KX) begin
      xv[AXON_ADDR_W'(fl_i)][fl_k[0]] <= TB'(lu_result);
      xh[AXON_ADDR_W'(fl_i)][slot][fl_k[0]] <= TB'(lu_result);
    end
    if (lu_done && fl_kind == KY) begin
      yv[CMP_ADDR_W'(fl_i)][fl_k] <= TB'(lu_result);
      yh[CMP_ADDR_W'(fl_i)][slot][fl_k] <= TB'(lu_result);
    end
  end
endmodule
