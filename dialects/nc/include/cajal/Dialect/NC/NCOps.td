//===- NCOps.td - Operations of the nc dialect -----------*- tablegen -*-===//
#ifndef CAJAL_DIALECT_NC_NCOPS_TD
#define CAJAL_DIALECT_NC_NCOPS_TD

include "cajal/Dialect/NC/NCDialect.td"
include "cajal/Dialect/SNN/SNNAttributes.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/SymbolInterfaces.td"

class NC_Op<string mnemonic, list<Trait> traits = []>
    : Op<NC_Dialect, mnemonic, traits>;

def NC_ChipOp : NC_Op<"chip", [
    Symbol, SymbolTable, NoTerminator, SingleBlock, NoRegionArguments,
    DeclareOpInterfaceMethods<RegionKindInterface>]> {
  let summary = "A chip (or system of chips) of one profile";
  let description = [{
    A symbol table of `nc.core` and `nc.route` ops. `profile` names the
    architecture profile (a name in chip/profiles or a path); `network` the
    `snn.network` whose populations and projections the cores implement. No
    two cores may share a mesh position (x, y, slot).

    ```mlir
    nc.chip @chip attributes {network = @net, profile = "loihi1"} {
      nc.core @c0 {
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$profile,
                   FlatSymbolRefAttr:$network);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block *getBodyBlock() { return &getBody().front(); }
  }];
}

def NC_CoreOp : NC_Op<"core", [
    Symbol, HasParent<"ChipOp">, NoTerminator, SingleBlock,
    NoRegionArguments]> {
  let summary = "One neurocore: compartments and the synapses that feed them";
  let description = [{
    Compartments are numbered in the order of the `nc.compartments` ops.
    `x`, `y` (tile on the mesh) and `slot` (core within the tile) are set
    by `nc-place`: all three or none. `nc-emit-image` checks them against
    the profile's mesh with the image loader's own check.

    ```mlir
    nc.core @c1 attributes {x = 1 : i64, y = 0 : i64, slot = 2 : i64} {
      nc.compartments @net::@exc [512, 1024) {model = #snn.model<lif>,
          params = #snn.quantized<...>}
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                   OptionalAttr<Cajal_I64Attr>:$x,
                   OptionalAttr<Cajal_I64Attr>:$y,
                   OptionalAttr<Cajal_I64Attr>:$slot);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block *getBodyBlock() { return &getBody().front(); }
    bool isPlaced() { return getX().has_value(); }
    /// Compartments used: the sum of the slices' sizes.
    int64_t getCompartmentCount();
  }];
}

def NC_CompartmentsOp : NC_Op<"compartments", [
    HasParent<"CoreOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "A slice [begin, end) of a population on this core";
  let description = [{
    Neurons `begin` to `end - 1` of the population, with the model and the
    quantized parameters (`#snn.izhikevich` for that model) copied from it
    (per-neuron arrays cut to the slice).
    An empty slice is erased by the canonicalizer.

    ```mlir
    nc.compartments @net::@exc [0, 512) {model = #snn.model<lif>,
        params = #snn.quantized<decay_u = 4095, decay_v = 200,
            vth_mant = 8192, bias_mant = 0, bias_exp = 0, refractory = 1,
            vmin_exp = 23, vmax_exp = 7>}
    ```
  }];
  let arguments = (ins SymbolRefAttr:$population, Cajal_I64Attr:$begin,
                   Cajal_I64Attr:$end, SNN_NeuronModelAttr:$model,
                   SNN_ChipParamsAttr:$params);
  let assemblyFormat = [{
    $population ` ` `[` $begin `,` $end `)` attr-dict
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
  let extraClassDeclaration = [{
    int64_t getSize() { return getEnd() - getBegin(); }
  }];
}

def NC_SynapsesOp : NC_Op<"synapses", [
    HasParent<"CoreOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "The synapses of a projection that feed this core";
  let description = [{
    The synapses of `projection` from pre neurons [pre_begin, pre_end) to
    post neurons [post_begin, post_end), the post range being a slice held
    by this core. They stay symbolic: `nc-emit-image` materialises them from
    the projection's rule. `axons` and `words` (input axons and
    synapse-memory words used) are estimates set by `convert-snn-to-nc`.
    An empty range is erased by the canonicalizer.

    ```mlir
    nc.synapses @net::@ee from [0, 3200) to [0, 512) {axons = 3200 : i64}
    ```
  }];
  let arguments = (ins SymbolRefAttr:$projection,
                   Cajal_I64Attr:$pre_begin, Cajal_I64Attr:$pre_end,
                   Cajal_I64Attr:$post_begin, Cajal_I64Attr:$post_end,
                   OptionalAttr<Cajal_I64Attr>:$axons,
                   OptionalAttr<Cajal_I64Attr>:$words);
  let assemblyFormat = [{
    $projection `from` ` ` `[` $pre_begin `,` $pre_end `)` `to` ` ` `[`
    $post_begin `,` $post_end `)` attr-dict
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

def NC_RouteOp : NC_Op<"route", [
    HasParent<"ChipOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Spike traffic from one core to another";
  let description = [{
    `axons` output axons of `source` target input axons of `dest`; `hops`
    (set by `nc-route`) is the mesh distance. A route with no axons is
    erased and two routes between the same cores are merged by the
    canonicalizer.

    ```mlir
    nc.route @c0 -> @c3 {axons = 512 : i64, hops = 3 : i64}
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$source, FlatSymbolRefAttr:$dest,
                   Cajal_I64Attr:$axons, OptionalAttr<Cajal_I64Attr>:$hops);
  let assemblyFormat = "$source `->` $dest attr-dict";
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

#endif // CAJAL_DIALECT_NC_NCOPS_TD
