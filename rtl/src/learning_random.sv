//===- learning_random.sv - Counter-based random draws of learning --------===//
//
// One draw is chip::learningRandom (docs/learning.md, "Random numbers"):
// splitmix64 chained over the run's seed, the stream, the counter (step or
// epoch) and the index. One splitmix64 round per cycle (two 64-bit
// multiplies), so a draw takes DRAW_CYCLES = 4 cycles: start latches the
// key and computes the first round; done pulses with the value when the
// fourth round is registered. A new start may follow done at once.
//===----------------------------------------------------------------------===//
module learning_random (
    input  logic        clk,
    input  logic        rst,
    input  logic        start,
    input  logic [ 1:0] stream,
    input  logic [63:0] seed,
    input  logic [63:0] counter,
    input  logic [63:0] index,
    output logic        done,
    output logic [63:0] value
);
  function automatic logic [63:0] splitmix64(input logic [63:0] x);
    logic [63:0] z;
    z = x + 64'h9E3779B97F4A7C15;
    z = (z ^ (z >> 30)) * 64'hBF58476D1CE4E5B9;
    z = (z ^ (z >> 27)) * 64'h94D049BB133111EB;
    return z ^ (z >> 31);
  endfunction

  logic [1:0] round;  // the next round to run, 1..3; 0 when idle
  logic [63:0] keyCounter, keyIndex;
  logic [ 1:0] keyStream;

  always_ff @(posedge clk) begin
    done <= 1'b0;
    if (rst) begin
      round <= 2'd0;
    end else if (start) begin
      value      <= splitmix64(seed);
      keyStream  <= stream;
      keyCounter <= counter;
      keyIndex   <= index;
      round      <= 2'd1;
    end else if (round == 2'd1) begin
      value <= splitmix64(value ^ {62'd0, keyStream});
      round <= 2'd2;
    end else if (round == 2'd2) begin
      value <= splitmix64(value ^ keyCounter);
      round <= 2'd3;
    end else if (round == 2'd3) begin
      value <= splitmix64(value ^ keyIndex);
      round <= 2'd0;
      done  <= 1'b1;
    end
  end
endmodule
