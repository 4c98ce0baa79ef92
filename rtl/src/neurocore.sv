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
//    advances the ring slot and updates every compartment in index order
//    by running its program (neuron_program: micro-sequencer and ALU) over
//    its state and parameter words and its accumulator q. Compartment c's
//    program index, words and accumulator are read at the edge that ends
//    c - 1's update (edge 0 for compartment 0), so the program's first slot
//    executes in the next cycle: an active update lasts exactly its
//    program's price (isa.* cycles per slot), an idle one (the program's
//    idle rule) UPD_INACTIVE_CYCLES. At the update's last edge the state
//    words are written back, the accumulator cleared and a spike is
//    out_valid/out_compartment in the following cycle; step_done pulses
//    with the last compartment's. The program table (code, header,
//    constants, lookup-table descriptors) is a register file written
//    through the configuration port, read combinationally by the sequencer,
//    as a micro-code store; so is the core-wide table-entry memory
//    (TABLE_WORDS 32-bit entries, room for TABLE_ENTRIES per program slot,
//    held by the sequencer and written through its entry port), which the
//    descriptors index by absolute base.
//  - dendritic trees: a tree's compartments are consecutive, its root
//    last. Each compartment has a tree root (cfg_cmp_in_tree, cfg_cmp_root,
//    loaded with its program index); root_spiked holds every root's spike
//    of its last update. A compartment's bap (the root spiked in the
//    previous step) is read with its words at the edge ending the previous
//    update: the root of its tree updates after it, so the flag is still
//    the previous step's, also for the root itself. At a root's last edge
//    root_spiked takes its spike; a tree compartment that is not its root
//    does not put its FIRE on out_valid (the root's spike is the neuron's).
//    The tree stack is the sequencer's (neuron_program.sv): it persists
//    from one update to the next, and a valid tree leaves it empty after
//    its root. A tree instruction is an ALU slot, as in the SystemC model.
//  - learning (LEARNING = 1, learning_phase.sv): the synapse unit marks
//    each input axon it takes, the update unit each spike; learn_start,
//    with the core idle, steps every trace and, at an epoch's end, applies
//    each learning synapse's rule and writes its weight back into the
//    synapse memory; busy is high until learn_done. A learning group's
//    fields end in a tag (the axon entry's learns bit), which delivery skips.
//  - state read port: rd_en/rd_addr give the state words a cycle later;
//    syn_rd_en/syn_rd_addr a synapse word (learned weights are read back),
//    tr_rd_* a learning group's or compartment's traces.
//
//===----------------------------------------------------------------------===//
module neurocore
  import neurocore_pkg::*;
#(
    // 1: the learning phase (learning_phase.sv) is built in; 0: learn_done
    // follows learn_start and the learning configuration is ignored.
    parameter int LEARNING = 0
) (
    input  logic                           clk,
    input  logic                           rst_n,
    // Configuration.
    input  logic        [ CMP_COUNT_W-1:0] cfg_num_compartments,
    input  logic                           cfg_cmp_we,      // compartment's program
    input  logic        [  CMP_ADDR_W-1:0] cfg_cmp_addr,
    input  logic        [      PROG_W-1:0] cfg_cmp_program,
    input  logic                           cfg_cmp_in_tree, // part of a tree
    input  logic        [  CMP_ADDR_W-1:0] cfg_cmp_root,    // its tree's root
    input  logic                           cfg_param_we,    // one parameter word
    input  logic        [  CMP_ADDR_W-1:0] cfg_param_cmp,
    input  logic        [ PARAM_IDX_W-1:0] cfg_param_index,
    input  logic        [            63:0] cfg_param_data,
    input  logic                           cfg_state_we,    // one state word
    input  logic        [  CMP_ADDR_W-1:0] cfg_state_cmp,
    input  logic        [ STATE_IDX_W-1:0] cfg_state_index,
    input  logic        [            31:0] cfg_state_data,
    input  logic                           cfg_prog_we,     // a program's header
    input  logic        [      PROG_W-1:0] cfg_prog_addr,
    input  logic        [            15:0] cfg_prog_len,
    input  logic        [             5:0] cfg_prog_state_bits    [STATE_WORDS],
    input  logic        [ STATE_WORDS-1:0] cfg_prog_state_signed,
    input  logic        [ STATE_WORDS-1:0] cfg_prog_state_saturate,
    input  logic        [             4:0] cfg_prog_state_count,
    input  logic                           cfg_prog_refr_enable,
    input  logic        [             3:0] cfg_prog_refr_word,
    input  logic        [             6:0] cfg_prog_refr_period,
    input  logic                           cfg_prog_skip_idle,
    input  logic        [ PARAM_WORDS-1:0] cfg_prog_idle_params,
    input  logic                           cfg_code_we,     // one instruction
    input  logic        [      PROG_W-1:0] cfg_code_prog,
    input  logic        [ INSTR_ADDR_W-1:0] cfg_code_addr,
    input  logic        [            63:0] cfg_code_data,
    input  logic                           cfg_const_we,    // one constant
    input  logic        [      PROG_W-1:0] cfg_const_prog,
    input  logic        [ CONST_IDX_W-1:0] cfg_const_index,
    input  logic        [            63:0] cfg_const_data,
    input  logic                           cfg_table_we,    // one table descriptor
    input  logic        [      PROG_W-1:0] cfg_table_prog,
    input  logic        [ TABLE_IDX_W-1:0] cfg_table_index,
    input  logic        [            63:0] cfg_table_origin,
    input  logic        [             5:0] cfg_table_shift,
    input  logic        [TABLE_ADDR_W-1:0] cfg_table_base,
    input  logic        [TABLE_LAST_W-1:0] cfg_table_last,  // entries - 1; 0: none
    input  logic                           cfg_entry_we,    // one table entry
    input  logic        [TABLE_ADDR_W-1:0] cfg_entry_addr,
    input  logic        [            31:0] cfg_entry_data,
    input  logic                           cfg_axon_we,
    input  logic        [ AXON_ADDR_W-1:0] cfg_axon_addr,
    input  logic        [  SYN_ADDR_W-1:0] cfg_axon_first_word,
    input  logic        [ SYN_COUNT_W-1:0] cfg_axon_count,
    input  logic        [     WBITS_W-1:0] cfg_axon_weight_bits,
    input  logic        [      WEXP_W-1:0] cfg_axon_weight_exp,  // two's compl.
    input  logic                           cfg_axon_has_delay,
    input  logic                           cfg_axon_learns,  // a tag field follows
    input  logic                           cfg_syn_we,
    input  logic        [  SYN_ADDR_W-1:0] cfg_syn_addr,
    input  logic        [   WORD_BITS-1:0] cfg_syn_data,
    // Learning configuration (learning_phase.sv names the registers).
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic                           cfg_learn_we,
    input  logic        [             3:0] cfg_learn_sel,
    input  logic        [            31:0] cfg_learn_addr,
    input  logic        [            63:0] cfg_learn_data,
    /* verilator lint_on UNUSEDSIGNAL */
    // The learning phase: after a step (busy low), learn_start; learn_done
    // pulses when every trace (and at an epoch's end every rule) is done.
    input  logic                           learn_start,
    output logic                           learn_done,
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
    output logic signed [            31:0] rd_state [STATE_WORDS],
    // Synapse-word read port (learned weights are read back here).
    input  logic                           syn_rd_en,
    input  logic        [  SYN_ADDR_W-1:0] syn_rd_addr,
    output logic        [   WORD_BITS-1:0] syn_rd_word,
    // Trace read port (learning builds; learning_phase.sv): a learning
    // group's x1, x2 or a compartment's y1..y3, 16 bits each.
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic                           tr_rd_en,
    input  logic                           tr_rd_cmp,
    input  logic        [            15:0] tr_rd_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    output logic        [            47:0] tr_rd_data
);
  typedef struct packed {
    logic [15:0]            len;
    logic [STATE_WORDS-1:0] state_signed;
    logic [STATE_WORDS-1:0] state_saturate;
    logic [4:0]             state_count;
    logic                   refr_enable;
    logic [3:0]             refr_word;
    logic [6:0]             refr_period;
    logic                   skip_idle;
    logic [PARAM_WORDS-1:0] idle_params;
  } header_t;

  typedef struct packed {
    logic [SYN_ADDR_W-1:0]  first_word;
    logic [SYN_COUNT_W-1:0] count;
    logic [WBITS_W-1:0]     weight_bits;
    logic [WEXP_W-1:0]      weight_exp;
    logic                   has_delay;
    logic                   learns;
  } axon_t;

  localparam int AccAddrW = SLOT_W + CMP_ADDR_W;
  localparam logic [PHASE_W-1:0] DispatchLast = PHASE_W'(DISPATCH_CYCLES - 1);
  localparam logic [PHASE_W-1:0] SynopLast = PHASE_W'(SYNOP_CYCLES - 1);

  typedef enum logic [1:0] {
    SynIdle,
    SynDispatch,
    SynOp
  } syn_state_e;

  // Memories.
  logic        [      PROG_W-1:0] prog_of  [COMPARTMENTS];
  logic                           in_tree  [COMPARTMENTS];
  logic        [  CMP_ADDR_W-1:0] root_of  [COMPARTMENTS];
  logic        [COMPARTMENTS-1:0] root_spiked;  // each root's last spike
  logic signed [            63:0] param_mem[COMPARTMENTS][PARAM_WORDS];
  logic signed [            31:0] state_mem[COMPARTMENTS][STATE_WORDS];
  header_t                        header   [PROGRAMS];
  logic        [             5:0] bits_mem [PROGRAMS][STATE_WORDS];
  logic signed [            63:0] const_mem[PROGRAMS][CONSTS];
  logic        [            63:0] code_mem [PROGRAMS][MAX_INSTR];
  logic signed [            63:0] tab_origin[PROGRAMS][TABLES];
  logic        [             5:0] tab_shift[PROGRAMS][TABLES];
  logic        [TABLE_ADDR_W-1:0] tab_base [PROGRAMS][TABLES];
  logic        [TABLE_LAST_W-1:0] tab_last [PROGRAMS][TABLES];
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
                                        (ax_q.has_delay ? DELAY_BITS : 0) +
                                        (ax_q.learns ? TAG_BITS + 1 : 0));
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
  logic u_busy, seq_start, seq_last, spiked_next, start, last_cmp, rd_fire;
  logic [CMP_ADDR_W-1:0] cmp, rd_cmp;  // compartment being updated / read next
  logic [SLOT_W-1:0] slot_next, rd_slot;
  logic [PROG_W-1:0] prog_q;
  // This compartment: in a tree, its bap, and whether it is a tree's
  // compartment other than the root (its spike is not the neuron's).
  logic in_tree_q, bap_q, mute_q;
  logic signed [63:0] params_q[PARAM_WORDS];
  logic signed [31:0] state_q[STATE_WORDS], state_next[STATE_WORDS];
  logic signed [ACC_W-1:0] accu_q;
  logic [AccAddrW-1:0] upd_acc_addr;

  logic l_busy;  // the learning phase at work
  assign start = step_start && !u_busy && s_st == SynIdle && q_count == '0 && !l_busy;
  assign busy = u_busy || s_st != SynIdle || q_count != '0 || l_busy;
  assign slot_next = int'(slot) + 1 >= RING ? '0 : slot + 1'b1;
  assign last_cmp = CMP_COUNT_W'(cmp) + 1'b1 >= cfg_num_compartments;
  // The next compartment's words are read at the edge ending this update.
  assign rd_fire = (start && cfg_num_compartments != '0) || (u_busy && seq_last && !last_cmp);
  assign rd_cmp = start ? '0 : cmp + 1'b1;
  assign rd_slot = start ? slot_next : slot;
  assign upd_acc_addr = {slot, cmp};

  /* verilator lint_off PINCONNECTEMPTY */
  neuron_program #(
      .MAX_INSTR(MAX_INSTR),
      .REGS(REGS),
      .STATE_WORDS(STATE_WORDS),
      .PARAM_WORDS(PARAM_WORDS),
      .CONSTS(CONSTS),
      .ALU_CYCLES(ALU_CYCLES),
      .MUL_CYCLES(MUL_CYCLES),
      .SPIKE_CYCLES(SPIKE_CYCLES),
      .LUT_CYCLES(LUT_CYCLES),
      .IDLE_CYCLES(UPD_INACTIVE_CYCLES),
      .TABLES(TABLES),
      .TABLE_ENTRIES(TABLE_ENTRIES),
      .TABLE_WORDS(TABLE_WORDS),
      .TABLE_ADDR_W(TABLE_ADDR_W),
      .TABLE_LAST_W(TABLE_LAST_W),
      .STACK_DEPTH(STACK_DEPTH)
  ) u_program (
      .clk(clk),
      .rst_n(rst_n),
      .start(seq_start),
      .code(code_mem[prog_q]),
      .code_len(header[prog_q].len),
      .state_bits(bits_mem[prog_q]),
      .state_signed(header[prog_q].state_signed),
      .state_saturate(header[prog_q].state_saturate),
      .state_count(header[prog_q].state_count),
      .refr_enable(header[prog_q].refr_enable),
      .refr_word(header[prog_q].refr_word),
      .refr_period(header[prog_q].refr_period),
      .skip_idle(header[prog_q].skip_idle),
      .idle_params(header[prog_q].idle_params),
      .consts(const_mem[prog_q]),
      .table_origin(tab_origin[prog_q]),
      .table_shift(tab_shift[prog_q]),
      .table_base(tab_base[prog_q]),
      .table_last(tab_last[prog_q]),
      .entry_we(cfg_entry_we),
      .entry_addr(cfg_entry_addr),
      .entry_data(cfg_entry_data),
      .params(params_q),
      .state_in(state_q),
      .q(64'(accu_q)),
      .bap(bap_q),
      .last(seq_last),
      .state_next(state_next),
      .spiked_next(spiked_next),
      .state_out(),
      .spiked(),
      .idle(),
      .done(),
      .cycles(),
      .stack_out(),
      .stack_size()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  //===--------------------------------------------------------------------===//
  // Learning phase: after the step, on learn_start; it reads and writes
  // learning synapses' words while the synapse unit is idle.
  //===--------------------------------------------------------------------===//
  logic l_syn_we;
  logic [SYN_ADDR_W-1:0] l_syn_waddr;
  logic [WORD_BITS-1:0] l_syn_wdata;
  if (LEARNING != 0) begin : g_learning
    logic [SYN_ADDR_W-1:0] l_syn_raddr;
    learning_phase u_learning (
        .clk(clk),
        .rst_n(rst_n),
        .cfg_we(cfg_learn_we),
        .cfg_sel(cfg_learn_sel),
        .cfg_addr(cfg_learn_addr),
        .cfg_data(cfg_learn_data),
        .num_compartments(cfg_num_compartments),
        .mark_axon(take),
        .mark_axon_id(take_axon),
        .mark_cmp(out_valid),
        .mark_cmp_id(out_compartment),
        .start(learn_start),
        .done(learn_done),
        .busy(l_busy),
        .syn_raddr(l_syn_raddr),
        .syn_rdata(syn_mem[l_syn_raddr]),
        .syn_we(l_syn_we),
        .syn_waddr(l_syn_waddr),
        .syn_wdata(l_syn_wdata),
        .tr_rd_en(tr_rd_en),
        .tr_rd_cmp(tr_rd_cmp),
        .tr_rd_addr(tr_rd_addr),
        .tr_rd_data(tr_rd_data)
    );
  end else begin : g_no_learning
    always_ff @(posedge clk or negedge rst_n)
      if (!rst_n) learn_done <= 1'b0;
      else learn_done <= learn_start;
    assign l_busy = 1'b0;
    assign l_syn_we = 1'b0;
    assign l_syn_waddr = '0;
    assign l_syn_wdata = '0;
    assign tr_rd_data = '0;
  end

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
      seq_start <= 1'b0;
      cmp <= '0;
      step_done <= 1'b0;
      out_valid <= 1'b0;
      out_compartment <= '0;
      root_spiked <= '0;
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
      seq_start <= rd_fire;
      if (rd_fire) cmp <= rd_cmp;
      if (start) begin
        slot <= slot_next;
        if (cfg_num_compartments == '0) step_done <= 1'b1;
        else u_busy <= 1'b1;
      end else if (u_busy && seq_last) begin
        out_valid <= spiked_next && !mute_q;
        out_compartment <= cmp;
        if (in_tree_q && !mute_q) root_spiked[cmp] <= spiked_next;
        if (last_cmp) begin
          u_busy <= 1'b0;
          step_done <= 1'b1;
        end
      end
    end
  end

  //===--------------------------------------------------------------------===//
  // Memories: configuration writes, reads, op and update writes.
  //===--------------------------------------------------------------------===//
  always_ff @(posedge clk) begin
    if (push) queue[q_tail] <= in_axon;
    if (cfg_cmp_we) begin
      prog_of[cfg_cmp_addr] <= cfg_cmp_program;
      in_tree[cfg_cmp_addr] <= cfg_cmp_in_tree;
      root_of[cfg_cmp_addr] <= cfg_cmp_root;
    end
    if (cfg_param_we) param_mem[cfg_param_cmp][cfg_param_index] <= cfg_param_data;
    if (cfg_prog_we) begin
      header[cfg_prog_addr] <= '{
          len: cfg_prog_len,
          state_signed: cfg_prog_state_signed,
          state_saturate: cfg_prog_state_saturate,
          state_count: cfg_prog_state_count,
          refr_enable: cfg_prog_refr_enable,
          refr_word: cfg_prog_refr_word,
          refr_period: cfg_prog_refr_period,
          skip_idle: cfg_prog_skip_idle,
          idle_params: cfg_prog_idle_params
      };
      bits_mem[cfg_prog_addr] <= cfg_prog_state_bits;
    end
    if (cfg_code_we) code_mem[cfg_code_prog][cfg_code_addr] <= cfg_code_data;
    if (cfg_const_we) const_mem[cfg_const_prog][cfg_const_index] <= cfg_const_data;
    if (cfg_table_we) begin
      tab_origin[cfg_table_prog][cfg_table_index] <= cfg_table_origin;
      tab_shift[cfg_table_prog][cfg_table_index] <= cfg_table_shift;
      tab_base[cfg_table_prog][cfg_table_index] <= cfg_table_base;
      tab_last[cfg_table_prog][cfg_table_index] <= cfg_table_last;
    end
    if (cfg_axon_we) begin
      axon_mem[cfg_axon_addr] <= '{
          first_word: cfg_axon_first_word,
          count: cfg_axon_count,
          weight_bits: cfg_axon_weight_bits,
          weight_exp: cfg_axon_weight_exp,
          has_delay: cfg_axon_has_delay,
          learns: cfg_axon_learns
      };
    end
    if (cfg_syn_we) syn_mem[cfg_syn_addr] <= cfg_syn_data;
    else if (l_syn_we) syn_mem[l_syn_waddr] <= l_syn_wdata;
    if (syn_rd_en) syn_rd_word <= syn_mem[syn_rd_addr];
    // Synapse unit: entry, words, accumulator read-modify-write.
    if (take) ax_q <= axon_mem[take_axon];
    if (dispatch_last) syn_q <= syn_mem[ax_q.first_word];
    else if (fetch_next) syn_q <= syn_mem[word_addr];
    if (op_first) acc_sq <= acc_mem[syn_acc_addr];
    if (s_st == SynOp && s_phase == PHASE_W'(1)) acc_mem[op_addr] <= acc_sq + op_weight;
    // Update unit: read the next compartment's words as the current one
    // ends; clear the accumulator at its last edge.
    if (rd_fire) begin
      prog_q <= prog_of[rd_cmp];
      in_tree_q <= in_tree[rd_cmp];
      bap_q <= in_tree[rd_cmp] && root_spiked[root_of[rd_cmp]];
      mute_q <= in_tree[rd_cmp] && root_of[rd_cmp] != rd_cmp;
      params_q <= param_mem[rd_cmp];
      accu_q <= acc_mem[{rd_slot, rd_cmp}];
    end
    if (u_busy && seq_last) acc_mem[upd_acc_addr] <= '0;
  end

  // Compartment state words: written by the configuration port and by the
  // update's last edge; read by the update and by the state read port.
  always_ff @(posedge clk) begin
    if (cfg_state_we) state_mem[cfg_state_cmp][cfg_state_index] <= cfg_state_data;
    else if (u_busy && seq_last) state_mem[cmp] <= state_next;
    if (rd_fire) state_q <= state_mem[rd_cmp];
    if (rd_en) rd_state <= state_mem[rd_addr];
  end
endmodule
