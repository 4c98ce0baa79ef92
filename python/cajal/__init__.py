"""Cajal: compile spiking networks to a neuromorphic chip and run them.

    import cajal
    img = cajal.compile("examples/cuba.mlir", profile="loihi1")
    print(img.fit["coresUsed"])
    res = img.run(steps=1000, engine="systemc")
    res.spikes["exc"]            # uint32 array of (step, index) rows
    res.power.total_energy_pj
    res.plot_raster("raster.png")

The compiler and the engines are the ones `cajal` runs (the _cajal extension
module); results and error messages are the command line's. Errors raise
cajal.Error (a RuntimeError); Ctrl-C stops a run after its current step.
"""

from ._cajal import Error, Image, Power, RunResult, __version__, compile, load, run_float
from . import plot as _plot

__all__ = ["Error", "Image", "Power", "RunResult", "__version__", "compile", "load",
           "run_float"]


def _plot_raster(self, path=None, populations=None):
    """Spike raster of this run (every population, or those named); saved to
    `path` (PNG, SVG or PDF by its suffix) when given. Returns the figure."""
    return _plot.raster(self.spikes, self.sizes, path=path, populations=populations)


def _plot_rates(self, path=None, populations=None, bin_steps=None):
    """Population rates (spikes per neuron per step) over time; returns the
    figure, saved to `path` when given."""
    return _plot.rates(self.spikes, self.sizes, self.steps, path=path,
                       populations=populations, bin_steps=bin_steps)


RunResult.plot_raster = _plot_raster
RunResult.plot_rates = _plot_rates
