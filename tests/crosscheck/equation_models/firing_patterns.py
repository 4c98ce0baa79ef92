#!/usr/bin/python3
"""firing_patterns.py - features and a firing-pattern label for one spike train.

features(times) computes, from one neuron's spike times (ms, ascending):
count, mean rate, the ISIs, the first and the steady ISI (the median ISI of
the second half of the train in time), the adaptation ratio (steady ISI /
first ISI), the adaptation index (mean over the train of
(ISI_{k+1} - ISI_k) / (ISI_{k+1} + ISI_k)) and the bursts.

Bursts. Spikes of a burst ride on one slow depolarisation, so their ISIs
are set by the fast spike dynamics, while the ISIs between bursts are set by
the slow recovery: the ISI distribution is bimodal with a gap. Sorted ISIs
are split at their largest ratio between neighbours; if that ratio is at
least BIMODAL_GAP (3), the ISIs above the split are the long ones, and a
burst is a group of >= 2 spikes whose ISIs are all below 1/3 of the median
long ISI. Spike-frequency adaptation, by contrast, lengthens ISIs gradually
(no neighbouring sorted ISIs differ by 3x), so a high-rate onset that slows
down is not a burst.

classify(times) returns one label:

* 'silent'        fewer than MIN_SPIKES spikes: nothing to classify;
* 'chattering'    bursts of >= 3 spikes recur: at least 2 bursts after the
                  onset, and the later bursts have a median of >= 3 spikes
                  (Izhikevich's CH: stereotyped bursts of closely spaced
                  spikes repeating through the train). Repeated doublets do
                  not count: the IB set fires them after its onset burst
                  under a stronger drive (I >= 12);
* 'initial_burst' a burst at the onset (it starts with the first spike) and
                  a steady ISI at least IB_ONSET_RATIO (7.5) times the first
                  ISI: a burst, then slow tonic firing (IB). The ratio keeps
                  RS, which under a strong drive also starts with a short
                  doublet but adapts less (steady / first ISI <= 7 for I up
                  to 16, against >= 8.7 for IB), out of this label; it is
                  the narrowest margin of the classifier;
* otherwise the train is tonic, and the rates separate the three tonic types
  (the after-spike jump d of the recovery variable sets them: d = 8 for RS,
  d = 2 for FS and LTS):
  - 'regular'       steady rate below FAST_STEADY_HZ (40 Hz): regular
                    spiking with its adaptation of the first ISIs (RS);
  - 'fast'          steady rate >= 40 Hz and adaptation ratio below
                    LTS_ADAPTATION (2.5): a high rate from the first ISI on,
                    practically without slowing down (FS);
  - 'low_threshold' steady rate >= 40 Hz and adaptation ratio >= 2.5: a
                    high-frequency onset that slows down noticeably (LTS).

The rate threshold is a property of the drive: for the Izhikevich sets under
a constant current of 6 to 16 (around the published I = 10; dt 0.1 ms,
euler), RS settles below 35 Hz and FS, LTS above 45 Hz; FS's first ISI is
at most 1.7 times shorter than its steady ISI, LTS's at least 3.8 times.
"""

import numpy as np

MIN_SPIKES = 3
BIMODAL_GAP = 3.0
BURST_FRACTION_OF_LONG = 1.0 / 3.0
FAST_STEADY_HZ = 40.0
LTS_ADAPTATION = 2.5
IB_ONSET_RATIO = 7.5
CHATTERING_BURST_SPIKES = 3

LABELS = ("silent", "chattering", "initial_burst", "regular", "fast",
          "low_threshold")


def find_bursts(isis):
    """Bursts as (first spike index, spike count) pairs (module header)."""
    isis = np.asarray(isis, dtype=np.float64)
    if len(isis) < 2:
        return []
    ordered = np.sort(isis)
    ordered = ordered[ordered > 0]
    if len(ordered) < 2:
        return []
    ratios = ordered[1:] / ordered[:-1]
    split = int(np.argmax(ratios))
    if ratios[split] < BIMODAL_GAP:
        return []
    long_isis = ordered[split + 1:]
    limit = np.median(long_isis) * BURST_FRACTION_OF_LONG
    short = isis < limit
    bursts = []
    k = 0
    while k < len(isis):
        if short[k]:
            start = k
            while k < len(isis) and short[k]:
                k += 1
            bursts.append((start, k - start + 1))
        else:
            k += 1
    return bursts


def features(times):
    """A dict of the spike train's features (module header)."""
    times = np.asarray(times, dtype=np.float64)
    if times.ndim != 1 or np.any(np.diff(times) <= 0):
        raise ValueError("spike times must be one neuron's, strictly "
                         "increasing")
    count = len(times)
    result = dict(count=count, isis=np.diff(times), bursts=[],
                  mean_rate_hz=0.0, first_isi_ms=None, steady_isi_ms=None,
                  steady_rate_hz=0.0, initial_rate_hz=0.0,
                  adaptation_ratio=None, adaptation_index=None)
    if count >= 2:
        span = times[-1] - times[0]
        result["mean_rate_hz"] = 1000.0 * (count - 1) / span if span > 0 else 0
    if count < MIN_SPIKES:
        return result
    isis = result["isis"]
    middle = 0.5 * (times[0] + times[-1])
    late = isis[times[1:] > middle]
    steady = float(np.median(late)) if len(late) else float(isis[-1])
    result["first_isi_ms"] = float(isis[0])
    result["steady_isi_ms"] = steady
    result["steady_rate_hz"] = 1000.0 / steady
    result["initial_rate_hz"] = 1000.0 / isis[0]
    result["adaptation_ratio"] = steady / isis[0]
    pairs = isis[1:] + isis[:-1]
    if len(pairs):
        result["adaptation_index"] = float(
            np.mean((isis[1:] - isis[:-1]) / pairs))
    result["bursts"] = find_bursts(isis)
    return result


def classify_features(feat):
    """The label of a features() dict (module header)."""
    if feat["count"] < MIN_SPIKES:
        return "silent"
    bursts = feat["bursts"]
    onset = bool(bursts) and bursts[0][0] == 0
    later_sizes = [size for start, size in bursts if start > 0]
    if (len(later_sizes) >= 2
            and np.median(later_sizes) >= CHATTERING_BURST_SPIKES):
        return "chattering"
    if onset and feat["adaptation_ratio"] >= IB_ONSET_RATIO:
        return "initial_burst"
    if feat["steady_rate_hz"] < FAST_STEADY_HZ:
        return "regular"
    if feat["adaptation_ratio"] < LTS_ADAPTATION:
        return "fast"
    return "low_threshold"


def classify(times):
    """One of LABELS for the spike times TIMES (ms, ascending)."""
    return classify_features(features(times))


def describe(times):
    """A one-line summary of the features, for logs."""
    feat = features(times)
    parts = [f"spikes={feat['count']}", f"rate={feat['mean_rate_hz']:.1f}Hz"]
    if feat["first_isi_ms"] is not None:
        parts += [f"first_isi={feat['first_isi_ms']:.2f}ms",
                  f"steady_isi={feat['steady_isi_ms']:.2f}ms",
                  f"adaptation_ratio={feat['adaptation_ratio']:.2f}"]
    if feat["adaptation_index"] is not None:
        parts.append(f"adaptation_index={feat['adaptation_index']:.4f}")
    parts.append(f"bursts={len(feat['bursts'])}"
                 + (f" (sizes {[b[1] for b in feat['bursts'][:6]]}"
                    f"{'...' if len(feat['bursts']) > 6 else ''})"
                    if feat["bursts"] else ""))
    return " ".join(parts)
