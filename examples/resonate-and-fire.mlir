// Resonate-and-fire neurons (Izhikevich 2001; Lava's RF process) compiled
// from their equations: a damped oscillator that spikes when it swings
// through a threshold.
//
// z = x + i y, dz/dt = (b + i w) z + I, with b = -0.05 /ms (damping) and
// w = 2 pi 0.05 rad/ms (50 Hz); a spike when y crosses 1 upwards in a step
// (snn.previous), no reset. The system is linear, so snn-discretize-equations
// takes the exact step (the propagator exp(M dt) of the augmented system,
// dt = 0.1 ms). Three neurons held at constant currents of 0.15, 0.3 and 0.5:
// the first stays below threshold (about 0.2005 for a step of current), the
// others ring through it a few times and then settle. A clock kicks a fourth
// neuron every 20 ms, the resonance period (a spike of weight 10 adds 10 /ms
// to dx/dt for one step: x jumps by about 1); the kicks add up to an
// oscillation that crosses the threshold on every cycle, where one kick
// alone would not.
//
// Run:
//   cajal compile examples/resonate-and-fire.mlir -o rf.cjimg --profile loihi2 --report fit.json
//   cajal run rf.cjimg --steps 10000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes driven >= 1
//   spikes kicked >= 40
snn.neuron_model @resonator
    states(%x = 0.0 [-8.0, 8.0], %y = 0.0 [-8.0, 8.0])
    params(%b = -5.0e-2, %w = 3.14159265358979e-1, %vth = 1.0, %i_bias = 0.0)
    input(%i [-10.0, 10.0]) time_unit 1.0e-3 solver exact
dynamics {
  %bx = arith.mulf %b, %x : f64
  %wy = arith.mulf %w, %y : f64
  %rot = arith.subf %bx, %wy : f64
  %drive = arith.addf %rot, %i_bias : f64
  %dx = arith.addf %drive, %i : f64
  %wx = arith.mulf %w, %x : f64
  %by = arith.mulf %b, %y : f64
  %dy = arith.addf %wx, %by : f64
  snn.derivatives %dx, %dy : f64, f64
} spike {
  %before = snn.previous %y
  %above = arith.cmpf oge, %y, %vth : f64
  %below = arith.cmpf olt, %before, %vth : f64
  %up = arith.andi %above, %below : i1
  snn.yield %up : i1
}

snn.network @rf attributes {dt = 1.0e-4 : f64} {
  %clock = snn.periodic_source @clock {period = 200 : i64, phase = 0 : i64} : !snn.spikes<1>
  %driven = snn.population @driven {model = #snn.model<equations>, params = #snn.equations<@resonator, {i_bias = array<f64: 1.5e-1, 3.0e-1, 5.0e-1>}>} : !snn.spikes<3>
  %kicked = snn.population @kicked {model = #snn.model<equations>, params = #snn.equations<@resonator, {}>} : !snn.spikes<1>
  snn.projection @kick %clock -> %kicked {connectivity = #snn.dense<dense<10.0> : tensor<1x1xf64>>} : !snn.spikes<1> -> !snn.spikes<1>
  snn.probe %driven {kind = #snn.probe_kind<spikes>} : !snn.spikes<3>
  snn.probe %kicked {kind = #snn.probe_kind<spikes>} : !snn.spikes<1>
}
