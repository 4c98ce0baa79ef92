// Izhikevich neurons on a programmable neurocore: regular-spiking cells
// driven by bias currents excite fast-spiking cells.
//
// Izhikevich (IEEE Trans. Neural Netw. 14(6), 2003): v and u in mV, 1 ms
// steps (dt = 1 ms, which the neurocore program assumes). Eight
// regular-spiking cells (a = 0.02, b = 0.2, c = -65 mV, d = 8) take bias
// currents from 4 to 14 mV/ms, an f-I curve from about 7 to 27 Hz; four
// fast-spiking cells (a = 0.1, d = 2) take 3 to 6 mV/ms, and each spike of
// a regular-spiking cell adds 3 mV/ms to their current for one step. The
// model runs as the izhikevich program of docs/neurocore-isa.md, so it
// needs a programmable profile: loihi2 (loihi1 refuses it). The chip's
// integers follow the model in double precision: the spike count of each
// population agrees within 2 % (tests/unit/compiler/ModelsTest.cpp).
//
// Run:
//   cajal compile examples/izhikevich.mlir -o iz.cjimg --profile loihi2 --report fit.json
//   cajal run iz.cjimg --steps 1000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes rs >= 125
//   spikes fs >= 105
snn.network @izhikevich attributes {dt = 1.0e-3 : f64} {
  %rs = snn.population @rs {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 2.0e-2, b = 2.0e-1, c = -65.0, d = 8.0, bias = array<f64: 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 14.0>>} : !snn.spikes<8>
  %fs = snn.population @fs {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 1.0e-1, b = 2.0e-1, c = -65.0, d = 2.0, bias = array<f64: 3.0, 4.0, 5.0, 6.0>>} : !snn.spikes<4>
  snn.projection @rs_fs %rs -> %fs {connectivity = #snn.dense<dense<3.0> : tensor<4x8xf64>>} : !snn.spikes<8> -> !snn.spikes<4>
  snn.probe %rs {kind = #snn.probe_kind<spikes>} : !snn.spikes<8>
  snn.probe %fs {kind = #snn.probe_kind<spikes>} : !snn.spikes<4>
}
