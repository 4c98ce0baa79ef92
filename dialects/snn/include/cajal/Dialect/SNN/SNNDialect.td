//===- SNNDialect.td - The snn dialect: spiking networks -*- tablegen -*-===//
//
// The snn dialect describes a spiking neural network independently of any
// chip: populations of neurons with their model parameters, spike sources,
// projections with symbolic connectivity, and probes.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_DIALECT_SNN_SNNDIALECT_TD
#define CAJAL_DIALECT_SNN_SNNDIALECT_TD

include "mlir/IR/OpBase.td"

def SNN_Dialect : Dialect {
  let name = "snn";
  let cppNamespace = "::cajal::snn";
  let summary = "Spiking neural networks: populations, sources, projections";
  let description = [{
    The `snn` dialect holds a spiking network as the user (or a NIR importer)
    describes it, before anything is known about the chip. A network is an
    `snn.network` symbol table whose body is a graph region, so recurrent
    connections are written naturally:

    ```mlir
    snn.network @net attributes {dt = 1.0e-3 : f64} {
      %in = snn.input @in : !snn.spikes<100>
      %exc = snn.population @exc {model = #snn.model<lif>,
          params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>}
          : !snn.spikes<400>
      snn.projection @in_exc %in -> %exc {
          connectivity = #snn.fixed_prob<p = 1.0e-1, seed = 1, weight = 5.0e-1>}
          : !snn.spikes<100> -> !snn.spikes<400>
      snn.probe %exc {kind = #snn.probe_kind<spikes>} : !snn.spikes<400>
    }
    ```

    Neuron parameters move through three stages, each its own attribute:
    `#snn.continuous` (seconds, NIR units) -> `#snn.discrete` (per time step,
    `snn-discretize`) -> `#snn.quantized` (the chip's integers,
    `snn-quantize`). Connectivity stays symbolic (rules, kernels, resource
    blobs) until the chip image is written.
  }];
  // The regions of snn.neuron_model hold arith and math operations.
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    void registerTypes();
  }];
}

#endif // CAJAL_DIALECT_SNN_SNNDIALECT_TD
