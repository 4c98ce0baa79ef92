//===- neurocore.sv - The RTL neurocore: synapse unit and update unit ----===//
//
// One neurocore, sized by neurocore_pkg (generated from a profile):
//  - configuration port: compartment parameters (writing one also clears
//    its state), the input-axon table and the synapse-memory words;
//    cfg_num_compartments bounds the update loop.
//  - input spikes (in_valid/in_ready, axon id) are accepted between steps.
//    The synapse unit reads the axon's table entry, then the group's words
//    in order (1 cycle per word), and performs one synaptic op per cycle:
//    decode the least significant field (synapse_decode), add its weight to
//    the dendritic accumulator of (compartment, current slot + delay) and
//    shift the word by the field width. Accumulators form a ring of RING =
//    MAX_DELAY + 1 slots per compartment and are exact (ACC_W bits), so
//    the order of spikes cannot change a result; q saturates when read.
//  - step_start (in Idle, with no spike offered) runs the update unit: one
//    compartment per cycle in index order (compartment_update), writing
//    u, v, refractory back, clearing the slot's accumulator and emitting
//    out_valid/out_compartment for a spike; step_done pulses after the last
//    compartment and the ring advances one slot.
//  - state read port: rd_en/rd_addr give u, v, refractory one cycle later.
// Memories are arrays with a combinational read and a clocked write.
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

  typedef enum logic [1:0] {
    Idle,
    Fetch,
    Synapse,
    Update
  } state_e;

  // Memories.
  params_t                        cmp_mem [COMPARTMENTS];
  logic signed [CURRENT_BITS-1:0] u_mem   [COMPARTMENTS];
  logic signed [         V_W-1:0] v_mem   [COMPARTMENTS];
  logic        [       REF_W-1:0] ref_mem [COMPARTMENTS];
  axon_t                          axon_mem[INPUT_AXONS];
  logic        [   WORD_BITS-1:0] syn_mem [SYN_WORDS];
  logic signed [       ACC_W-1:0] acc_mem [2 ** AccAddrW];

  // Control.
  state_e st;
  logic [SLOT_W-1:0] slot;  // ring slot of the current step
  logic [CMP_ADDR_W-1:0] cmp;  // compartment being updated
  logic [SYN_ADDR_W-1:0] word_addr;
  logic [WORD_BITS-1:0] word_reg;
  logic [SYN_COUNT_W-1:0] left;  // synapses left in the group
  logic [PER_WORD_W-1:0] in_word;  // synapses left in word_reg
  logic [FIELD_SHIFT_W-1:0] field_bits, field_bits_r;
  logic [PER_WORD_W-1:0] per_word_r;
  logic [WBITS_W-1:0] wbits_r;
  logic [WEXP_W-1:0] wexp_r;
  logic has_delay_r;

  axon_t in_entry;
  logic accept, start;
  assign in_entry = axon_mem[in_axon];
  assign in_ready = st == Idle;
  assign accept = in_valid && in_ready;
  assign start = step_start && in_ready && !in_valid;
  assign field_bits = FIELD_SHIFT_W'(CIDX_BITS + 1 + int'(in_entry.weight_bits) +
                                     (in_entry.has_delay ? DELAY_BITS : 0));

  // Synaptic op datapath.
  logic [CIDX_BITS-1:0] syn_cmp;
  logic signed [ACC_W-1:0] syn_weight;
  logic [DELAY_BITS-1:0] syn_delay;
  logic [AccAddrW-1:0] syn_acc_addr;
  int delayed_slot;

  synapse_decode u_decode (
      .field(word_reg),
      .weight_bits(wbits_r),
      .weight_exp(wexp_r),
      .has_delay(has_delay_r),
      .compartment(syn_cmp),
      .weight(syn_weight),
      .delay(syn_delay)
  );

  always_comb begin
    delayed_slot = int'(slot) + int'(syn_delay);
    if (delayed_slot >= RING) delayed_slot = delayed_slot - RING;
    syn_acc_addr = {SLOT_W'(delayed_slot), CMP_ADDR_W'(syn_cmp)};
  end

  // Compartment update datapath.
  params_t p;
  logic [AccAddrW-1:0] upd_acc_addr;
  logic signed [CURRENT_BITS-1:0] u_next;
  logic signed [V_W-1:0] v_next;
  logic [REF_W-1:0] ref_next;
  logic spike;
  assign p = cmp_mem[cmp];
  assign upd_acc_addr = {slot, cmp};

  compartment_update u_update (
      .decay_u(p.decay_u),
      .decay_v(p.decay_v),
      .bias_man(p.bias_man),
      .bias_exp(p.bias_exp),
      .refractory(p.refractory),
      .vth_man(p.vth_man),
      .vmin_exp(p.vmin_exp),
      .vmax_exp(p.vmax_exp),
      .reset_sub(p.reset_sub),
      .no_spike(p.no_spike),
      .u_in(u_mem[cmp]),
      .v_in(v_mem[cmp]),
      .ref_in(ref_mem[cmp]),
      .q(acc_mem[upd_acc_addr]),
      .u_out(u_next),
      .v_out(v_next),
      .ref_out(ref_next),
      .spike(spike)
  );

  logic last_cmp;
  assign last_cmp = CMP_COUNT_W'(cmp) + 1'b1 >= cfg_num_compartments;

  // Control FSM.
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      st <= Idle;
      slot <= '0;
      cmp <= '0;
      step_done <= 1'b0;
      out_valid <= 1'b0;
      out_compartment <= '0;
      word_addr <= '0;
      word_reg <= '0;
      left <= '0;
      in_word <= '0;
      field_bits_r <= '0;
      per_word_r <= '0;
      wbits_r <= '0;
      wexp_r <= '0;
      has_delay_r <= 1'b0;
    end else begin
      step_done <= 1'b0;
      out_valid <= 1'b0;
      unique case (st)
        Idle: begin
          if (accept && in_entry.count != '0) begin
            word_addr <= in_entry.first_word;
            left <= in_entry.count;
            field_bits_r <= field_bits;
            per_word_r <= PER_WORD_W'(WORD_BITS / int'(field_bits));
            wbits_r <= in_entry.weight_bits;
            wexp_r <= in_entry.weight_exp;
            has_delay_r <= in_entry.has_delay;
            st <= Fetch;
          end else if (start) begin
            cmp <= '0;
            if (cfg_num_compartments == '0) begin
              step_done <= 1'b1;
              slot <= int'(slot) + 1 >= RING ? '0 : slot + 1'b1;
            end else begin
              st <= Update;
            end
          end
        end
        Fetch: begin
          word_reg <= syn_mem[word_addr];
          word_addr <= word_addr + 1'b1;
          in_word <= SYN_COUNT_W'(per_word_r) < left ? per_word_r : PER_WORD_W'(left);
          st <= Synapse;
        end
        Synapse: begin
          word_reg <= word_reg >> field_bits_r;
          left <= left - 1'b1;
          in_word <= in_word - 1'b1;
          if (left == SYN_COUNT_W'(1)) st <= Idle;
          else if (in_word == PER_WORD_W'(1)) st <= Fetch;
        end
        Update: begin
          out_valid <= spike;
          out_compartment <= cmp;
          cmp <= cmp + 1'b1;
          if (last_cmp) begin
            st <= Idle;
            step_done <= 1'b1;
            slot <= int'(slot) + 1 >= RING ? '0 : slot + 1'b1;
          end
        end
        default: st <= Idle;
      endcase
    end
  end

  // Memory writes: configuration, synaptic ops, compartment updates.
  always_ff @(posedge clk) begin
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
    if (st == Synapse) acc_mem[syn_acc_addr] <= acc_mem[syn_acc_addr] + syn_weight;
    if (st == Update) acc_mem[upd_acc_addr] <= '0;
  end

  // Compartment state: cleared by a parameter write, written by the update.
  always_ff @(posedge clk) begin
    if (cfg_cmp_we) begin
      u_mem[cfg_cmp_addr] <= '0;
      v_mem[cfg_cmp_addr] <= '0;
      ref_mem[cfg_cmp_addr] <= '0;
    end else if (st == Update) begin
      u_mem[cmp] <= u_next;
      v_mem[cmp] <= v_next;
      ref_mem[cmp] <= ref_next;
    end
    if (rd_en) begin
      rd_u <= u_mem[rd_addr];
      rd_v <= v_mem[rd_addr];
      rd_ref <= ref_mem[rd_addr];
    end
  end
endmodule
