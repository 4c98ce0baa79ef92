//===- SNNTypes.td - Types of the snn dialect ------------*- tablegen -*-===//
#ifndef CAJAL_DIALECT_SNN_SNNTYPES_TD
#define CAJAL_DIALECT_SNN_SNNTYPES_TD

include "cajal/Dialect/SNN/SNNDialect.td"
include "mlir/IR/AttrTypeBase.td"

class SNN_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<SNN_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def SNN_SpikesType : SNN_Type<"Spikes", "spikes"> {
  let summary = "The spike vector of a population or a source";
  let description = [{
    One bit per neuron (or source channel) and time step. The shape is the
    population's shape; connectivity rules index neurons in row-major order.
    Every dimension is >= 1 and the product (the number of neurons) is at
    most 2^32 - 1, computed without overflow: neuron indices are 32-bit.

    ```mlir
    !snn.spikes<3200>        // a flat population
    !snn.spikes<16x16x16>    // channels x height x width, for conv2d
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t", "shape">:$shape);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of neurons: the product of the shape.
    int64_t getSize() const;
    /// The most neurons a spike vector may have (indices are 32-bit).
    static constexpr int64_t kMaxSize = 4294967295;
  }];
}

#endif // CAJAL_DIALECT_SNN_SNNTYPES_TD
