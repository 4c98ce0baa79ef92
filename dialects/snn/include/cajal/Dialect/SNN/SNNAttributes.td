//===- SNNAttributes.td - Attributes of the snn dialect --*- tablegen -*-===//
//
// Enums (neuron model, reset mode, probe kind), the three stages of neuron
// parameters and the connectivity rules of a projection. Numeric parameter
// fields are plain attributes: a scalar (FloatAttr / IntegerAttr) shared by
// all neurons, or a dense array (array<f64: ...> / array<i64: ...>) with one
// entry per neuron. The population verifier checks kinds, lengths and ranges.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_DIALECT_SNN_SNNATTRIBUTES_TD
#define CAJAL_DIALECT_SNN_SNNATTRIBUTES_TD

include "cajal/Dialect/SNN/SNNDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

// An i64 attribute read as a signed int64_t (MLIR's I64Attr reads uint64_t,
// so a verifier could not see a negative value).
def Cajal_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                 "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def SNN_NeuronModel : I32EnumAttr<"NeuronModel", "neuron model", [
    I32EnumAttrCase<"IF", 0, "if">,
    I32EnumAttrCase<"LIF", 1, "lif">,
    I32EnumAttrCase<"CubaLIF", 2, "cuba_lif">,
    I32EnumAttrCase<"LI", 3, "li">,
    I32EnumAttrCase<"Izhikevich", 4, "izhikevich">,
    I32EnumAttrCase<"AdaptiveLIF", 5, "adaptive_lif">,
    I32EnumAttrCase<"Equations", 6, "equations">]> {
  let cppNamespace = "::cajal::snn";
  let genSpecializedAttr = 0;
}

def SNN_Solver : I32EnumAttr<"Solver", "ODE solver of a neuron model", [
    I32EnumAttrCase<"Euler", 0, "euler">,
    I32EnumAttrCase<"ExponentialEuler", 1, "exponential_euler">,
    I32EnumAttrCase<"RK2", 2, "rk2">,
    I32EnumAttrCase<"Exact", 3, "exact">]> {
  let cppNamespace = "::cajal::snn";
}

def SNN_Reset : I32EnumAttr<"Reset", "membrane reset after a spike", [
    I32EnumAttrCase<"Zero", 0, "zero">,
    I32EnumAttrCase<"Subtract", 1, "subtract">]> {
  let cppNamespace = "::cajal::snn";
  let genSpecializedAttr = 0;
}

def SNN_ProbeKind : I32EnumAttr<"ProbeKind", "what a probe records", [
    I32EnumAttrCase<"Spikes", 0, "spikes">,
    I32EnumAttrCase<"State", 1, "state">]> {
  let cppNamespace = "::cajal::snn";
  let genSpecializedAttr = 0;
}

def SNN_FixedNumberKind : I32EnumAttr<"FixedNumberKind",
                                     "what a fixed_number connector fixes", [
    I32EnumAttrCase<"InDegree", 0, "in_degree">,
    I32EnumAttrCase<"OutDegree", 1, "out_degree">,
    I32EnumAttrCase<"Total", 2, "total">]> {
  let cppNamespace = "::cajal::snn";
  let genSpecializedAttr = 0;
}

def SNN_NeuronModelAttr : EnumAttr<SNN_Dialect, SNN_NeuronModel, "model"> {
  let summary = "Neuron model of a population";
  let description = [{
    `if` (integrate and fire, no leak), `lif` (leaky integrate and fire, the
    input goes straight into the membrane), `cuba_lif` (current-based LIF: a
    synaptic current with its own time constant), `li` (leaky integrator,
    never spikes: a readout), `adaptive_lif` (LIF with an adaptive threshold,
    the LSNN neuron of Bellec et al. 2018: parameters `tau_a`, `beta`, `jump`
    of `#snn.continuous`), `izhikevich` (Izhikevich 2003, parameters
    `#snn.izhikevich`), `equations` (a model defined by its equations in an
    `snn.neuron_model`, parameters `#snn.equations`).

    The LIF family (`if`, `lif`, `cuba_lif`, `li`) runs on every profile;
    `adaptive_lif` and `izhikevich` are neurocore programs
    (docs/neurocore-isa.md) and need a programmable profile such as
    `loihi2`.

    ```mlir
    #snn.model<cuba_lif>
    #snn.model<izhikevich>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

def SNN_Join : I32EnumAttr<"Join", "how a tree compartment joins its children", [
    I32EnumAttrCase<"Add", 0, "add">,
    I32EnumAttrCase<"Min", 1, "min">,
    I32EnumAttrCase<"Max", 2, "max">,
    I32EnumAttrCase<"And", 3, "and">,
    I32EnumAttrCase<"Or", 4, "or">]> {
  let cppNamespace = "::cajal::snn";
  let genSpecializedAttr = 0;
}

def SNN_DendriteOutput : I32EnumAttr<"DendriteOutput",
                                     "what a dendrite passes to its parent", [
    I32EnumAttrCase<"Current", 0, "current">,
    I32EnumAttrCase<"Voltage", 1, "voltage">,
    I32EnumAttrCase<"Active", 2, "active">,
    I32EnumAttrCase<"AboveThreshold", 3, "above_threshold">]> {
  let cppNamespace = "::cajal::snn";
  let genSpecializedAttr = 0;
}

def SNN_JoinAttr : EnumAttr<SNN_Dialect, SNN_Join, "join"> {
  let summary = "How a compartment of a dendritic tree joins its children";
  let description = [{
    The values a compartment's children pass it are joined into one input
    current, added to its synaptic input every step: `add` (their sum),
    `min`, `max`, or `and` / `or` (1 when all / any of them is non-zero,
    else 0; times the compartment's `join_weight`).

    ```mlir
    #snn.join<or>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

def SNN_DendriteOutputAttr
    : EnumAttr<SNN_Dialect, SNN_DendriteOutput, "dendrite_output"> {
  let summary = "What a dendrite passes to its parent every step";
  let description = [{
    `current` (its u) or `voltage` (its v), times `coupling`; `active`:
    `coupling` while its v is above its `v_th`, else 0; `above_threshold`:
    v times `coupling` while v is above `v_th`, else 0 (the voltage passed on
    instead of a spike). The parent adds it to its input current, in the
    parent's units of v per step.

    ```mlir
    #snn.dendrite_output<active>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

def SNN_ResetAttr : EnumAttr<SNN_Dialect, SNN_Reset, "reset"> {
  let summary = "Membrane reset mode";
  let description = [{
    `zero`: v <- 0 after a spike; `subtract`: v <- v - v_th (only on profiles
    that support it).
  }];
  let assemblyFormat = "`<` $value `>`";
}

def SNN_ProbeKindAttr : EnumAttr<SNN_Dialect, SNN_ProbeKind, "probe_kind"> {
  let summary = "What a probe records";
  let description = [{
    `spikes`: the population's spikes; `state`: its u and v each step.

    ```mlir
    #snn.probe_kind<state>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

def SNN_ResetParameter : EnumParameter<SNN_Reset> {
  let defaultValue = "::cajal::snn::Reset::Zero";
}

class SNN_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<SNN_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// A numeric field printed without its type when that is the default one
// (f64 for reals, i64 for integers), so `v_th = 1.0` round-trips as written.
class SNN_Field<string desc>
    : OptionalParameter<"::mlir::Attribute", desc> {
  let printer = "::cajal::snn::printField($_printer, $_self)";
}
class SNN_RequiredField<string desc>
    : AttrParameter<"::mlir::Attribute", desc> {
  let printer = "::cajal::snn::printField($_printer, $_self)";
}

//===----------------------------------------------------------------------===//
// Neuron parameters
//===----------------------------------------------------------------------===//

def SNN_ContinuousParamsAttr : SNN_Attr<"ContinuousParams", "continuous"> {
  let summary = "Continuous-time neuron parameters (seconds, NIR units)";
  let description = [{
    The parameters of NIR's IF / LIF / CubaLIF / LI nodes. Each field is a
    scalar or a per-neuron `array<f64: ...>`. Absent fields take their
    default: `v_leak = 0`, `v_reset = 0`, `r = 1`, `bias = 0` (a constant
    input current), `t_ref = 0`, `w_in = 1` (cuba_lif), `reset = zero`.
    `tau_mem` is required by lif, cuba_lif and li; `tau_syn` by cuba_lif;
    `v_th` by every model but li.
    `adaptive_lif` (LSNN, Bellec et al. 2018) adds an adaptation variable a
    that decays with `tau_a` (s, required), grows by `jump` on each spike
    (default 1 - exp(-dt / tau_a), LSNN's choice, so that a stays in
    [0, 1]) and raises the threshold to `v_th + beta * a` (`beta` in volts,
    required); its reset is `zero`. The other models take none of the
    three.
    Every value must be finite (NaN and infinities are refused). Time
    constants and `r` must be > 0, `v_th` > 0 or, with a zero reset
    and a `v_reset`, `v_th` > `v_reset` (the chip resets to 0, so v is
    shifted by v_reset); the enclosing network must give `dt`.

    ```mlir
    #snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3, v_th = 1.0,
                    t_ref = 2.0e-3, reset = subtract>
    #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, tau_a = 2.0e-1,
                    beta = 1.8>
    ```
  }];
  let parameters = (ins
    SNN_Field<"membrane time constant (s)">:$tau_mem,
    SNN_Field<"synaptic time constant (s)">:$tau_syn,
    SNN_Field<"threshold (V)">:$v_th,
    SNN_Field<"leak (resting) potential (V)">:$v_leak,
    SNN_Field<"reset potential (V)">:$v_reset,
    SNN_Field<"input resistance">:$r,
    SNN_Field<"constant input current">:$bias,
    SNN_Field<"refractory period (s)">:$t_ref,
    SNN_Field<"cuba_lif: weight of the input into the current">:$w_in,
    SNN_Field<"adaptive_lif: adaptation time constant (s)">:$tau_a,
    SNN_Field<"adaptive_lif: threshold increase per unit of a (V)">:$beta,
    SNN_Field<"adaptive_lif: increase of a per spike">:$jump,
    SNN_ResetParameter:$reset);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_DiscreteParamsAttr : SNN_Attr<"DiscreteParams", "discrete"> {
  let summary = "Per-time-step neuron parameters (real numbers)";
  let description = [{
    The model advanced one step at a time, in the chip's form but with real
    numbers (docs/neuron-model.md):

        u[t] = u[t-1] * (1 - decay_u) + input_scale * sum(w * s)
        v[t] = v[t-1] * (1 - decay_v) + u[t] + bias

    Every value must be finite. `decay_u` and `decay_v` are the fractions
    lost per step, in [0, 1];
    `v_th` > 0 (required unless the model is li); `refractory` counts steps.
    The chip resets v to 0, so v is shifted: model v = v + `v_offset`.
    Defaults: `v_th` none, `bias = 0`, `input_scale = 1`, `refractory = 0`,
    `v_offset = 0`, `reset = zero`.
    `adaptive_lif` also needs the adaptation: each step
    `a = a * (1 - decay_a)` (`decay_a` in [0, 1]), then `a += jump` on a
    spike; the threshold is `v_th + beta * a`. Other models take none of
    `decay_a`, `jump`, `beta`.

    ```mlir
    #snn.discrete<decay_u = 1.0, decay_v = 4.877e-2, v_th = 1.0,
                  input_scale = 4.877e-2, refractory = 2>
    ```
  }];
  let parameters = (ins
    SNN_RequiredField<"">:$decay_u,
    SNN_RequiredField<"">:$decay_v,
    SNN_Field<"threshold">:$v_th,
    SNN_Field<"constant input per step">:$bias,
    SNN_Field<"factor applied to every incoming weight">:$input_scale,
    SNN_Field<"refractory period (steps)">:$refractory,
    SNN_Field<"model v = discrete v + v_offset">:$v_offset,
    SNN_Field<"adaptive_lif: fraction of a lost per step">:$decay_a,
    SNN_Field<"adaptive_lif: increase of a per spike">:$jump,
    SNN_Field<"adaptive_lif: threshold increase per unit of a">:$beta,
    SNN_ResetParameter:$reset);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_QuantizedParamsAttr : SNN_Attr<"QuantizedParams", "quantized"> {
  let summary = "The chip's integer compartment parameters";
  let description = [{
    Integers of docs/neuron-model.md, each an `i64` or an `array<i64: ...>`
    per neuron: `decay_u`, `decay_v` in [0, 2^decayBits); `vth_mant`
    (vth = vth_mant << thresholdShift); `bias_mant` and `bias_exp`
    (bias = bias_mant * 2^bias_exp); `refractory` (steps); `vmin_exp`,
    `vmax_exp` (the clip range of v). Ranges are checked against the
    profile when the image is written. `adaptive_lif` adds the adaptive
    LIF program's words (docs/mapping.md): `decay_a` in [0, 2^decayBits],
    `jump` (a in units of 2^-16) and `beta` (v units per unit of a, times
    2^8: the threshold is vth + (beta * a >> 8)).

    ```mlir
    #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 8192,
                   bias_mant = 0, bias_exp = 0, refractory = 2,
                   vmin_exp = 23, vmax_exp = 7>
    ```
  }];
  let parameters = (ins
    SNN_RequiredField<"">:$decay_u,
    SNN_RequiredField<"">:$decay_v,
    SNN_RequiredField<"">:$vth_mant,
    SNN_RequiredField<"">:$bias_mant,
    SNN_RequiredField<"">:$bias_exp,
    SNN_RequiredField<"">:$refractory,
    SNN_RequiredField<"">:$vmin_exp,
    SNN_RequiredField<"">:$vmax_exp,
    SNN_Field<"adaptive_lif: decay code of a">:$decay_a,
    SNN_Field<"adaptive_lif: increase of a per spike">:$jump,
    SNN_Field<"adaptive_lif: threshold weight of a">:$beta,
    SNN_ResetParameter:$reset);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_IzhikevichParamsAttr : SNN_Attr<"IzhikevichParams", "izhikevich"> {
  let summary = "Izhikevich (2003) neuron parameters (ms, mV)";
  let description = [{
    The simple model of Izhikevich (IEEE Trans. Neural Netw. 14(6), 2003),
    in its own units: v and u in mV, time in ms,

        dv/dt = 0.04 v^2 + 5 v + 140 - u + I
        du/dt = a (b v - u)
        v >= 30 mV: spike, v <- c, u <- u + d

    with I = `bias` (a constant current, mV/ms) plus the synaptic input: a
    spike of weight w adds w mV/ms to I for the step it arrives in. The
    neurocore program (docs/neurocore-isa.md) advances one 1 ms step (v in
    two 0.5 ms Euler half steps, then u, as Izhikevich's published code),
    so the network's `dt` must be 1.0e-3 s. The parameters stay in this
    form through snn-discretize and snn-quantize, which sets the
    population's `voltage_scale` (2^12 integer units per mV) and turns the
    weights into those units. Each field is a scalar or a per-neuron
    `array<f64: ...>`; `b` and `c` fix the program's initial state
    (v = c, u = b c) and must be one value per population when it is
    mapped onto a chip. Defaults are the regular-spiking cell: `a = 0.02`,
    `b = 0.2`, `c = -65`, `d = 8`, `bias = 0`. `a` must be in (0, 1], `c`
    below the 30 mV spike peak; every value finite.

    ```mlir
    #snn.izhikevich<a = 2.0e-2, b = 2.0e-1, c = -65.0, d = 8.0, bias = 10.0>
    #snn.izhikevich<a = 1.0e-1, d = 2.0>
    ```
  }];
  let parameters = (ins
    SNN_Field<"recovery rate (1/ms)">:$a,
    SNN_Field<"sensitivity of u to v">:$b,
    SNN_Field<"reset potential (mV)">:$c,
    SNN_Field<"jump of u after a spike (mV)">:$d,
    SNN_Field<"constant input current (mV/ms)">:$bias);
  let assemblyFormat = "`<` struct(params) `>`";
}

//===----------------------------------------------------------------------===//
// Connectivity
//===----------------------------------------------------------------------===//

def SNN_DenseAttr : SNN_Attr<"Dense", "dense"> {
  let summary = "All-to-all weights as a post x pre matrix";
  let description = [{
    `weights` is a `post x pre` tensor: floats before `snn-quantize`,
    integer mantissas after. Large matrices belong in a resource blob
    (`dense_resource<name>`), never in an inline `dense<...>` of millions of
    entries. A zero weight means "no synapse".

    ```mlir
    #snn.dense<dense<[[0.5, -0.25]]> : tensor<1x2xf64>>
    #snn.dense<dense_resource<w_exc> : tensor<400x784xf32>>
    ```
  }];
  let parameters = (ins "::mlir::ElementsAttr":$weights);
  let assemblyFormat = "`<` $weights `>`";
}

def SNN_SparseAttr : SNN_Attr<"Sparse", "sparse"> {
  let summary = "A list of synapses (pre, post, weight[, delay])";
  let description = [{
    Parallel 1-D tensors of the same length N: `pre` and `post` neuron
    indices (integers), `weights` (floats, integer mantissas after
    quantization) and optionally per-synapse `delays` (steps, >= 1; they
    override the projection's `delay`). Any of them may be a resource blob.

    ```mlir
    #snn.sparse<pre = dense<[0, 1]> : tensor<2xi64>,
                post = dense<[1, 0]> : tensor<2xi64>,
                weights = dense<[1.0, -1.0]> : tensor<2xf64>>
    ```
  }];
  let parameters = (ins
    "::mlir::ElementsAttr":$pre,
    "::mlir::ElementsAttr":$post,
    "::mlir::ElementsAttr":$weights,
    OptionalParameter<"::mlir::ElementsAttr">:$delays);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_OneToOneAttr : SNN_Attr<"OneToOne", "one_to_one"> {
  let summary = "Neuron i of pre drives neuron i of post";
  let description = [{
    Pre and post have the same size. `weight` is a scalar or a per-neuron
    dense array (floats; integers after quantization).

    ```mlir
    #snn.one_to_one<2.0>
    #snn.one_to_one<array<f64: 1.0, 2.0, 3.0>>
    ```
  }];
  let parameters = (ins SNN_RequiredField<"">:$weight);
  let assemblyFormat = "`<` $weight `>`";
}

// Distributions of per-synapse values (the weights and delays of the random
// connectors).

def SNN_NormalAttr : SNN_Attr<"Normal", "normal"> {
  let summary = "A normal distribution, clipped";
  let description = [{
    Values drawn from N(`mean`, `std`^2) and redrawn until they lie in
    [`low`, `high`] (each optional) and within 6 standard deviations of
    the mean: NEST's `normal_clipped`, bounded on both sides so that the
    compiler knows the largest value. As a weight: in the weight's units
    before snn-quantize, in mantissa units after. As a delay: in steps,
    rounded half up to whole steps.

    ```mlir
    #snn.normal<mean = 8.75e-2, std = 8.75e-3, low = 0.0>
    ```
  }];
  let parameters = (ins SNN_RequiredField<"">:$mean, SNN_RequiredField<"">:$std,
                        SNN_Field<"">:$low, SNN_Field<"">:$high);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_LognormalAttr : SNN_Attr<"Lognormal", "lognormal"> {
  let summary = "A lognormal distribution, clipped";
  let description = [{
    exp(x) with x drawn from N(`mu`, `sigma`^2) (PyNN's and NEST's
    parameters), redrawn until the value lies in [`low`, `high`] (each
    optional) and x within 6 sigma of mu.

    ```mlir
    #snn.lognormal<mu = -2.0, sigma = 0.5>
    ```
  }];
  let parameters = (ins SNN_RequiredField<"">:$mu, SNN_RequiredField<"">:$sigma,
                        SNN_Field<"">:$low, SNN_Field<"">:$high);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_UniformAttr : SNN_Attr<"Uniform", "uniform"> {
  let summary = "A uniform distribution on [low, high]";
  let description = [{
    ```mlir
    #snn.uniform<low = 1.0, high = 3.0>
    ```
  }];
  let parameters = (ins SNN_RequiredField<"">:$low,
                        SNN_RequiredField<"">:$high);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_FixedProbAttr : SNN_Attr<"FixedProb", "fixed_prob"> {
  let summary = "Each (pre, post) pair connected with probability p";
  let description = [{
    A random connector kept as a rule: `p` in [0, 1], the `seed` that makes it
    reproducible, one `weight` for every synapse (a float; an integer after
    quantization) or a distribution each synapse draws from (`#snn.normal`,
    `#snn.lognormal`, `#snn.uniform`), and `allow_self` (default true) for
    recurrent projections. `delay`, a distribution in steps, gives each
    synapse its own delay (otherwise the projection's). The synapses are
    drawn per core slice when the image is written.

    ```mlir
    #snn.fixed_prob<p = 1.0e-1, seed = 42, weight = 5.0e-1>
    ```
  }];
  let parameters = (ins
    SNN_RequiredField<"probability">:$p,
    "int64_t":$seed,
    SNN_RequiredField<"">:$weight,
    OptionalParameter<"::mlir::BoolAttr", "pre == post allowed">:$allow_self,
    SNN_Field<"per-synapse delay distribution (steps)">:$delay);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_FixedNumberAttr : SNN_Attr<"FixedNumber", "fixed_number"> {
  let summary = "A random connector with a fixed number of synapses";
  let description = [{
    PyNN's and NEST's count-based connectors, kept as a rule like
    `fixed_prob`:
    - `in_degree = K`: every post neuron receives exactly K synapses, from pre
      neurons drawn uniformly (PyNN's FixedNumberPreConnector, NEST's
      `fixed_indegree`);
    - `out_degree = K`: every pre neuron makes exactly K synapses, onto post
      neurons drawn uniformly (FixedNumberPostConnector, `fixed_outdegree`);
    - `total = N`: exactly N synapses, each (pre, post) pair drawn uniformly
      (FixedTotalNumberConnector, `fixed_total_number`; the PD14
      microcircuit's rule).

    `seed` makes it reproducible, `weight` is one number for every synapse
    (a float; an integer after quantization) or a distribution, and `delay`
    an optional distribution of delays in steps, as for `fixed_prob`. `allow_self` (default true):
    in a recurrent projection, whether a neuron may connect to itself.
    `allow_multapses` (default true): whether a pair may be drawn more than
    once; without multapses the count must not exceed the pairs there are.
    The synapses are drawn when the image is written, the same however the
    network is sliced into cores.

    ```mlir
    #snn.fixed_number<in_degree = 100, seed = 7, weight = 8.75e-2>
    #snn.fixed_number<total = 20000, seed = 3, weight = -3.5e-1,
                      allow_self = false>
    ```
  }];
  let parameters = (ins
    EnumParameter<SNN_FixedNumberKind>:$kind,
    "int64_t":$count,
    "int64_t":$seed,
    SNN_RequiredField<"">:$weight,
    OptionalParameter<"::mlir::BoolAttr", "pre == post allowed">:$allow_self,
    OptionalParameter<"::mlir::BoolAttr", "repeated pairs allowed">:$allow_multapses,
    SNN_Field<"per-synapse delay distribution (steps)">:$delay);
  let assemblyFormat = [{
    `<` $kind `=` $count `,`
    struct($seed, $weight, $allow_self, $allow_multapses, $delay) `>`
  }];
}

def SNN_Conv2dAttr : SNN_Attr<"Conv2d", "conv2d"> {
  let summary = "A 2-D convolution kept as its kernel";
  let description = [{
    `kernel` is `out_c x in_c x kh x kw`; the pre population is read as
    `in_shape` = (c, h, w) with c = in_c; stride and dilation are in
    [1, 2^32 - 1], padding in [0, 2^32 - 1]; the post population has
    out_c x out_h x out_w neurons, out_h = (h + 2 * pad - dil * (kh - 1) - 1)
    / stride + 1 (and likewise for w). `stride`, `padding` and `dilation` are
    (h, w) pairs.

    ```mlir
    #snn.conv2d<kernel = dense<1.0> : tensor<4x1x3x3xf64>,
                stride = [1, 1], padding = [0, 0], dilation = [1, 1],
                in_shape = [1, 8, 8]>
    ```
  }];
  let parameters = (ins
    "::mlir::ElementsAttr":$kernel,
    ArrayRefParameter<"int64_t", "stride (h, w)">:$stride,
    ArrayRefParameter<"int64_t", "padding (h, w)">:$padding,
    ArrayRefParameter<"int64_t", "dilation (h, w)">:$dilation,
    ArrayRefParameter<"int64_t", "input (c, h, w)">:$in_shape);
  let assemblyFormat = [{
    `<` `kernel` `=` $kernel `,` `stride` `=` `[` $stride `]` `,`
    `padding` `=` `[` $padding `]` `,` `dilation` `=` `[` $dilation `]` `,`
    `in_shape` `=` `[` $in_shape `]` `>`
  }];
}

def SNN_EquationParamsAttr : SNN_Attr<"EquationParams", "equations"> {
  let summary = "Parameters of a population of an equation-defined model";
  let description = [{
    `model` names an `snn.neuron_model` beside the network (in the same
    module); `values` gives some of its parameters for this population, each
    a scalar or an `array<f64: ...>` with one value per neuron, and may give
    a state's initial value for the population (a scalar inside the state's
    range: the program's state words start there). A parameter not given
    takes the model's default, a state its model's initial value.

    ```mlir
    #snn.equations<@izhikevich, {d = 2.0 : f64,
                                 i_bias = array<f64: 5.0, 10.0>}>
    ```
  }];
  let parameters = (ins "::mlir::FlatSymbolRefAttr":$model,
                    "::mlir::DictionaryAttr":$values);
  let assemblyFormat = "`<` $model `,` $values `>`";
}

//===----------------------------------------------------------------------===//
// On-chip learning (docs/learning.md)
//===----------------------------------------------------------------------===//

def SNN_TraceAttr : SNN_Attr<"Trace", "trace"> {
  let summary = "A spike trace of a learning rule (chip units)";
  let description = [{
    One of the traces a learning rule reads (`x1`, `x2` per input axon,
    `y1`, `y2`, `y3` per post compartment): every spike of its neuron adds
    `impulse` (trace units, >= 0; a trace holds 0 .. 2^learning.traceBits -
    1), and every step it loses 1 / `tau` of its value (`tau` in time steps,
    >= 1; absent or 0: the trace never decays). On the chip the impulse is an
    integer part and a fraction of learning.traceImpulseFractionBits bits
    (round(fraction x 2^bits), rounded stochastically when a spike adds it)
    and the decay is round(2^learning.traceDecayBits / tau). Both default to
    0; a trace a rule does not configure stays 0.

    ```mlir
    #snn.trace<impulse = 16.0, tau = 20.0>
    #snn.trace<impulse = 2.5>
    ```
  }];
  let parameters = (ins SNN_Field<"impulse per spike (trace units)">:$impulse,
                        SNN_Field<"time constant (steps); 0: no decay">:$tau);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_LearningAttr : SNN_Attr<"Learning", "learning"> {
  let summary = "A sum-of-products learning rule with its traces";
  let description = [{
    `rule` is the rule's text form (docs/learning.md, "Text form"): one
    equation per target (`dw`, `dd`, `dt`), each a sum of terms
    `m * 2^e * dependency * factors`. The verifier parses it (an error names
    the column); the profile's limits (terms, factors, mantissa, exponent,
    constants) are checked when the network is mapped onto a chip. `x1`,
    `x2` are the pre-synaptic traces of the projection's input axons,
    `y1`, `y2`, `y3` the post-synaptic traces of the post population's
    compartments (one setting per population: every learning projection
    onto it must give the same three).

    ```mlir
    #snn.learning<rule = "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0",
                  x1 = #snn.trace<impulse = 16.0, tau = 20.0>,
                  y1 = #snn.trace<impulse = 16.0, tau = 20.0>>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"rule text">:$rule,
    OptionalParameter<"::cajal::snn::TraceAttr">:$x1,
    OptionalParameter<"::cajal::snn::TraceAttr">:$x2,
    OptionalParameter<"::cajal::snn::TraceAttr">:$y1,
    OptionalParameter<"::cajal::snn::TraceAttr">:$y2,
    OptionalParameter<"::cajal::snn::TraceAttr">:$y3);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_PairStdpAttr : SNN_Attr<"PairStdp", "pair_stdp"> {
  let summary = "Pair-based STDP (library rule)";
  let description = [{
    Additive pair STDP (Song, Miller and Abbott 2000) in chip units. It is
    exactly

    ```mlir
    #snn.learning<rule = "dw = A+ * x1 * y0 - A- * y1 * x0",
                  x1 = #snn.trace<impulse = I, tau = tau_plus>,
                  y1 = #snn.trace<impulse = I, tau = tau_minus>>
    ```

    with `A+` = `a_plus`, `A-` = `a_minus` written as m * 2^e and `I` =
    `impulse` (default 16). A post spike after a pre spike by d steps adds
    about a_plus x I x (1 - 1/tau_plus)^d to the weight mantissa; a pre
    spike after a post spike subtracts a_minus x I x (1 - 1/tau_minus)^d.
    `a_plus`, `a_minus` must be >= 0 and dyadic (an integer times a power
    of two, e.g. 0.0625 or 0.09375); the profile bounds the mantissa
    (learning.scaleMantissaBits) and the exponent.

    ```mlir
    #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 7.8125e-2, tau_plus = 20.0,
                   tau_minus = 20.0>
    ```
  }];
  let parameters = (ins
    SNN_RequiredField<"potentiation per trace unit">:$a_plus,
    SNN_RequiredField<"depression per trace unit">:$a_minus,
    SNN_RequiredField<"x1 time constant (steps)">:$tau_plus,
    SNN_RequiredField<"y1 time constant (steps)">:$tau_minus,
    SNN_Field<"trace impulse (default 16)">:$impulse);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_TripletStdpAttr : SNN_Attr<"TripletStdp", "triplet_stdp"> {
  let summary = "Triplet STDP (library rule)";
  let description = [{
    The triplet rule of Pfister and Gerstner (2006) in chip units:

    ```mlir
    #snn.learning<rule = "dw = A2+ * x1 * y0 + A3+ * x1 * y2 * y0
                            - A2- * y1 * x0 - A3- * y1 * x2 * x0",
                  x1 = #snn.trace<impulse = I, tau = tau_plus>,
                  x2 = #snn.trace<impulse = I, tau = tau_x>,
                  y1 = #snn.trace<impulse = I, tau = tau_minus>,
                  y2 = #snn.trace<impulse = I, tau = tau_y>>
    ```

    (written on one line; a term whose coefficient is 0 is left out). The
    coefficients are >= 0 and dyadic, `impulse` defaults to 16. The chip
    samples `y2` at a post spike after that spike's own impulse (and `x2`
    at a pre spike likewise), where Pfister and Gerstner read the value just
    before it: the triplet terms carry an extra a3 x I per pairing.

    ```mlir
    #snn.triplet_stdp<a2_plus = 1.5625e-2, a3_plus = 3.90625e-3,
                      a2_minus = 1.5625e-2, a3_minus = 0.0,
                      tau_plus = 17.0, tau_minus = 34.0, tau_x = 101.0,
                      tau_y = 125.0>
    ```
  }];
  let parameters = (ins
    SNN_RequiredField<"pair potentiation">:$a2_plus,
    SNN_RequiredField<"triplet potentiation">:$a3_plus,
    SNN_RequiredField<"pair depression">:$a2_minus,
    SNN_RequiredField<"triplet depression">:$a3_minus,
    SNN_RequiredField<"x1 time constant (steps)">:$tau_plus,
    SNN_RequiredField<"y1 time constant (steps)">:$tau_minus,
    SNN_RequiredField<"x2 time constant (steps)">:$tau_x,
    SNN_RequiredField<"y2 time constant (steps)">:$tau_y,
    SNN_Field<"trace impulse (default 16)">:$impulse);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_RewardStdpAttr : SNN_Attr<"RewardStdp", "reward_stdp"> {
  let summary = "Reward-modulated STDP with an eligibility tag (library rule)";
  let description = [{
    Pair STDP accumulated in each synapse's tag (an eligibility trace that
    loses `tag_decay` of itself every epoch), turned into weight changes by
    the post compartment's third factor r (set by `reward` projections),
    after Izhikevich (2007):

    ```mlir
    #snn.learning<rule = "dt = A+ * x1 * y0 - A- * y1 * x0 - D * t * u;
                          dw = L * r * t * u",
                  x1 = #snn.trace<impulse = I, tau = tau_plus>,
                  y1 = #snn.trace<impulse = I, tau = tau_minus>>
    ```

    with `A+` = `a_plus`, `A-` = `a_minus`, `D` = `tag_decay` (default 0:
    the tag term is left out), `L` = `learning_rate`, all >= 0 and dyadic,
    and `I` = `impulse` (default 16).

    ```mlir
    #snn.reward_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0,
                     tau_minus = 20.0, learning_rate = 3.125e-2,
                     tag_decay = 1.25e-1>
    ```
  }];
  let parameters = (ins
    SNN_RequiredField<"potentiation per trace unit">:$a_plus,
    SNN_RequiredField<"depression per trace unit">:$a_minus,
    SNN_RequiredField<"x1 time constant (steps)">:$tau_plus,
    SNN_RequiredField<"y1 time constant (steps)">:$tau_minus,
    SNN_RequiredField<"weight change per unit of r x t">:$learning_rate,
    SNN_Field<"fraction of the tag lost per epoch (default 0)">:$tag_decay,
    SNN_Field<"trace impulse (default 16)">:$impulse);
  let assemblyFormat = "`<` struct(params) `>`";
}

def SNN_LearningRuleAttr : AnyAttrOf<[SNN_LearningAttr, SNN_PairStdpAttr,
                                      SNN_TripletStdpAttr,
                                      SNN_RewardStdpAttr]>;

def SNN_ParamsAttr : AnyAttrOf<[SNN_ContinuousParamsAttr,
                                SNN_DiscreteParamsAttr,
                                SNN_QuantizedParamsAttr,
                                SNN_IzhikevichParamsAttr,
                                SNN_EquationParamsAttr]>;

// What a population's parameters are once mapped onto a chip.
def SNN_ChipParamsAttr : AnyAttrOf<[SNN_QuantizedParamsAttr,
                                    SNN_IzhikevichParamsAttr,
                                    SNN_EquationParamsAttr]>;

def SNN_ConnectivityAttr : AnyAttrOf<[SNN_DenseAttr, SNN_SparseAttr,
                                      SNN_OneToOneAttr, SNN_FixedProbAttr,
                                      SNN_FixedNumberAttr, SNN_Conv2dAttr]>;

#endif // CAJAL_DIALECT_SNN_SNNATTRIBUTES_TD
