//===- neuron_program.sv - Micro-sequencer and fixed-point ALU ------------===//
//
// Runs one compartment's neurocore program (docs/neurocore-isa.md), one
// instruction slot at a time, bit-exact with the reference interpreter
// (chip/lib/NeurocoreInterpreter.cpp). A slot lasts its cost class's cycles
// (ALU_CYCLES, MUL_CYCLES, SPIKE_CYCLES, LUT_CYCLES, from the profile); its
// result is committed on the slot's last cycle. Every slot issues, also
// after REFR halts the program (the halted slots commit nothing), so an
// active update costs the same cycles whatever its data: the sum over the
// program. An idle update (the program's idle rule holds) commits nothing
// and lasts IDLE_CYCLES.
//
// Protocol (no cycle of overhead, so that an update costs exactly its
// program's price): `start` marks an update's first cycle, in which the
// program, the words and q must be valid; they stay valid until the update
// ends. The first slot executes in that cycle, reading state_in directly.
// `last` is high in the update's final cycle, with `state_next` and
// `spiked_next` (combinational: the words and the spike flag after that
// cycle's commit); a neurocore writes them back at that edge and may start
// the next update in the following cycle. For a harness, the same values are
// registered: `done` pulses in the cycle after `last` with state_out,
// spiked, idle and `cycles` (the slots' cycles of this update, 0 if idle).
//
// Sizes are parameters (the neurocore's package gives them from the
// profile's isa.* fields); operand indices are 4 bits, so a read past a
// table's size gives 0 (the loader's validator keeps programs inside the
// tables).
//
// Lookup tables (LUT): the program's tables are TABLES descriptors (origin,
// shift, base, last = entries - 1; last 0 is no table) into the table-entry
// memory, TABLE_WORDS 32-bit entries held here (written through the entry
// port, one per cycle; in a neurocore, every program slot's tables at
// absolute bases) and read combinationally like the code. A LUT reads the
// two entries around a and interpolates with the multiplier's semantics,
// exactly as isa::lookup: the clamp of a - origin is a 65-bit subtraction
// (no wrap), the product of the 33-bit difference and the fraction (at
// most 2^46) is exact.
//
// Dendritic trees (PUSH, POP, AND, OR, the input bap): the tree stack,
// STACK_DEPTH 64-bit entries and a stack pointer, lives here, next to the
// ALU that reads PUSH's operand and writes POP's destination in the same
// slot. It is not cleared by `start`: it persists across the updates of one
// neuron's compartments, which a neurocore runs back to back, root last. A
// valid tree (chip::validateTree) leaves it empty after its root and a
// point neuron's program neither pushes nor pops, so it is empty before the
// next neuron's first compartment without a clear, exactly as the SystemC
// core's one stack. Like every write, a PUSH or POP takes effect when its
// slot commits: the halted slots after REFR commit nothing (and a validated
// program has no PUSH or POP after REFR, nor an idle skip). A POP of an
// empty stack reads 0 (as chip::interpret); a PUSH onto a full one is
// dropped, which a tree within isa.stackDepth never does. AND and OR are
// logical (a 0/1 result). bap is an input, valid for the whole update: the
// neurocore gives each compartment its tree root's spike of the previous
// step. Tree instructions are ALU slots (ALU_CYCLES). STACK_DEPTH is at
// least 1 (a profile without trees keeps one unused entry).
//
//===----------------------------------------------------------------------===//
module neuron_program #(
    parameter int MAX_INSTR = 64,
    parameter int REGS = 8,
    parameter int STATE_WORDS = 8,
    parameter int PARAM_WORDS = 16,
    parameter int CONSTS = 16,
    parameter int ALU_CYCLES = 1,
    parameter int MUL_CYCLES = 1,
    parameter int SPIKE_CYCLES = 1,
    parameter int LUT_CYCLES = 1,
    parameter int IDLE_CYCLES = 1,
    parameter int TABLES = 8,  // lookup tables per program (at least 1)
    parameter int TABLE_ENTRIES = 2048,  // entries of one program's tables
    parameter int TABLE_WORDS = TABLE_ENTRIES,  // the entry memory indexed
    parameter int TABLE_ADDR_W = TABLE_WORDS > 1 ? $clog2(TABLE_WORDS) : 1,
    parameter int TABLE_LAST_W = TABLE_ENTRIES > 1 ? $clog2(TABLE_ENTRIES) : 1,
    parameter int STACK_DEPTH = 1,  // tree stack entries (at least 1)
    parameter int STACK_W = $clog2(STACK_DEPTH + 1)  // holds 0 .. STACK_DEPTH
) (
    input  logic                    clk,
    input  logic                    rst_n,
    input  logic                    start,
    // The program: code and header.
    input  logic        [     63:0] code          [  MAX_INSTR],
    input  logic        [     15:0] code_len,
    input  logic        [      5:0] state_bits    [STATE_WORDS],
    input  logic [STATE_WORDS-1:0]  state_signed,
    input  logic [STATE_WORDS-1:0]  state_saturate,
    input  logic        [      4:0] state_count,
    input  logic                    refr_enable,
    input  logic        [      3:0] refr_word,
    input  logic        [      6:0] refr_period,
    input  logic                    skip_idle,
    input  logic [PARAM_WORDS-1:0]  idle_params,
    input  logic signed [     63:0] consts        [     CONSTS],
    input  logic signed [     63:0] table_origin  [     TABLES],
    input  logic        [      5:0] table_shift   [     TABLES],
    input  logic [TABLE_ADDR_W-1:0] table_base    [     TABLES],
    input  logic [TABLE_LAST_W-1:0] table_last    [     TABLES],
    // One entry of the table-entry memory, written at the clock edge.
    input  logic                    entry_we,
    input  logic [TABLE_ADDR_W-1:0] entry_addr,
    input  logic signed [     31:0] entry_data,
    // This compartment.
    input  logic signed [     63:0] params        [PARAM_WORDS],
    input  logic signed [     31:0] state_in      [STATE_WORDS],
    input  logic signed [     63:0] q,
    input  logic                    bap,  // the tree root spiked last step
    // The update's final cycle and what it leaves.
    output logic                    last,
    output logic signed [     31:0] state_next    [STATE_WORDS],
    output logic                    spiked_next,
    // Registered, for a harness: valid while `done` is high.
    output logic signed [     31:0] state_out     [STATE_WORDS],
    output logic                    spiked,
    output logic                    idle,
    output logic                    done,
    output logic        [     31:0] cycles,
    // The tree stack, for a harness: its entries and how many are in use.
    output logic signed [     63:0] stack_out     [STACK_DEPTH],
    output logic        [STACK_W-1:0] stack_size
);
  typedef logic signed [63:0] word_t;
  typedef logic signed [127:0] wide_t;

  localparam logic [5:0] OpMov = 6'd1, OpAdd = 6'd2, OpSub = 6'd3, OpMulShr = 6'd4;
  localparam logic [5:0] OpDecay = 6'd5, OpShl = 6'd6, OpShr = 6'd7, OpMin = 6'd8;
  localparam logic [5:0] OpMax = 6'd9, OpClip = 6'd10, OpSat = 6'd11, OpWrap = 6'd12;
  localparam logic [5:0] OpCmpGt = 6'd13, OpCmpGe = 6'd14, OpCmpEq = 6'd15, OpSel = 6'd16;
  localparam logic [5:0] OpRefr = 6'd17, OpFire = 6'd18, OpLut = 6'd19;
  localparam logic [5:0] OpPush = 6'd32, OpPop = 6'd33, OpAnd = 6'd34, OpOr = 6'd35;
  localparam logic [2:0] KindReg = 3'd1, KindState = 3'd2, KindParam = 3'd3;
  localparam logic [2:0] KindConst = 3'd4, KindInput = 3'd5;
  localparam int MulBits = 48;  // isa::kMultiplierBits
  localparam int PcW = $clog2(MAX_INSTR + 1);
  // Index widths of the tables (at least one bit).
  localparam int InstrW = MAX_INSTR > 1 ? $clog2(MAX_INSTR) : 1;
  localparam int RegW = REGS > 1 ? $clog2(REGS) : 1;
  localparam int StateW = STATE_WORDS > 1 ? $clog2(STATE_WORDS) : 1;
  localparam int ParamW = PARAM_WORDS > 1 ? $clog2(PARAM_WORDS) : 1;
  localparam int ConstW = CONSTS > 1 ? $clog2(CONSTS) : 1;
  localparam int TableW = TABLES > 1 ? $clog2(TABLES) : 1;

  typedef enum logic [1:0] {
    Off,
    Run,
    IdleWait
  } phase_t;

  // Registered machine; the *_cur values are what this cycle sees (at
  // `start`, a fresh update: the words in, zero registers, pc 0).
  phase_t phase;
  word_t regs[REGS], regs_cur[REGS];
  logic signed [31:0] st[STATE_WORDS], st_cur[STATE_WORDS];
  logic [PcW-1:0] pc, pc_cur;
  logic [31:0] wait_cnt, wait_cur, spent, slot_cycles;
  logic halted, halted_cur, fired, fired_cur, idle_upd, is_idle;

  always_comb begin
    regs_cur = regs;
    st_cur = st;
    pc_cur = pc;
    wait_cur = wait_cnt;
    halted_cur = halted;
    fired_cur = fired;
    if (start) begin
      for (int i = 0; i < REGS; i++) regs_cur[i] = 0;
      st_cur = state_in;
      pc_cur = '0;
      wait_cur = 0;
      halted_cur = 1'b0;
      fired_cur = 1'b0;
    end
  end

  // The table-entry memory.
  logic signed [31:0] table_words[TABLE_WORDS];
  always_ff @(posedge clk) if (entry_we) table_words[entry_addr] <= entry_data;

  // The tree stack: entries 0 .. sp - 1 hold values, the top at sp - 1.
  word_t stack[STACK_DEPTH];
  logic [STACK_W-1:0] sp;
  localparam int StackIdxW = STACK_DEPTH > 1 ? $clog2(STACK_DEPTH) : 1;

  // ---- table reads: indexed, 0 past the table's size ---------------------
  function automatic word_t reg_at(input logic [3:0] i);
    return int'(i) < REGS ? regs_cur[i[RegW-1:0]] : 0;
  endfunction
  function automatic logic signed [31:0] st_at(input logic [3:0] i);
    return int'(i) < STATE_WORDS ? st_cur[i[StateW-1:0]] : 0;
  endfunction
  function automatic logic [5:0] bits_at(input logic [3:0] i);
    return int'(i) < STATE_WORDS ? state_bits[i[StateW-1:0]] : 6'd32;
  endfunction
  function automatic logic signed_at(input logic [3:0] i);
    return int'(i) < STATE_WORDS ? state_signed[i[StateW-1:0]] : 1'b0;
  endfunction
  function automatic logic saturate_at(input logic [3:0] i);
    return int'(i) < STATE_WORDS ? state_saturate[i[StateW-1:0]] : 1'b0;
  endfunction
  function automatic word_t param_at(input logic [3:0] i);
    return int'(i) < PARAM_WORDS ? params[i[ParamW-1:0]] : 0;
  endfunction
  function automatic word_t const_at(input logic [3:0] i);
    return int'(i) < CONSTS ? consts[i[ConstW-1:0]] : 0;
  endfunction

  // ---- reads and writes of words, as the interpreter's Machine -----------
  function automatic word_t read_state(input logic [3:0] i);
    return signed_at(i) ? word_t'(st_at(i)) : word_t'({32'b0, st_at(i)});
  endfunction

  // Wrap or saturate to the word's declared width (1..32 bits).
  function automatic logic signed [31:0] narrow(input word_t v, input logic [3:0] i);
    word_t lo, hi, mask, r;
    logic [5:0] bits;
    bits = bits_at(i);
    mask = (word_t'(1) <<< bits) - 1;
    if (saturate_at(i)) begin
      lo = signed_at(i) ? -(word_t'(1) <<< (bits - 1)) : 0;
      hi = signed_at(i) ? (word_t'(1) <<< (bits - 1)) - 1 : mask;
      r  = v < lo ? lo : (v > hi ? hi : v);
    end else begin
      r = v & mask;
      // A conditional, not `if (...) r = ...;`: Verilator 5.006 does not count
      // the coverage point of that form (docs/neurocore.md).
      r = signed_at(i) && r[bits-1] ? r | ~mask : r;
    end
    return r[31:0];
  endfunction

  function automatic word_t read(input logic [6:0] operand);
    word_t value;
    case (operand[6:4])
      KindReg: value = reg_at(operand[3:0]);
      KindState: value = read_state(operand[3:0]);
      KindParam: value = param_at(operand[3:0]);
      KindConst: value = const_at(operand[3:0]);
      // q, spiked, bap (the interpreter reads bap for every other index)
      KindInput:
      value = operand[3:0] == 4'd0 ? q : word_t'({63'b0, operand[3:0] == 4'd1 ? fired_cur : bap});
      default: value = 0;
    endcase
    return value;
  endfunction

  // The multiplier's ports are MulBits wide: the high bits are dropped.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic wide_t mul_port(input word_t x);
    return wide_t'(signed'(x[MulBits-1:0]));
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  function automatic word_t mul_shr(input word_t a, input word_t b, input logic [5:0] k,
                                    input logic [1:0] rounding);
    wide_t p, m;
    p = mul_port(a) * mul_port(b);
    case (rounding)
      2'd1: begin  // toward zero
        m = (p < 0 ? -p : p) >>> k;
        p = p < 0 ? -m : m;
      end
      2'd2: p = k == 0 ? p : (p + (wide_t'(1) <<< (k - 1))) >>> k;  // half up
      default: p = p >>> k;  // floor
    endcase
    return p[63:0];
  endfunction

  // The result keeps the low 64 bits of the exact value, as the interpreter.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic word_t decay(input word_t a, input word_t d, input logic [5:0] k);
    wide_t x, scale, t, m;
    x = mul_port(a);
    scale = (wide_t'(1) <<< k) - mul_port(d);
    t = (x < 0 ? -x : x) * scale;
    m = t < 0 ? -((-t) >>> k) : t >>> k;
    return x < 0 ? -m[63:0] : m[63:0];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  /* verilator lint_off UNUSEDSIGNAL */
  // An entry of the table memory; 0 outside it.
  function automatic word_t entry_at(input int addr);
    return addr >= 0 && addr < TABLE_WORDS ? word_t'(table_words[addr[TABLE_ADDR_W-1:0]])
                                           : 0;
  endfunction

  // Table t at a, interpolated and rounded half up (isa::lookup); 0 for a
  // table the program does not declare (index past TABLES, or last 0), as
  // one conditional so that no unreachable branch is left in the sequencer.
  function automatic word_t lookup(input word_t a, input logic [5:0] t);
    wide_t x, span, k, fraction, p;
    word_t low, high;
    logic [5:0] shift;
    logic declared;
    int n, last_k, at;
    n = int'(table_last[t[TableW-1:0]]);
    declared = int'(t) < TABLES && n != 0;
    shift = table_shift[t[TableW-1:0]];
    span = wide_t'(n) <<< shift;
    x = wide_t'(a) - wide_t'(table_origin[t[TableW-1:0]]);  // exact: no wrap
    x = x < 0 ? 0 : (x > span ? span : x);
    k = x >>> shift;
    last_k = n - 1;  // the last segment also takes x = span
    k = k > wide_t'(last_k) ? wide_t'(last_k) : k;
    fraction = x - (k <<< shift);
    at = int'(table_base[t[TableW-1:0]]) + int'(k[31:0]);
    low = entry_at(at);
    high = entry_at(at + 1);
    p = mul_port(high - low) * mul_port(fraction[63:0]);
    p = shift == 0 ? p : (p + (wide_t'(1) <<< (shift - 1))) >>> shift;
    return declared ? low + p[63:0] : 0;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  function automatic word_t wrap_to(input word_t a, input logic [5:0] bits);
    word_t mask, r;
    mask = (word_t'(1) <<< bits) - 1;
    r = a & mask;
    return r[bits-1] ? r | ~mask : r;
  endfunction

  // ---- the current slot, decoded -----------------------------------------
  /* verilator lint_off UNUSEDSIGNAL */
  logic [63:0] instr;  // bits 63..42 are reserved zero (the loader checks)
  /* verilator lint_on UNUSEDSIGNAL */
  logic [5:0] op, imm;
  logic [6:0] od, oa, ob, oc;
  logic [1:0] mode;
  word_t a, b, c, result, limit;
  logic write_d, halt_now, fire_now, write_counter, push_now, pop_now;
  word_t counter_value;

  always_comb begin
    instr = int'(pc_cur) < MAX_INSTR ? code[pc_cur[InstrW-1:0]] : 64'b0;
    op = instr[5:0];
    od = instr[12:6];
    oa = instr[19:13];
    ob = instr[26:20];
    oc = instr[33:27];
    imm = instr[39:34];
    mode = instr[41:40];
    a = read(oa);
    b = read(ob);
    c = read(oc);
    result = 0;
    write_d = 1'b1;
    halt_now = 1'b0;
    fire_now = 1'b0;
    write_counter = 1'b0;
    push_now = 1'b0;
    pop_now = 1'b0;
    counter_value = read_state(refr_word) - 1;
    limit = (word_t'(1) <<< imm) - 1;
    case (op)
      OpMov: result = a;
      OpAdd: result = a + b;
      OpSub: result = a - b;
      OpMulShr: result = mul_shr(a, b, imm, mode);
      OpDecay: result = decay(a, b, imm);
      OpShl: result = a <<< imm;
      OpShr: result = a >>> imm;
      OpMin: result = a < b ? a : b;
      OpMax: result = a > b ? a : b;
      OpClip: begin  // min(max(a, b), c): c wins when b > c
        result = a < b ? b : a;
        result = result > c ? c : result;
      end
      OpSat: result = a > limit ? limit : (a < -limit ? -limit : a);
      OpWrap: result = wrap_to(a, imm);
      OpCmpGt: result = word_t'(a > b);
      OpCmpGe: result = word_t'(a >= b);
      OpCmpEq: result = word_t'(a == b);
      OpSel: result = a != 0 ? b : c;
      OpRefr: begin
        // Counting down: v = 0, counter - 1, the rest of the slots halted.
        write_d = read_state(refr_word) > 0;
        halt_now = write_d;
        write_counter = write_d;
      end
      OpFire: begin
        fire_now = mode != 2'd2 && a > b;
        result = !fire_now ? a : (mode == 2'd0 ? 0 : (mode == 2'd1 ? a - b : c));
        write_counter = fire_now && refr_enable;
        if (fire_now) counter_value = read(refr_period);
      end
      OpLut: result = lookup(a, imm);
      OpPush: begin  // a onto the stack; no destination
        write_d = 1'b0;
        push_now = 1'b1;
      end
      OpPop: begin  // the top, removed; 0 from an empty stack
        pop_now = 1'b1;
        result = sp != '0 ? stack[StackIdxW'(sp - 1'b1)] : 0;
      end
      OpAnd: result = word_t'(a != 0 && b != 0);
      OpOr: result = word_t'(a != 0 || b != 0);
      default: write_d = 1'b0;  // NOP
    endcase
  end

  // Cycles of the slot at pc, by cost class.
  always_comb begin
    case (op)
      OpMulShr, OpDecay: slot_cycles = MUL_CYCLES;
      OpRefr, OpFire: slot_cycles = SPIKE_CYCLES;
      OpLut: slot_cycles = LUT_CYCLES;
      default: slot_cycles = ALU_CYCLES;
    endcase
  end

  always_comb begin
    is_idle = skip_idle && q == 0;
    for (int i = 0; i < STATE_WORDS; i++)
      if (5'(i) < state_count && state_in[i] != 0) is_idle = 1'b0;
    for (int i = 0; i < PARAM_WORDS; i++) if (idle_params[i] && params[i] != 0) is_idle = 1'b0;
  end

  // ---- this cycle: commit, next words, end of the update ------------------
  logic running, slot_end, commit, idle_first;
  word_t regs_next[REGS];
  always_comb begin
    idle_first = start && is_idle;
    running = (start && !is_idle) || (!start && phase == Run);
    slot_end = running && wait_cur + 1 >= slot_cycles;
    commit = slot_end && !halted_cur;
    regs_next = regs_cur;
    state_next = st_cur;
    if (commit && write_d && od[6:4] == KindReg)
      for (int k = 0; k < REGS; k++) if (od[3:0] == 4'(k)) regs_next[k] = result;
    if (commit && write_d && od[6:4] == KindState)
      for (int k = 0; k < STATE_WORDS; k++)
        if (od[3:0] == 4'(k)) state_next[k] = narrow(result, od[3:0]);
    // The counter write follows d's, as in the interpreter.
    if (commit && write_counter)
      for (int k = 0; k < STATE_WORDS; k++)
        if (refr_word == 4'(k)) state_next[k] = narrow(counter_value, refr_word);
    spiked_next = fired_cur || (commit && fire_now);
    if (idle_first || (!start && phase == IdleWait))
      last = wait_cur + 1 >= IDLE_CYCLES;
    else last = slot_end && 16'(pc_cur) + 16'd1 == code_len;
  end

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      phase <= Off;
      pc <= '0;
      halted <= 1'b0;
      fired <= 1'b0;
      spent <= 0;
      wait_cnt <= 0;
      done <= 1'b0;
      idle <= 1'b0;
      idle_upd <= 1'b0;
      sp <= '0;
    end else begin
      done <= last;
      halted <= halted_cur || (commit && halt_now);
      if (commit && push_now && int'(sp) < STACK_DEPTH) sp <= sp + 1'b1;
      if (commit && pop_now && sp != '0) sp <= sp - 1'b1;
      fired <= spiked_next;
      if (start) begin
        idle_upd <= is_idle;
        spent <= 0;
      end
      if (running) spent <= (start ? 0 : spent) + 1;
      if (last) begin
        idle <= start ? is_idle : idle_upd;
        phase <= Off;
        wait_cnt <= 0;
      end else if (idle_first || (!start && phase == IdleWait)) begin
        phase <= IdleWait;
        wait_cnt <= wait_cur + 1;
      end else if (running) begin
        phase <= Run;
        wait_cnt <= slot_end ? 0 : wait_cur + 1;
        pc <= slot_end ? pc_cur + 1'b1 : pc_cur;
      end
    end
  end

  // Words and registers: no reset (a `start` loads them).
  always_ff @(posedge clk) begin
    if (running) regs <= regs_next;
    if (start || running) st <= state_next;
    if (commit && push_now && int'(sp) < STACK_DEPTH) stack[StackIdxW'(sp)] <= a;
  end

  assign state_out = st;
  assign spiked = fired;
  assign cycles = spent;
  assign stack_out = stack;
  assign stack_size = sp;
endmodule
