//===- NCDialect.td - The nc dialect: neurocores ----------*- tablegen -*-===//
//
// The nc dialect describes a network mapped onto a Loihi-like chip: cores
// holding slices of populations and the synapses that feed them, their mesh
// coordinates, and the routes between cores.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_DIALECT_NC_NCDIALECT_TD
#define CAJAL_DIALECT_NC_NCDIALECT_TD

include "mlir/IR/OpBase.td"

def NC_Dialect : Dialect {
  let name = "nc";
  let cppNamespace = "::cajal::nc";
  let summary = "Neurocores: a spiking network mapped onto a chip";
  let description = [{
    `convert-snn-to-nc` turns each virtual core that `snn-partition` chose
    into an `nc.core` holding `nc.compartments` (a slice of a population,
    with its quantized parameters) and `nc.synapses` (the part of a
    projection that feeds that slice). `nc-place` gives each core mesh
    coordinates, `nc-route` adds `nc.route` ops with axon counts and hops,
    and `nc-emit-image` writes the chip image, materialising synapses one
    core at a time from the symbolic connectivity of the `snn.network` the
    chip refers to.

    ```mlir
    nc.chip @chip attributes {network = @net, profile = "loihi1"} {
      nc.core @c0 attributes {x = 0 : i64, y = 0 : i64, slot = 0 : i64} {
        nc.compartments @net::@exc [0, 400) {model = #snn.model<lif>,
            params = #snn.quantized<...>}
        nc.synapses @net::@in_exc from [0, 100) to [0, 400)
      }
      nc.route @c0 -> @c0 {axons = 400 : i64, hops = 0 : i64}
    }
    ```
  }];
  let dependentDialects = ["::cajal::snn::SNNDialect"];
}

#endif // CAJAL_DIALECT_NC_NCDIALECT_TD
