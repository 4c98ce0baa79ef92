//===- SNNOps.td - Operations of the snn dialect ---------*- tablegen -*-===//
//
// snn.network holds a graph region of populations, sources, projections and
// probes. Every element but a probe is a symbol, so that the nc dialect and
// the chip image can name it (@net::@exc).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_DIALECT_SNN_SNNOPS_TD
#define CAJAL_DIALECT_SNN_SNNOPS_TD

include "cajal/Dialect/SNN/SNNDialect.td"
include "cajal/Dialect/SNN/SNNTypes.td"
include "cajal/Dialect/SNN/SNNAttributes.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"

class SNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNN_Dialect, mnemonic, traits>;

def SNN_NetworkOp : SNN_Op<"network", [
    IsolatedFromAbove, Symbol, SymbolTable, NoTerminator, SingleBlock,
    NoRegionArguments, DeclareOpInterfaceMethods<RegionKindInterface>]> {
  let summary = "A spiking network";
  let description = [{
    A symbol table of populations, sources, projections and probes. The body
    is a graph region: an operand may be defined after its use, which is how
    recurrent projections are written. Every symbol name is non-empty (spike
    files and the chip image name every population, source and projection),
    and the `record_as` names of populations are non-empty and taken by no
    other population, source or alias. `dt` (seconds, finite, > 0) is the
    time step;
    it is required when a population has `#snn.continuous` parameters or the
    network has a Poisson source.

    On-chip learning is network-wide: the rules of the `learning`
    projections run once every `learning_epoch` steps (default 1; at most
    learning.maxEpochSteps of the profile) and every stochastic rounding of
    traces and synapses draws from a generator seeded with `learning_seed`
    (default 0, >= 0). docs/learning.md gives the contract.

    ```mlir
    snn.network @rec attributes {dt = 1.0e-3 : f64} {
      snn.projection @ee %e -> %e {connectivity = #snn.one_to_one<1.0>}
          : !snn.spikes<8> -> !snn.spikes<8>
      %e = snn.population @e {model = #snn.model<lif>,
          params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>}
          : !snn.spikes<8>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, OptionalAttr<F64Attr>:$dt,
                   OptionalAttr<Cajal_I64Attr>:$learning_epoch,
                   OptionalAttr<Cajal_I64Attr>:$learning_seed);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  // Dendritic trees are checked across populations once each is verified.
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name,
                                 CArg<"::mlir::FloatAttr", "{}">:$dt)>];
  let extraClassDeclaration = [{
    /// The body block (created by the builder and the parser).
    ::mlir::Block *getBodyBlock() { return &getBody().front(); }
    /// dt in seconds, if the network has one.
    std::optional<double> getTimeStep() {
      if (auto dt = getDtAttr())
        return dt.getValueAsDouble();
      return std::nullopt;
    }
  }];
}

class SNN_NodeOp<string mnemonic, list<Trait> traits = []>
    : SNN_Op<mnemonic, !listconcat(traits, [Symbol, HasParent<"NetworkOp">])> {
  let results = (outs SNN_SpikesType:$spikes);
  let assemblyFormat = "$sym_name attr-dict `:` qualified(type($spikes))";
  let hasVerifier = 1;
}

def SNN_PopulationOp : SNN_NodeOp<"population"> {
  let summary = "A population of neurons of one model";
  let description = [{
    The result type gives the shape. `params` is `#snn.continuous`,
    `#snn.discrete` or `#snn.quantized` (`#snn.izhikevich` for, and only
    for, model `izhikevich`); each numeric field is a scalar or an
    array with one entry per neuron. After `snn-quantize`, `voltage_scale`
    (integer units per unit of v) relates the chip's state to the model's.
    After `snn-partition`, `slices` holds the slice boundaries (first neuron
    of each slice, then the size) and `cores` the virtual core of each slice.

    `initial` sets the state each neuron starts from, by state name: `v` for
    the LIF family, `v` and `u` for Izhikevich, an equation model's states.
    Each value is a number, an `array<f64>` with one entry per neuron, or a
    distribution (`#snn.normal`, `#snn.lognormal`, `#snn.uniform`) each
    neuron draws from, with the stream keyed by `initial_seed`, the
    population's name, the neuron and the state (so that the draws do not
    depend on slicing). Values are in the units of `params`: the model's v
    with `#snn.continuous` (`snn-discretize` shifts it by `v_offset` with the
    rest of the parameters), the discrete v with `#snn.discrete` and
    `#snn.quantized`.

    ```mlir
    %exc = snn.population @exc {model = #snn.model<cuba_lif>,
        params = #snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3,
                                 v_th = array<f64: 1.0, 1.5>>}
        : !snn.spikes<2>
    %l4 = snn.population @l4 {model = #snn.model<cuba_lif>,
        params = #snn.continuous<tau_mem = 1.0e-2, tau_syn = 5.0e-4,
                                 v_th = -50.0, v_leak = -65.0, v_reset = -65.0>,
        initial = {v = #snn.normal<mean = -58.0, std = 10.0>},
        initial_seed = 3 : i64} : !snn.spikes<100>
    %rs = snn.population @rs {model = #snn.model<izhikevich>,
        params = #snn.izhikevich<bias = array<f64: 5.0, 10.0>>}
        : !snn.spikes<2>
    ```

    **Dendritic trees.** A population with `parent = @p` is not a population
    of its own: it is a compartment of the neurons of `@p` (a dendrite), one
    per neuron, with its own model and parameters (the LIF family: `if`,
    `lif`, `cuba_lif`, `li`), and projections onto it reach that compartment.
    Every step it passes `output` (`#snn.dendrite_output`, default
    `voltage`) times `coupling` (default 1) to its parent, which joins the
    values of all its children with its `join` (`#snn.join`, default `add`;
    `and` and `or` give `join_weight` or 0) and adds the result to its
    input. The root, the population without a parent, spikes; a dendrite
    never does, so no projection or probe starts at one. `reset_on_bap`
    clears a dendrite's v one step after the root spikes (the
    back-propagating action potential). The compartments of one tree have
    one size; the verifier refuses a cycle of parents, a `join` or
    `join_weight` without a child, `output`, `coupling` or `reset_on_bap`
    without a parent. docs/neurocore-isa.md ("Dendritic trees") gives the
    programs the tree runs.

    ```mlir
    %pyr = snn.population @pyr {model = #snn.model<lif>,
        params = #snn.continuous<tau_mem = 1.0e-2, v_th = 0.5>,
        join = #snn.join<or>, join_weight = 1.0} : !snn.spikes<4>
    %apical = snn.population @apical {model = #snn.model<lif>,
        params = #snn.continuous<tau_mem = 5.0e-3, v_th = 1.0>, parent = @pyr,
        output = #snn.dendrite_output<active>} : !snn.spikes<4>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, SNN_NeuronModelAttr:$model,
                   SNN_ParamsAttr:$params,
                   OptionalAttr<F64Attr>:$voltage_scale,
                   OptionalAttr<DenseI64ArrayAttr>:$slices,
                   OptionalAttr<DenseI64ArrayAttr>:$cores,
                   OptionalAttr<DictionaryAttr>:$initial,
                   OptionalAttr<Cajal_I64Attr>:$initial_seed,
                   OptionalAttr<FlatSymbolRefAttr>:$parent,
                   OptionalAttr<SNN_DendriteOutputAttr>:$output,
                   OptionalAttr<F64Attr>:$coupling,
                   OptionalAttr<SNN_JoinAttr>:$join,
                   OptionalAttr<F64Attr>:$join_weight,
                   UnitAttr:$reset_on_bap);
  let extraClassDeclaration = [{
    int64_t getSize() { return getSpikes().getType().getSize(); }
    /// A compartment of another population's dendritic tree.
    bool isDendrite() { return bool(getParentAttr()); }
  }];
}

def SNN_InputOp : SNN_NodeOp<"input"> {
  let summary = "External spikes, given at run time";
  let description = [{
    ```mlir
    %in = snn.input @in : !snn.spikes<784>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
}

def SNN_PoissonSourceOp : SNN_NodeOp<"poisson_source"> {
  let summary = "Independent Poisson spike trains";
  let description = [{
    Each channel spikes with probability `rate * dt` per step (rate in Hz,
    rate * dt <= 1), from a generator seeded with `seed`.

    With `group = K`, each channel is a group of K independent Poisson
    trains of `rate` summed exactly: its spike count per step is
    Poisson-distributed with mean K * rate * dt (at most 16), and it sends
    that many spikes (NEST's poisson_generator connected to each target;
    the background drive of the cortical microcircuit is one such channel
    per neuron, with K its external in-degree).

    ```mlir
    %noise = snn.poisson_source @noise {rate = 2.0e1 : f64, seed = 7 : i64}
        : !snn.spikes<100>
    %background = snn.poisson_source @bg {rate = 8.0 : f64, group = 1600 : i64,
        seed = 3 : i64} : !snn.spikes<200>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, F64Attr:$rate,
                   DefaultValuedAttr<Cajal_I64Attr, "0">:$seed,
                   OptionalAttr<Cajal_I64Attr>:$group);
}

def SNN_PeriodicSourceOp : SNN_NodeOp<"periodic_source"> {
  let summary = "Every channel spikes every `period` steps";
  let description = [{
    Spikes at steps phase, phase + period, ... (period >= 1,
    0 <= phase < period; both at most 2^32 - 1 when mapped onto a chip).

    ```mlir
    %clk = snn.periodic_source @clk {period = 10 : i64, phase = 3 : i64}
        : !snn.spikes<4>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Cajal_I64Attr:$period,
                   DefaultValuedAttr<Cajal_I64Attr, "0">:$phase);
}

def SNN_FileSourceOp : SNN_NodeOp<"file_source"> {
  let summary = "Spikes embedded at compile time";
  let description = [{
    `events` is a K x 2 integer tensor of (step, channel) pairs, step >= 0,
    0 <= channel < size; a step above 2^32 - 1 is an error when mapped onto
    a chip.

    ```mlir
    %stim = snn.file_source @stim {events = dense<[[0, 1], [3, 0]]>
        : tensor<2x2xi64>} : !snn.spikes<2>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, ElementsAttr:$events);
}

def SNN_ProjectionOp : SNN_Op<"projection", [Symbol, HasParent<"NetworkOp">]> {
  let summary = "Synapses from a population or source to a population";
  let description = [{
    `connectivity` is one of `#snn.dense`, `#snn.sparse`, `#snn.one_to_one`,
    `#snn.fixed_prob`, `#snn.fixed_number`, `#snn.conv2d`. `delay` (steps, >= 1; at most 2^32 - 1
    when mapped onto a chip) applies to every synapse that has none of its
    own. `bias`, when present, adds one value
    per post neuron every step (NIR's Affine bias); `snn-discretize` folds it
    into the post population. After `snn-quantize` the weights are integer
    mantissas, `weight_exponent` is the shared exponent and `quant_error` the
    relative (L2) error that quantization introduced.

    **Learning.** `learning` makes the projection's synapses learn on the
    chip by a sum-of-products rule (docs/learning.md): `#snn.learning` with
    the rule's text and its traces, or a library rule that stands for one
    (`#snn.pair_stdp`, `#snn.triplet_stdp`, `#snn.reward_stdp`). Its
    synapses are stored with the profile's widest weights
    (synapse.weightBitsMax), a delay and a tag each, so they take more
    synapse memory than fixed ones; as everywhere, a zero weight is no
    synapse, so only the synapses with a non-zero initial weight learn.
    The post population must be a root (a dendrite's compartments hold no
    post traces), every learning projection onto one population must give
    it the same `y1`, `y2`, `y3`, and a `#snn.conv2d` projection cannot
    learn (its kernel is shared by every output position; the chip's
    copies would learn apart). `reward` marks a projection whose spikes set
    the post compartments' third factor `r` (its weights, in units of r,
    go to r instead of the input); it cannot also learn. `sign_mode`
    bounds what a learning projection's weights may become (Lava's sign
    mode): `"mixed"` (the default) lets a weight cross zero,
    `"excitatory"` keeps it in 0 .. the widest weight and `"inhibitory"`
    in minus that .. 0, so that a depressed synapse stays silent instead of
    changing sign; the initial weights must agree with it.

    ```mlir
    snn.projection @plastic %in -> %out {
        connectivity = #snn.dense<dense<0.5> : tensor<1x100xf64>>,
        learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 7.8125e-2,
                                  tau_plus = 20.0, tau_minus = 20.0>}
        : !snn.spikes<100> -> !snn.spikes<1>
    ```

    ```mlir
    snn.projection @in_exc %in -> %exc {
        connectivity = #snn.dense<dense<[[1.0, 0.0], [0.5, 2.0]]>
                                  : tensor<2x2xf64>>, delay = 2 : i64}
        : !snn.spikes<2> -> !snn.spikes<2>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, SNN_SpikesType:$pre,
                   SNN_SpikesType:$post, SNN_ConnectivityAttr:$connectivity,
                   DefaultValuedAttr<Cajal_I64Attr, "1">:$delay,
                   OptionalAttr<DenseF64ArrayAttr>:$bias,
                   OptionalAttr<Cajal_I64Attr>:$weight_exponent,
                   OptionalAttr<F64Attr>:$quant_error,
                   OptionalAttr<SNN_LearningRuleAttr>:$learning,
                   OptionalAttr<StrAttr>:$sign_mode,
                   UnitAttr:$reward);
  let assemblyFormat = [{
    $sym_name $pre `->` $post attr-dict `:` qualified(type($pre)) `->`
    qualified(type($post))
  }];
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
  let extraClassDeclaration = [{
    /// The population the projection drives (null if the IR is invalid).
    PopulationOp getPostPopulation();
    /// True once snn-quantize has run (integer weights + exponent).
    bool isQuantized() { return getWeightExponent().has_value(); }
  }];
}

def SNN_ProbeOp : SNN_Op<"probe", [HasParent<"NetworkOp">]> {
  let summary = "Record a population's spikes or state";
  let description = [{
    Probes decide what the image records. When a network has no spike probe,
    every population's spikes are recorded. Two probes of the same kind on
    the same population are one probe (the canonicalizer erases the copy).

    ```mlir
    snn.probe %exc {kind = #snn.probe_kind<state>} : !snn.spikes<400>
    ```
  }];
  let arguments = (ins SNN_SpikesType:$target, SNN_ProbeKindAttr:$kind);
  let assemblyFormat = "$target attr-dict `:` qualified(type($target))";
  let hasVerifier = 1;
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// Neuron models defined by their equations
//===----------------------------------------------------------------------===//

def SNN_NeuronModelOp : SNN_Op<"neuron_model", [
    IsolatedFromAbove, Symbol,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "A neuron model defined by its equations";
  let description = [{
    A model is its state variables (each with an initial value, and
    optionally the range it must stay in and its unit), its parameters (each
    with a default; a population may give other values, per neuron), one
    input (the synaptic input plus nothing else: a constant current is a
    parameter added in the equations) and three regions of `arith` and
    `math` operations on f64:

    - `dynamics`: the time derivative of every state (`snn.derivatives`), in
      the model's time unit (`time_unit` seconds, e.g. 1.0e-3 for ms), to be
      discretised with `solver`; or, once discretised (`step` is the time
      step in model units), the value of every state after one step
      (`snn.yield`). Its arguments are the states, the parameters and the
      input.
    - `spike` (optional; without it the model never spikes): an i1, after
      the step's update; `snn.previous %v` is a state's value before it.
      Arguments: the states, the parameters.
    - `reset` (optional): the states after a spike (`snn.yield`, one value
      per state, computed from the values before the reset). Arguments: the
      states, the parameters.

    Within a step: dynamics, then spike, then (if spiked) reset. The input
    is the sum of the weights of the spikes that arrive in the step.

    ```mlir
    snn.neuron_model @izhikevich
        states(%v = -65.0 [-100.0, 40.0] "mV", %u = -13.0 "mV")
        params(%a = 2.0e-2, %b = 2.0e-1, %c = -65.0, %d = 8.0, %i_bias = 0.0)
        input(%i "mV/ms") time_unit 1.0e-3 solver euler
    dynamics {
      %c0_04 = arith.constant 4.0e-2 : f64
      ...
      snn.derivatives %dv, %du : f64, f64
    } spike {
      %peak = arith.constant 30.0 : f64
      %fired = arith.cmpf oge, %v, %peak : f64
      snn.yield %fired : i1
    } reset {
      %u_d = arith.addf %u, %d : f64
      snn.yield %c, %u_d : f64, f64
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                   StrArrayAttr:$state_names,
                   DenseF64ArrayAttr:$state_initial,
                   DenseF64ArrayAttr:$state_lower,
                   DenseF64ArrayAttr:$state_upper,
                   StrArrayAttr:$state_units,
                   StrArrayAttr:$param_names,
                   DenseF64ArrayAttr:$param_defaults,
                   StrAttr:$input_name,
                   F64Attr:$input_lower,
                   F64Attr:$input_upper,
                   StrAttr:$input_unit,
                   F64Attr:$time_unit,
                   SNN_Solver:$solver,
                   OptionalAttr<F64Attr>:$step);
  let regions = (region SizedRegion<1>:$dynamics, AnyRegion:$spike,
                 AnyRegion:$reset);
  let hasCustomAssemblyFormat = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    unsigned getNumStates() { return getStateNames().size(); }
    unsigned getNumParams() { return getParamNames().size(); }
    /// Whether `dynamics` gives next values (discretised) or derivatives.
    bool isDiscretised() { return getStep().has_value(); }
    /// The attributes as numbers: the time unit (s), the step (model time
    /// units, once discretised) and the input's declared range.
    double getTimeUnitSeconds() { return getTimeUnit().convertToDouble(); }
    std::optional<double> getStepSize() {
      if (auto step = getStep())
        return step->convertToDouble();
      return std::nullopt;
    }
    double getInputMin() { return getInputLower().convertToDouble(); }
    double getInputMax() { return getInputUpper().convertToDouble(); }
    /// The index of parameter `name`, or -1.
    int findParam(::llvm::StringRef name);
    /// The index of state `name`, or -1.
    int findState(::llvm::StringRef name);
  }];
}

def SNN_DerivativesOp : SNN_Op<"derivatives", [
    Pure, Terminator, HasParent<"NeuronModelOp">]> {
  let summary = "The time derivative of every state of a neuron model";
  let arguments = (ins Variadic<F64>:$values);
  let assemblyFormat = "$values attr-dict `:` type($values)";
}

def SNN_YieldOp : SNN_Op<"yield", [
    Pure, Terminator, HasParent<"NeuronModelOp">]> {
  let summary = "The result of a neuron model region";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def SNN_PreviousOp : SNN_Op<"previous", [Pure]> {
  let summary = "A state's value before this step's update";
  let description = [{
    In the `spike` and `reset` regions of an `snn.neuron_model`, the value
    the state argument `%v` had before the step's dynamics (a threshold
    crossing compares the two).
  }];
  let arguments = (ins F64:$state);
  let results = (outs F64:$result);
  let assemblyFormat = "$state attr-dict";
  let hasVerifier = 1;
}

#endif // CAJAL_DIALECT_SNN_SNNOPS_TD
