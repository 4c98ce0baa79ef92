//===- Passes.td - Conversions between Cajal dialects -----*- tablegen -*-===//
#ifndef CAJAL_CONVERSION_PASSES_TD
#define CAJAL_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSNNToNC : Pass<"convert-snn-to-nc", "::mlir::ModuleOp"> {
  let summary = "Build an nc.chip from each partitioned snn.network";
  let description = [{
    For every partitioned snn.network `@net` (populations carry `slices` and
    `cores`), adds `nc.chip @net_chip {network = @net, profile = ...}` after
    it: one `nc.core @cN` per virtual core holding `nc.compartments` (the
    population slices, parameters cut to the slice) and `nc.synapses` (for
    each projection onto a slice, the pre range it draws from and its input
    axons), and one `nc.route` per pair of cores that exchange spikes, with
    the number of axons. The partitioner is run again (it is deterministic)
    to number axons; the annotations must agree with it. The snn.network is
    kept: synapses stay symbolic until nc-emit-image.

    Before:
    ```mlir
    snn.network @net {
      %e = snn.population @e {cores = array<i64: 0>, slices = array<i64: 0, 8>,
                              ...} : !snn.spikes<8>
      snn.projection @ee %e -> %e {...}
    }
    ```
    After (added):
    ```mlir
    nc.chip @net_chip attributes {network = @net, profile = "loihi1"} {
      nc.core @c0 {
        nc.compartments @net::@e [0, 8) {model = ..., params = ...}
        nc.synapses @net::@ee from [0, 8) to [0, 8) {axons = 8 : i64}
      }
      nc.route @c0 -> @c0 {axons = 8 : i64}
    }
    ```
  }];
  let dependentDialects = ["::cajal::nc::NCDialect"];
  let options = [
    Option<"profile", "profile", "std::string", "\"loihi1\"",
           "architecture profile: a name in the profile directory or a path">,
    Option<"pack", "pack", "bool", "true",
           "let several small slices share a core (as in snn-partition)">
  ];
}

#endif // CAJAL_CONVERSION_PASSES_TD
