//===- neurocore.sv - The RTL neurocore: queue, synapse unit, update unit -===//
//
// One neurocore, sized and timed by neurocore_pkg (generated from a
// profile); docs/neurocore.md is the micro-architecture both this RTL and
// the SystemC core model follow, cycle for cycle:
//  - memories have a synchronous read (address sampled at a clock edge,
//    data valid in the next cycle) and a clocked write, as SRAM macros.
//    The dendritic accumulators are banked by ring slot: the update unit
//    only touches the slot of the current step, the synapse unit only later
//    slots (delays are 1 .. MAX_DELAY < RING), so the two never meet.
//  - input spikes (in_valid/in_ready, axon id) enter a queue of QUEUE_DEPTH
//    entries, or go straight to an idle synapse unit; in_ready is low only
//    when the queue is full and no entry leaves in this cycle.
//  - synapse unit: taking a spike reads its input-axon entry; after
//    DISPATCH_CYCLES it has read the group's first word and starts the
//    synaptic ops, SYNOP_CYCLES each: cycle 0 decodes the word's least
//    significant field (synapse_decode), reads the accumulator of
//    (current slot + delay, compartment) and, after the word's last field,
//    the next word; cycle 1 writes accumulator + weight. Accumulators are
//    exact (ACC_W bits), so the order of spikes cannot change a result.
//  - update unit: step_start (with the synapse unit and queue empty)
//    advances the ring slot and updates every compartment in index order:
//    cycle 0 reads parameters, state and accumulator; cycle 1 computes
//    (compartment_update) and, unless the compartment is inactive (zero
//    state, bias and input), writes the state, clears the accumulator and
//    takes UPD_ACTIVE_CYCLES in all, an inactive one UPD_INACTIVE_CYCLES.
//    A spike is out_valid/out_compartment in the cycle after the
//    compartment's last; step_done pulses with the last compartment's.
//    The remaining cycles of an op or update are wait states: the profile's
//    latencies (Davies 2018) are slower than this datapath needs.
//  - state read port: rd_en/rd_addr give u, v, refractory a cycle later.
//
//===----------------------------------------------------------------------===//
module neurocore
  import neurocore_pkg::*;
(
    input  logic                           clk,
    input  logic                           rst_n,
    // Configuration.
    input  logic        [ CMP_COUNT_W-1:0] cfg_num_compartments,
    input  logic                           cfg_cmp_we,
    input  logic        [  CMP_ADDR_W-1:0] cfg_cmp_addr,
    input  logic        [  DECAY_BITS-1:0] cfg_decay_u,
    input  logic        [  DECAY_BITS-1:0] cfg_decay_v,
    input  logic        [  BIAS_MAN_W-1:0] cfg_bias_man,   // two's complement
    input  logic        [  BIAS_EXP_W-1:0] cfg_bias_exp,
    input  logic        [       REF_W-1:0] cfg_refractory,
    input  logic        [VTH_MAN_BITS-1:0] cfg_vth_man,
    input  logic        [  VMIN_EXP_W-1:0] cfg_vmin_exp,
    input  logic        [  VMAX_EXP_W-1:0] cfg_vmax_exp,
    input  logic                           cfg_reset_sub,
    input  logic                           cfg_no_spike,
    input  logic                           cfg_axon_we,
    input  logic        [ AXON_ADDR_W-1:0] cfg_axon_addr,
    input  logic        [  SYN_ADDR_W-1:0] cfg_axon_first_word,
    input  logic        [ SYN_COUNT_W-1:0] cfg_axon_count,
    input  logic        [     WBITS_W-1:0] cfg_axon_weight_bits,
    input  logic        [      WEXP_W-1:0] cfg_axon_weight_exp,  // two's compl.
    input  logic                           cfg_axon_has_delay,
    input  logic                           cfg_syn_we,
    input  logic        [  SYN_ADDR_W-1:0] cfg_syn_addr,
    input  logic        [   WORD_BITS-1:0] cfg_syn_data,
    // Input spikes.
    input  logic                           in_valid,
    input  logic        [ AXON_ADDR_W-1:0] in_axon,
    output logic                           in_ready,
    // Time-step handshake.
    input  logic                           step_start,
    output logic                           step_done,
    output logic                           busy,  // queue, synapse or update unit at work
    // Output spikes.
    output logic                           out_valid,
    output logic        [  CMP_ADDR_W-1:0] out_compartment,
    // State read port.
    input  logic                           rd_en,
    input  logic        [  CMP_ADDR_W-1:0] rd_addr,
    output logic signed [CURRENT_BITS-1:0] rd_u,
    output logic signed [         V_W-1:0] rd_v,
    output logic        [       REF_W-1:0] rd_ref
);
  typedef struct packed {
    logic [DECAY_BITS-1:0]   decay_u;
    logic [DECAY_BITS-1:0]   decay_v;
    logic [BIAS_MAN_W-1:0]   bias_man;
    logic [BIAS_EXP_W-1:0]   bias_exp;
    logic [REF_W-1:0]        refractory;
    logic [VTH_MAN_BITS-1:0] vth_man;
    logic [VMIN_EXP_W-1:0]   vmin_exp;
    logic [VMAX_EXP_W-1:0]   vmax_exp;
    logic                    reset_sub;
    logic                    no_spike;
  } params_t;

  typedef struct packed {
    logic [SYN_ADDR_W-1:0]  first_word;
    logic [SYN_COUNT_W-1:0] count;
    logic [WBITS_W-1:0]     weight_bits;
    logic [WEXP_W-1:0]      weight_exp;
    logic                   has_delay;
  } axon_t;

  localparam int AccAddrW = SLOT_W + CMP_ADDR_W;
  localparam logic [PHASE_W-1:0] DispatchLast = PHASE_W'(DISPATCH_CYCLES - 1);
  localparam logic [PHASE_W-1:0] SynopLast = PHASE_W'(SYNOP_CYCLES - 1);
  localparam logic [PHASE_W-1:0] ActiveLast = PHASE_W'(UPD_ACTIVE_CYCLES - 1);
  localparam logic [PHASE_W-1:0] InactiveLast = PHASE_W'(UPD_INACTIVE_CYCLES - 1);

  typedef enum logic [1:0] {
    SynIdle,
    SynDispatch,
    SynOp
  } syn_state_e;

  // Memories.
  params_t                        cmp_mem [COMPARTMENTS];
  logic signed [CURRENT_BITS-1:0] u_mem   [COMPARTMENTS];
  logic signed [         V_W-1:0] v_mem   [COMPARTMENTS];
  logic        [       REF_W-1:0] ref_mem [COMPARTMENTS];
  axon_t                          axon_mem[INPUT_AXONS];
  logic        [   WORD_BITS-1:0] syn_mem [SYN_WORDS];
  logic signed [       ACC_W-1:0] acc_mem [2 ** AccAddrW];
  logic        [ AXON_ADDR_W-1:0] queue   [QUEUE_DEPTH];

  logic [SLOT_W-1:0] slot;  // ring slot of the current step

  //===--------------------------------------------------------------------===//
  // Input queue.
  //===--------------------------------------------------------------------===//
  logic [QUEUE_ADDR_W-1:0] q_head, q_tail;
  logic [QUEUE_COUNT_W-1:0] q_count;
  logic unit_free;  // the synapse unit takes a spike at this edge if one waits
  logic take_queued, bypass, take, push, accept;
  logic [AXON_ADDR_W-1:0] take_axon;

  assign take_queued = unit_free && q_count != '0;
  assign in_ready = q_count != QUEUE_COUNT_W'(QUEUE_DEPTH) || take_queued;
  assign accept = in_valid && in_ready;
  assign bypass = unit_free && q_count == '0 && in_valid;
  assign take = take_queued || bypass;
  assign push = accept && !bypass;
  assign take_axon = take_queued ? queue[q_head] : in_axon;

  function automatic logic [QUEUE_ADDR_W-1:0] queue_next(logic [QUEUE_ADDR_W-1:0] i);
    return int'(i) + 1 >= QUEUE_DEPTH ? '0 : i + 1'b1;
  endfunction

  //===--------------------------------------------------------------------===//
  // Synapse unit.
  //===--------------------------------------------------------------------===//
  syn_state_e s_st;
  logic [PHASE_W-1:0] s_phase;
  axon_t ax_q;  // input-axon entry, read at the take edge
  logic [WORD_BITS-1:0] syn_q;  // synapse-memory read data
  logic [WORD_BITS-1:0] word_reg;  // the current word, shifted past used fields
  logic use_q;  // the next op decodes syn_q (a word just read), not word_reg
  logic [SYN_ADDR_W-1:0] word_addr;  // next word to read
  logic [SYN_COUNT_W-1:0] left;  // synapses of the group not yet started
  logic [PER_WORD_W-1:0] in_word;  // fields of the current word not yet started
  logic [FIELD_SHIFT_W-1:0] ax_field_bits, field_bits_r;
  logic [PER_WORD_W-1:0] ax_per_word, per_word_r;
  logic [WBITS_W-1:0] wbits_r;
  logic [WEXP_W-1:0] wexp_r;
  logic has_delay_r, last_op;
  logic dispatch_last, op_first, op_last, fetch_next;

  assign ax_field_bits = FIELD_SHIFT_W'(CIDX_BITS + 1 + int'(ax_q.weight_bits) +
                                        (ax_q.has_delay ? DELAY_BITS : 0));
  assign ax_per_word = PER_WORD_W'(WORD_BITS / int'(ax_field_bits));
  assign dispatch_last = s_st == SynDispatch && s_phase == DispatchLast;
  assign op_first = s_st == SynOp && s_phase == '0;
  assign op_last = s_st == SynOp && s_phase == SynopLast;
  assign fetch_next = op_first && in_word == PER_WORD_W'(1) && left != SYN_COUNT_W'(1);
  assign unit_free = s_st == SynIdle || (dispatch_last && ax_q.count == '0) ||
                     (op_last && last_op);

  logic [WORD_BITS-1:0] cur_word;
  logic [CIDX_BITS-1:0] syn_cmp;
  logic signed [ACC_W-1:0] syn_weight, op_weight, acc_sq;
  logic [DELAY_BITS-1:0] syn_delay;
  logic [AccAddrW-1:0] syn_acc_addr, op_addr;
  int slot_sum;
  logic [SLOT_W-1:0] delayed_slot;

  assign cur_word = use_q ? syn_q : word_reg;

  synapse_decode u_decode (
      .field(cur_word),
      .weight_bits(wbits_r),
      .weight_exp(wexp_r),
      .has_delay(has_delay_r),
      .compartment(syn_cmp),
      .weight(syn_weight),
      .delay(syn_delay)
  );

  always_comb begin
    slot_sum = int'(slot) + int'(syn_delay);
    delayed_slot = SLOT_W'(slot_sum >= RING ? slot_sum - RING : slot_sum);
    syn_acc_addr = {delayed_slot, CMP_ADDR_W'(syn_cmp)};
  end

  //===--------------------------------------------------------------------===//
  // Update unit.
  //===--------------------------------------------------------------------===//
  logic u_busy;
  logic [PHASE_W-1:0] u_phase;
  logic [CMP_ADDR_W-1:0] cmp;  // compartment being updated
  params_t p_q;
  logic signed [CURRENT_BITS-1:0] u_q, u_next;
  logic signed [V_W-1:0] v_q, v_next;
  logic [REF_W-1:0] ref_q, ref_next;
  logic signed [ACC_W-1:0] accu_q;
  logic spike, upd_active, active_r, spike_r, upd_compute, upd_last, last_cmp, start;
  logic [AccAddrW-1:0] upd_acc_addr;

  assign upd_acc_addr = {slot, cmp};
  assign start = step_start && !u_busy && s_st == SynIdle && q_count == '0;
  assign busy = u_busy || s_st != SynIdle || q_count != '0;

  compartment_update u_update (
      .decay_u(p_q.decay_u),
      .decay_v(p_q.decay_v),
      .bias_man(p_q.bias_man),
      .bias_exp(p_q.bias_exp),
      .refractory(p_q.refractory),
      .vth_man(p_q.vth_man),
      .vmin_exp(p_q.vmin_exp),
      .vmax_exp(p_q.vmax_exp),
      .reset_sub(p_q.reset_sub),
      .no_spike(p_q.no_spike),
      .u_in(u_q),
      .v_in(v_q),
      .ref_in(ref_q),
      .q(accu_q),
      .u_out(u_next),
      .v_out(v_next),
      .ref_out(ref_next),
      .spike(spike)
  );

  // The golden model's inactive compartment: nothing to decay, add or count.
  assign upd_active = !(accu_q == '0 && u_q == '0 && v_q == '0 && ref_q == '0 &&
                        p_q.bias_man == '0);
  assign upd_compute = u_busy && u_phase == PHASE_W'(1);
  assign upd_last = u_busy && u_phase != '0 &&
      u_phase == ((upd_compute ? upd_active : active_r) ? ActiveLast : InactiveLast);
  assign last_cmp = CMP_COUNT_W'(cmp) + 1'b1 >= cfg_num_compartments;

  //===--------------------------------------------------------------------===//
  // Control.
  //===--------------------------------------------------------------------===//
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      slot <= SLOT_W'(RING - 1);  // the first step_start moves it to slot 0
      q_head <= '0;
      q_tail <= '0;
      q_count <= '0;
      s_st <= SynIdle;
      s_phase <= '0;
      use_q <= 1'b0;
      word_reg <= '0;
      word_addr <= '0;
      left <= '0;
      in_word <= '0;
      field_bits_r <= '0;
      per_word_r <= '0;
      wbits_r <= '0;
      wexp_r <= '0;
      has_delay_r <= 1'b0;
      last_op <= 1'b0;
      op_addr <= '0;
      op_weight <= '0;
      u_busy <= 1'b0;
      u_phase <= '0;
      cmp <= '0;
      active_r <= 1'b0;
      spike_r <= 1'b0;
      step_done <= 1'b0;
      out_valid <= 1'b0;
      out_compartment <= '0;
    end else begin
      step_done <= 1'b0;
      out_valid <= 1'b0;
      // Queue.
      if (push) q_tail <= queue_next(q_tail);
      if (take_queued) q_head <= queue_next(q_head);
      q_count <= q_count + QUEUE_COUNT_W'(push) - QUEUE_COUNT_W'(take_queued);
      // Synapse unit.
      if (take) begin
        s_st <= SynDispatch;
        s_phase <= '0;
      end else if (dispatch_last) begin
        if (ax_q.count == '0) s_st <= SynIdle;
        else begin
          s_st <= SynOp;
          s_phase <= '0;
          use_q <= 1'b1;
          word_addr <= ax_q.first_word + 1'b1;
          left <= ax_q.count;
          in_word <= SYN_COUNT_W'(ax_per_word) < ax_q.count ? ax_per_word
                                                            : PER_WORD_W'(ax_q.count);
          field_bits_r <= ax_field_bits;
          per_word_r <= ax_per_word;
          wbits_r <= ax_q.weight_bits;
          wexp_r <= ax_q.weight_exp;
          has_delay_r <= ax_q.has_delay;
        end
      end else if (op_last) begin
        if (last_op) s_st <= SynIdle;
        else s_phase <= '0;
      end else if (s_st != SynIdle) begin
        s_phase <= s_phase + 1'b1;
      end
      if (op_first) begin
        word_reg <= cur_word >> field_bits_r;
        use_q <= fetch_next;
        left <= left - 1'b1;
        last_op <= left == SYN_COUNT_W'(1);
        op_addr <= syn_acc_addr;
        op_weight <= syn_weight;
        if (fetch_next) begin
          word_addr <= word_addr + 1'b1;
          in_word <= SYN_COUNT_W'(per_word_r) < left - 1'b1 ? per_word_r
                                                            : PER_WORD_W'(left - 1'b1);
        end else begin
          in_word <= in_word - 1'b1;
        end
      end
      // Update unit.
      if (start) begin
        slot <= int'(slot) + 1 >= RING ? '0 : slot + 1'b1;
        cmp <= '0;
        u_phase <= '0;
        if (cfg_num_compartments == '0) step_done <= 1'b1;
        else u_busy <= 1'b1;
      end else if (upd_last) begin
        out_valid <= upd_compute ? upd_active && spike : spike_r;
        out_compartment <= cmp;
        u_phase <= '0;
        cmp <= cmp + 1'b1;
        if (last_cmp) begin
          u_busy <= 1'b0;
          step_done <= 1'b1;
        end
      end else if (u_busy) begin
        u_phase <= u_phase + 1'b1;
      end
      if (upd_compute) begin
        active_r <= upd_active;
        spike_r <= upd_active && spike;
      end
    end
  end

  //===--------------------------------------------------------------------===//
  // Memories: configuration writes, reads, op and update writes.
  //===--------------------------------------------------------------------===//
  always_ff @(posedge clk) begin
    if (push) queue[q_tail] <= in_axon;
    if (cfg_cmp_we) begin
      cmp_mem[cfg_cmp_addr] <= '{
          decay_u: cfg_decay_u,
          decay_v: cfg_decay_v,
          bias_man: cfg_bias_man,
          bias_exp: cfg_bias_exp,
          refractory: cfg_refractory,
          vth_man: cfg_vth_man,
          vmin_exp: cfg_vmin_exp,
          vmax_exp: cfg_vmax_exp,
          reset_sub: cfg_reset_sub,
          no_spike: cfg_no_spike
      };
    end
    if (cfg_axon_we) begin
      axon_mem[cfg_axon_addr] <= '{
          first_word: cfg_axon_first_word,
          count: cfg_axon_count,
          weight_bits: cfg_axon_weight_bits,
          weight_exp: cfg_axon_weight_exp,
          has_delay: cfg_axon_has_delay
      };
    end
    if (cfg_syn_we) syn_mem[cfg_syn_addr] <= cfg_syn_data;
    // Synapse unit: entry, words, accumulator read-modify-write.
    if (take) ax_q <= axon_mem[take_axon];
    if (dispatch_last) syn_q <= syn_mem[ax_q.first_word];
    else if (fetch_next) syn_q <= syn_mem[word_addr];
    if (op_first) acc_sq <= acc_mem[syn_acc_addr];
    if (s_st == SynOp && s_phase == PHASE_W'(1)) acc_mem[op_addr] <= acc_sq + op_weight;
    // Update unit: read in cycle 0, write back in cycle 1.
    if (u_busy && u_phase == '0) begin
      p_q <= cmp_mem[cmp];
      accu_q <= acc_mem[upd_acc_addr];
    end
    if (upd_compute && upd_active) acc_mem[upd_acc_addr] <= '0;
  end

  // Compartment state: cleared by a parameter write, written by the update.
  always_ff @(posedge clk) begin
    if (cfg_cmp_we) begin
      u_mem[cfg_cmp_addr] <= '0;
      v_mem[cfg_cmp_addr] <= '0;
      ref_mem[cfg_cmp_addr] <= '0;
    end else if (upd_compute && upd_active) begin
      u_mem[cmp] <= u_next;
      v_mem[cmp] <= v_next;
      ref_mem[cmp] <= ref_next;
    end
    if (u_busy && u_phase == '0) begin
      u_q <= u_mem[cmp];
      v_q <= v_mem[cmp];
      ref_q <= ref_mem[cmp];
    end
    if (rd_en) begin
      rd_u <= u_mem[rd_addr];
      rd_v <= v_mem[rd_addr];
      rd_ref <= ref_mem[rd_addr];
    end
  end
endmodule
