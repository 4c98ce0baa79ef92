//===- Passes.td - Cajal's snn and nc passes --------------*- tablegen -*-===//
#ifndef CAJAL_TRANSFORMS_PASSES_TD
#define CAJAL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SNNDiscretize : Pass<"snn-discretize", "::cajal::snn::NetworkOp"> {
  let summary = "Turn continuous neuron parameters into per-step ones";
  let description = [{
    Every population with `#snn.continuous` parameters gets `#snn.discrete`
    ones for the network's `dt`, computed by cajal::mapping::discretize
    (docs/mapping.md). With the default exact exponential method a time
    constant tau gives the per-step decay 1 - exp(-dt / tau): decay_v from
    tau_mem (0 for if), decay_u from tau_syn for cuba_lif and 1 otherwise
    (no current state: u = q). The input scale is r * decay_v (r * dt for
    if; times w_in * decay_u for cuba_lif). v is shifted by v_reset, so the
    leak becomes a bias. A projection's `bias` b (a constant input) is
    folded into its post population: bias += b * input_scale / decay_u,
    exact once the synaptic current has settled. `adaptive_lif` also gets
    decay_a from tau_a and its jump (by default 1 - exp(-dt / tau_a), LSNN's
    choice). `izhikevich` populations keep their `#snn.izhikevich`
    parameters (their program steps 1 ms in the model's units); a projection
    bias is added to their bias current.

    Before:
    ```mlir
    %p = snn.population @p {model = #snn.model<lif>,
        params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<4>
    ```
    After (dt = 1 ms):
    ```mlir
    %p = snn.population @p {model = #snn.model<lif>,
        params = #snn.discrete<decay_u = 1.0, decay_v = 4.877e-02,
                               v_th = 1.0, bias = 0.0,
                               input_scale = 4.877e-02, refractory = 0,
                               v_offset = 0.0>} : !snn.spikes<4>
    ```
  }];
  let options = [
    Option<"method", "method", "std::string", "\"exact\"",
           "exact (1 - exp(-dt/tau), the default) or euler (dt/tau)">
  ];
}

def SNNDiscretizeEquations
    : Pass<"snn-discretize-equations", "::mlir::ModuleOp"> {
  let summary = "Turn the derivatives of snn.neuron_model into one time step";
  let description = [{
    Every `snn.neuron_model` whose `dynamics` end in `snn.derivatives` and
    that a population uses gets `step` h = dt / `time_unit` (dt of the
    networks that use it, which must agree: one model has one step) and its
    `dynamics` rewritten in place into the states after one step
    (`snn.yield`); `solver` becomes the method used (the option `solver`,
    or the model's own). Every evaluation of the derivatives f in a step
    sees the states before the step (and, for rk2, the stage values):

    - `euler`: x + h f(x).
    - `rk2` (explicit midpoint, Brian2's 'rk2'): k1 = f(x),
      k2 = f(x + h/2 k1), x + h k2.
    - `exponential_euler` (Brian2's): each state must be linear in itself,
      f_j = A_j + B_j x_j with A_j and B_j free of x_j (they may depend on
      the other states, taken before the step, the parameters and the
      input). B_j = d f_j / d x_j is built by differentiating the region's
      linear operations (no f(1) - f(0) cancellation), A_j = f_j at x_j = 0
      by a clone, and phi_j = expm1(B_j h) / B_j (h where B_j = 0). When
      B_j and A_j read at most one of the states and the input (a
      Hodgkin-Huxley gate's rates of V): x_j + x_j expm1(B_j h) + A_j phi_j,
      each term a function of that one value; otherwise x_j + f_j(x) phi_j,
      where an error in phi_j (a lookup table of B_j on the chip) is scaled
      by the step's change, not by x_j. The operations built are named
      (locations `d(dx/dt)/dx` and `the exponential Euler step of x`) for
      the fit report.
    - `exact`: f(x) = M x + c with M and c free of the states (parameters
      and input only). c = f(0), M by differentiation; then
      x' = x + G x + g where [[G, g], [0, 0]] = exp(A) - I for the
      augmented A = [[M h, c h], [0, 0]], by scaling and squaring on
      exp(A) - I (F <- 2F + F^2, which keeps small steps accurate):
      A / 2^8, Taylor order 10 (Horner), 8 squarings, all straight-line
      arith. For ||M h|| <= 32 the truncation is below 2^-53 relative (at
      ||M h|| <= 16 below 1e-19); beyond that the error grows.

    Linearity is decided by the degree of each value in the states: addf,
    subf, negf keep it, mulf adds, divf needs a state-free denominator,
    select a state-free condition; cmpf, maximumf, minimumf and math ops on
    a value that depends on the states are nonlinear. A state that is not
    linear where the method needs it is an error naming the state, the
    model and the expression. A model already discretised is left alone
    (its step must match every network's dt / time_unit to 1e-12
    relative), a model no population uses is discretised only with the
    option `dt` (seconds). Networks with different dt using one model, a
    network without dt and an unknown solver are errors. The result is
    folded and CSE'd.

    Before (dt = 0.1 ms, h = 0.1 ms / 1 ms):
    ```mlir
    snn.neuron_model @leaky states(%x = 0.0) params(%tau = 10.0) input(%i)
        time_unit 1.0e-3 solver euler dynamics {
      %nx = arith.negf %x : f64
      %leak = arith.divf %nx, %tau : f64
      %dx = arith.addf %leak, %i : f64
      snn.derivatives %dx : f64
    }
    ```
    After:
    ```mlir
    snn.neuron_model @leaky states(%x = 0.0) params(%tau = 10.0) input(%i)
        time_unit 1.0e-3 solver euler step 0.1 dynamics {
      %h = arith.constant 1.000000e-01 : f64
      %nx = arith.negf %x : f64
      %leak = arith.divf %nx, %tau : f64
      %dx = arith.addf %leak, %i : f64
      %dxh = arith.mulf %dx, %h : f64
      %next = arith.addf %x, %dxh : f64
      snn.yield %next : f64
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
  let options = [
    Option<"solver", "solver", "std::string", "\"\"",
           "euler, exponential_euler, rk2 or exact for every model (default: "
           "each model's own)">,
    Option<"dt", "dt", "double", "0.0",
           "time step in seconds for models no population uses (0: leave "
           "them)">
  ];
}

def SNNCalibrateRanges : Pass<"snn-calibrate-ranges", "::mlir::ModuleOp"> {
  let summary = "Declare undeclared state ranges from a float-engine run";
  let description = [{
    A program's fixed-point formats need every state's range. For each
    `snn.neuron_model` with a state whose range is not declared, every
    network using it runs `steps` steps on the float engine (a copy,
    discretised by `snn-discretize`, removed afterwards); the smallest and
    largest value the state reached over every neuron and step, widened by
    `margin` of that span on each side (of the magnitude, at least 1, when
    the state did not move), becomes its declared range. The model keeps a
    `calibration` attribute (steps, margin, states) and the fit report says
    which ranges came from it. Runs after `snn-discretize-equations`; a
    model whose ranges are all declared is left alone. A run the float
    engine cannot do (Poisson sources) is an error.

    The range is what this run reached, not a bound: a state outside it
    saturates at the range's edge (the program clips it, and the fit report
    says so).
  }];
  let options = [
    Option<"steps", "steps", "unsigned", "1000",
           "steps of the calibration run">,
    Option<"margin", "margin", "double", "0.5",
           "widening on each side, as a fraction of the span reached">
  ];
}

def SNNExpandLibraryModels
    : Pass<"snn-expand-library-models", "::mlir::ModuleOp"> {
  let summary = "Write the built-in neuron models as equation models";
  let description = [{
    After `snn-discretize`, every population of `if`, `lif`, `cuba_lif`,
    `li` or `adaptive_lif` (`#snn.discrete` parameters) becomes a population
    of an `snn.neuron_model` of the library, `#snn.model<equations>`, whose
    per-step equations are the built-in update (docs/neuron-model.md; the
    source lists them): u, v, the refractory counter `left` and, for
    `adaptive_lif`, a as states; `decay_u`, `decay_v`, `v_th`, `bias`,
    `input_scale`, `refractory` (and `decay_a`, `jump`, `beta`) as
    parameters, taken per neuron from the population. One model per kind,
    reset mode and network dt (`library_lif_zero`, `library_lif_subtract`,
    `library_li`, `library_adaptive_lif`), inserted into the module once.
    The float engine runs the result with the spikes of the built-in model;
    on a programmable profile the compiler lowers it like any equation model
    (u and v need ranges: `snn-calibrate-ranges`).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def SNNQuantize : Pass<"snn-quantize", "::cajal::snn::NetworkOp"> {
  let summary = "Turn per-step parameters and weights into the chip's integers";
  let description = [{
    Each `#snn.discrete` population gets one scale (integer v units per model
    unit, `voltage_scale`) chosen by cajal::mapping::choosePopulationScale
    from its threshold, bias and largest incoming weight, then
    `#snn.quantized` parameters. Each projection onto it gets integer weight
    mantissas and the smallest `weight_exponent` that holds its largest
    weight; `quant_error` records the relative L2 error of the weights and
    a remark reports it. Dense weights larger than a few thousand entries go
    to a resource blob. Lossy parameter adjustments (a refractory period
    raised to the profile's minimum) are reported as warnings.

    `adaptive_lif` populations get the adaptive LIF program's words as the
    `decay_a`, `jump` and `beta` fields; `izhikevich` populations keep their
    parameters and get `voltage_scale` = 2^12 (units per mV), so a weight
    of w mV/ms becomes w * 4096 units (docs/mapping.md, "Neurocore
    programs"). Both models are neurocore programs: on a profile that is not
    programmable (`isa.programmable`, e.g. loihi1) the population is an
    error naming the model and the profile, before any per-neuron work.

    First, before any per-neuron work, the population sizes are checked
    against the chip's compartments (an error naming the population and
    both numbers). Non-finite weights are errors. A projection whose every
    weight quantises to 0 carries nothing: when that holds for every
    projection with a non-zero weight it is an error on the network (a note
    per projection gives its largest weight and weight scale), otherwise a
    warning on the projection. A projection from an `li` population (which
    never spikes) gets a warning with a note at that population.

    Before:
    ```mlir
    snn.projection @p %in -> %e {connectivity = #snn.one_to_one<0.3>}
        : !snn.spikes<4> -> !snn.spikes<4>
    ```
    After:
    ```mlir
    snn.projection @p %in -> %e {connectivity = #snn.one_to_one<255>,
        quant_error = 1.2e-03 : f64, weight_exponent = 3 : i64}
        : !snn.spikes<4> -> !snn.spikes<4>
    ```
  }];
  let options = [
    Option<"profile", "profile", "std::string", "\"loihi1\"",
           "architecture profile: a name in the profile directory or a path">,
    Option<"headroomBits", "headroom-bits", "unsigned", "3",
           "keep the threshold 2^bits below its largest value">
  ];
}

def SNNLowerEquations
    : Pass<"snn-lower-equations", "::cajal::snn::NetworkOp"> {
  let summary = "Lower each equation population's model to its neurocore "
                "program, into the IR";
  let description = [{
    After `snn-quantize` (which chose the input's units), every population
    of an equation model (`#snn.equations`, model discretised by
    `snn-discretize-equations`) is lowered for the profile as the image
    will be (docs/models.md, "From equations to a program": values of
    parameters alone computed by the compiler, fixed-point formats from the
    range analysis, lookup tables, clipping, the program's limits checked)
    and gets two attributes: `program`, its listing (constants, tables,
    then one string per instruction, as `cajal inspect --programs` prints
    them), and `program_formats`, one line with the solver, step, state
    formats, tables and length (as `cajal compile --verbose` says). A model
    the profile cannot run is an error naming it. The mapping passes lower
    again from the model; this pass shows and tests the lowering alone.
  }];
  let options = [
    Option<"profile", "profile", "std::string", "\"loihi1\"",
           "architecture profile: a name in the profile directory or a path">
  ];
}

def SNNPartition : Pass<"snn-partition", "::cajal::snn::NetworkOp"> {
  let summary = "Slice populations so that each slice fits a core";
  let description = [{
    Runs cajal::mapping::partition on the quantized network: every
    population is cut into contiguous slices that fit one core in
    compartments, input axons, output axons and synapse-memory words, and
    slices are packed onto virtual cores. Each population gets `slices`
    (boundaries) and `cores` (virtual core per slice). A population that
    cannot fit is an error on its op naming the resource, the amount needed
    and the amount available. The size check against the chip's
    compartments comes first; compartment parameters are checked with the
    image loader's ranges for the profile (a bias exponent above
    `neuron.biasExponentMax` is an error on the population); integer
    attributes that do not fit the image's fields (a delay or period above
    2^32 - 1) are errors, never truncated.

    After:
    ```mlir
    %e = snn.population @e {cores = array<i64: 0, 1>,
        slices = array<i64: 0, 1024, 1500>, ...} : !snn.spikes<1500>
    ```
  }];
  let options = [
    Option<"profile", "profile", "std::string", "\"loihi1\"",
           "architecture profile: a name in the profile directory or a path">,
    Option<"pack", "pack", "bool", "true",
           "let several small slices share a core">
  ];
}

def NCPlace : Pass<"nc-place", "::mlir::ModuleOp"> {
  let summary = "Give every core of each nc.chip a mesh position";
  let description = [{
    Runs cajal::mapping::place with the traffic of the chip's `nc.route` ops
    (axons between cores), minimising the sum of axons x hops, and sets
    `x`, `y` and `slot` on every `nc.core`. Reports the cost as a remark.

    After:
    ```mlir
    nc.core @c0 attributes {slot = 0 : i64, x = 0 : i64, y = 0 : i64} {...}
    ```
  }];
}

def NCRoute : Pass<"nc-route", "::mlir::ModuleOp"> {
  let summary = "Set the hop count of every route from the placement";
  let description = [{
    Every `nc.route` gets `hops`, the Manhattan distance between the tiles
    of its cores (dimension-ordered routing on the mesh). Routes between the
    same cores are merged first. Every core must be placed.

    After:
    ```mlir
    nc.route @c0 -> @c1 {axons = 100 : i64, hops = 1 : i64}
    ```
  }];
}

def NCEmitImage : Pass<"nc-emit-image", "::mlir::ModuleOp"> {
  let summary = "Write the chip image (and optionally the fit report)";
  let description = [{
    For the module's `nc.chip`, rebuilds the mapping of its network, checks
    that the chip's cores hold exactly the slices the partitioner gives
    (they do unless the nc IR was edited by hand), and streams the image to
    `path` with cajal::mapping::emitImage, materialising synapses one core
    at a time. `fit-report` writes the JSON fit report. The IR is unchanged.
    What the image loader would refuse is refused here first, with the
    loader's own checks and the profile's limits: a core position outside
    the mesh (an error on the `nc.core`), compartment parameters out of
    range (on the population). Nothing is written on an error.
  }];
  let options = [
    Option<"path", "path", "std::string", "\"\"", "image file to write">,
    Option<"fitReport", "fit-report", "std::string", "\"\"",
           "JSON fit report to write (none if empty)">,
    Option<"pack", "pack", "bool", "true",
           "the pack option snn-partition and convert-snn-to-nc used">
  ];
}

#endif // CAJAL_TRANSFORMS_PASSES_TD
