//===- KernelBound.cpp - How fast can one Izhikevich step be? -------------===//
//
// cajal-kernel-bound-bench [--neurons N] [--steps S] [--runs R]
//
// The golden-model goal "5x Brian2 C++ standalone" asks an exact integer
// execution of a neuron program to beat Brian2's float64 loop fivefold.
// This bench measures what bounds that: the same Izhikevich regular-spiking
// step (Euler, dt = 0.1 ms, currents spread over 0-20 mV/ms, the work of
// bench/equation-models/run's izhikevich) written two ways as the tightest
// straight-line C++ loops, run as AVX-512 code where the CPU has it:
//
//   double   Brian2's equations as one fused float64 loop (Brian2's own
//            code runs state update, threshold and reset as separate
//            passes, with its scheduling around them);
//   integer  fixed point with every product inside 64 bits and plain
//            arithmetic shifts: fewer and cheaper operations than the
//            program (which rounds every shift half up and keeps 46-bit
//            formats, so that products need 128 bits), i.e. the fastest
//            any compiled kernel of such a program could be.
//
// It prints each loop's neuron updates per second (best of R runs) and
// their ratio. Against Brian2's own run loop (bench/equation-models/run)
// the integer loop says how far a compiled kernel of such a program could
// go; the golden model's fused interpreter is what runs today.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CAJAL_HAVE_WIDE 1
#define CAJAL_WIDE __attribute__((target("avx512f,avx512dq,avx512vl,avx2")))
#define CAJAL_AVX2 __attribute__((target("avx2,fma")))
#else
#define CAJAL_HAVE_WIDE 0
#define CAJAL_WIDE
#define CAJAL_AVX2
#endif
#define CAJAL_INLINE inline __attribute__((always_inline))

/// The widest build of the loops this CPU runs (calling a wider one is an
/// illegal instruction): 2 AVX-512, 1 AVX2, 0 baseline.
int cpuLevel() {
#if CAJAL_HAVE_WIDE
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl"))
    return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return 1;
#endif
  return 0;
}

constexpr double kDt = 0.1; // ms
constexpr double kA = 0.02, kB = 0.2, kC = -65, kD = 8;

/// Fraction bits of the integer loop's v, u and currents.
constexpr int kQ = 20;
constexpr int64_t fixed(double x) { return int64_t(x * (1 << kQ)); }

struct DoubleState {
  std::vector<double> v, u, current;
};

CAJAL_INLINE uint64_t stepDoubleBody(DoubleState &s) {
  uint64_t spikes = 0;
  const size_t n = s.v.size();
  double *v = s.v.data(), *u = s.u.data();
  const double *current = s.current.data();
  for (size_t i = 0; i < n; ++i) {
    const double vi = v[i], ui = u[i];
    const double nv =
        vi + kDt * (0.04 * vi * vi + 5 * vi + 140 - ui + current[i]);
    const double nu = ui + kDt * (kA * (kB * vi - ui));
    const bool spike = nv >= 30;
    v[i] = spike ? kC : nv;
    u[i] = spike ? nu + kD : nu;
    spikes += spike;
  }
  return spikes;
}

struct IntegerState {
  std::vector<int64_t> v, u, current;
};

CAJAL_INLINE uint64_t stepIntegerBody(IntegerState &s) {
  constexpr int64_t k2 = fixed(0.04), k1 = fixed(5), k0 = fixed(140),
                    dt = fixed(kDt), a = fixed(kA), b = fixed(kB),
                    c = fixed(kC), d = fixed(kD), peak = fixed(30);
  uint64_t spikes = 0;
  const size_t n = s.v.size();
  int64_t *v = s.v.data(), *u = s.u.data();
  const int64_t *current = s.current.data();
  for (size_t i = 0; i < n; ++i) {
    const int64_t vi = v[i], ui = u[i];
    // |v| < 2^7 mV: v^2 < 2^54 raw, every product below 2^63.
    const int64_t square = (vi * vi) >> kQ;
    const int64_t dv =
        ((k2 * square) >> kQ) + ((k1 * vi) >> kQ) + k0 - ui + current[i];
    const int64_t nv = vi + ((dt * dv) >> kQ);
    const int64_t du = (a * (((b * vi) >> kQ) - ui)) >> kQ;
    const int64_t nu = ui + ((dt * du) >> kQ);
    const bool spike = nv >= peak;
    v[i] = spike ? c : nv;
    u[i] = spike ? nu + d : nu;
    spikes += spike;
  }
  return spikes;
}

// Each loop three times: for AVX-512, AVX2 and the baseline (main picks).
CAJAL_WIDE uint64_t stepDoubleWide(DoubleState &s) { return stepDoubleBody(s); }
CAJAL_AVX2 uint64_t stepDoubleAvx2(DoubleState &s) { return stepDoubleBody(s); }
uint64_t stepDoublePlain(DoubleState &s) { return stepDoubleBody(s); }
CAJAL_WIDE uint64_t stepIntegerWide(IntegerState &s) {
  return stepIntegerBody(s);
}
CAJAL_AVX2 uint64_t stepIntegerAvx2(IntegerState &s) {
  return stepIntegerBody(s);
}
uint64_t stepIntegerPlain(IntegerState &s) { return stepIntegerBody(s); }

template <typename State, typename Step>
double bestRate(const State &initial, Step step, unsigned steps, unsigned runs,
                uint64_t &spikes) {
  double best = 0;
  for (unsigned r = 0; r < runs; ++r) {
    State s = initial;
    spikes = 0;
    const auto start = std::chrono::steady_clock::now();
    for (unsigned t = 0; t < steps; ++t)
      spikes += step(s);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    best = std::max(best, double(s.v.size()) * steps / seconds);
  }
  return best;
}

bool parseCount(const char *text, unsigned long &out) {
  char *end = nullptr;
  out = std::strtoul(text, &end, 10);
  return end && *end == '\0' && out > 0 && out <= 100000000UL;
}

} // namespace

int main(int argc, char **argv) {
  unsigned long neurons = 10000, steps = 1000, runs = 5;
  // Options come in pairs: a name, then its count.
  for (int i = 1; i < argc; i += 2) {
    const std::string arg = argv[i];
    unsigned long *target = arg == "--neurons" ? &neurons
                            : arg == "--steps" ? &steps
                            : arg == "--runs"  ? &runs
                                               : nullptr;
    if (!target || i + 1 >= argc || !parseCount(argv[i + 1], *target)) {
      std::fprintf(stderr,
                   "usage: %s [--neurons N] [--steps S] [--runs R] (each a "
                   "count from 1 to 1e8; bad: %s)\n",
                   argv[0], arg.c_str());
      return 1;
    }
  }
  DoubleState fd;
  IntegerState fi;
  for (unsigned long i = 0; i < neurons; ++i) {
    const double current =
        neurons > 1 ? 20.0 * double(i) / double(neurons - 1) : 10.0;
    fd.v.push_back(kC);
    fd.u.push_back(kB * kC);
    fd.current.push_back(current);
    fi.v.push_back(fixed(kC));
    fi.u.push_back(fixed(kB * kC));
    fi.current.push_back(fixed(current));
  }
  uint64_t doubleSpikes = 0, integerSpikes = 0;
  const int level = cpuLevel();
  const auto doubleStep = level == 2   ? stepDoubleWide
                          : level == 1 ? stepDoubleAvx2
                                       : stepDoublePlain;
  const auto integerStep = level == 2   ? stepIntegerWide
                           : level == 1 ? stepIntegerAvx2
                                        : stepIntegerPlain;
  const double doubleRate =
      bestRate(fd, doubleStep, unsigned(steps), unsigned(runs), doubleSpikes);
  const double integerRate =
      bestRate(fi, integerStep, unsigned(steps), unsigned(runs), integerSpikes);
  std::printf("Izhikevich RS, Euler 0.1 ms, %lu neurons x %lu steps, best of "
              "%lu runs, %s\n",
              neurons, steps, runs,
              level == 2   ? "AVX-512"
              : level == 1 ? "AVX2 (no AVX-512 on this CPU)"
                           : "baseline x86-64");
  std::printf("  double loop (one fused loop):      %.3e updates/s, %llu "
              "spikes\n",
              doubleRate, (unsigned long long)doubleSpikes);
  std::printf("  integer loop (64-bit products):    %.3e updates/s, %llu "
              "spikes\n",
              integerRate, (unsigned long long)integerSpikes);
  std::printf("  integer / double: %.2fx\n", integerRate / doubleRate);
  return 0;
}
