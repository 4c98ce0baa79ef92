//===- CompiledKernel.cpp - A neuron program compiled to native code ------===//
//
// cajal-compiled-kernel-bench IMAGE --profile P [--steps S] [--runs R]
//                             [--cxx COMPILER] [--work DIR]
//
// How fast can an exact execution of a neuron program be if each program is
// compiled to machine code, as Brian2 compiles its equations? The golden
// model interprets programs (docs/golden-model.md); this bench writes every
// program the image's compartments run as one straight-line C++ function
// (registers, state and parameter words become locals, constants literals,
// every instruction its exact semantics from docs/neurocore-isa.md: 128-bit
// products where MULSHR's ports need them, narrowing on every state write,
// REFR's halt, the idle skip; a MULSHR by a constant small enough for a
// 64-bit product is specialised to one), compiles it with --cxx (default
// clang++-19, which gives these kernels 1.3-1.5x g++ 12's speed) at -O3
// -march=native (Brian2's standalone device compiles with those), loads it
// and runs every compartment for S steps with no synaptic input (the
// equation-model benchmarks drive neurons by their constant i_bias
// parameter). The final state words and the spike count
// must equal the reference interpreter's (`interpret`) over the same steps,
// or the bench fails. It prints the compiled kernel's neuron updates per
// second (best of R runs) beside the interpreter's.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/Profile.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

using namespace cajal::chip;
using isa::Opcode;
using isa::Operand;
using isa::OperandKind;

namespace {

/// All compartments that run one program, as structure-of-arrays.
struct Group {
  const Program *program = nullptr;
  size_t count = 0;
  std::vector<int32_t> state;  ///< state[w * count + i]
  std::vector<int64_t> params; ///< params[p * count + i]
};

/// The kernel's signature: run `steps` updates of `count` compartments with
/// no input; return the number of spikes.
using KernelFn = uint64_t (*)(int32_t *state, const int64_t *params,
                              size_t count, unsigned steps);

std::string literal(int64_t v) {
  // INT64_MIN has no literal; write it as an expression.
  if (v == INT64_MIN)
    return "(-INT64_C(9223372036854775807) - 1)";
  return "INT64_C(" + std::to_string(v) + ")";
}

/// C++ for the value a write to state word `w` keeps (narrowToStateWord).
std::string narrowed(const std::string &value, const StateWord &w) {
  if (w.overflow == Overflow::Saturate)
    return "clampTo(" + value + ", " + literal(wordMin(w.bits, w.isSigned)) +
           ", " + literal(wordMax(w.bits, w.isSigned)) + ")";
  if (w.isSigned)
    return "wrapSigned(" + value + ", " + std::to_string(w.bits) + ")";
  return "int64_t(uint64_t(" + value + ") & " +
         literal(int64_t((uint64_t(1) << w.bits) - 1)) + ")";
}

std::string read(Operand o, const Program &p) {
  switch (o.kind) {
  case OperandKind::Reg:
    return "r" + std::to_string(o.index);
  case OperandKind::State:
    return "s" + std::to_string(o.index);
  case OperandKind::Param:
    return "p" + std::to_string(o.index);
  case OperandKind::Const:
    return literal(p.constants[o.index]);
  case OperandKind::Input:
    return o.index == isa::kInputQ ? "q" : "int64_t(spiked)";
  case OperandKind::None:
    break;
  }
  return "INT64_C(0)";
}

/// A statement writing `value` to operand `d` (nothing for None).
std::string write(Operand d, const std::string &value, const Program &p) {
  if (d.kind == OperandKind::Reg)
    return "r" + std::to_string(d.index) + " = " + value + ";";
  if (d.kind == OperandKind::State)
    return "s" + std::to_string(d.index) + " = " +
           narrowed(value, p.state[d.index]) + ";";
  return "(void)(" + value + ");";
}

/// The helpers every kernel uses: the instruction set's arithmetic, written
/// from docs/neurocore-isa.md as NeurocoreInterpreter.cpp writes it.
const char *kPrelude = R"(#include <cstdint>
#include <cstddef>
namespace {
using Wide = __int128;
inline int64_t wrapSigned(int64_t a, unsigned bits) {
  if (bits >= 64) return a;
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  uint64_t r = uint64_t(a) & mask;
  if (r >> (bits - 1)) r |= ~mask;
  return int64_t(r);
}
inline int64_t clampTo(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}
inline int64_t clip(int64_t v, int64_t lo, int64_t hi) {
  v = v < lo ? lo : v; // b > c gives c, as min(max(a, b), c)
  return v > hi ? hi : v;
}
inline int64_t low64(Wide x) { return int64_t(uint64_t((unsigned __int128)x)); }
inline Wide magnitude(Wide x) { return x < 0 ? -x : x; }
inline Wide port(int64_t x) { return Wide(wrapSigned(x, 48)); }
inline int64_t mulShrFloor(int64_t a, int64_t b, unsigned s) {
  return low64((port(a) * port(b)) >> s);
}
inline int64_t mulShrZero(int64_t a, int64_t b, unsigned s) {
  const Wide p = port(a) * port(b);
  const Wide m = magnitude(p) >> s;
  return low64(p < 0 ? -m : m);
}
inline int64_t mulShrHalf(int64_t a, int64_t b, unsigned s) {
  const Wide p = port(a) * port(b);
  return low64(s == 0 ? p : (p + (Wide(1) << (s - 1))) >> s);
}
inline int64_t decayBy(int64_t a, int64_t d, unsigned bits) {
  const Wide x = port(a);
  const Wide scale = (Wide(1) << bits) - port(d);
  const Wide t = magnitude(x) * scale;
  const Wide m = t < 0 ? -(magnitude(t) >> bits) : (t >> bits);
  return low64(x < 0 ? -m : m);
}
inline int64_t saturateMagnitude(int64_t a, unsigned bits) {
  const int64_t limit = (int64_t(1) << bits) - 1;
  return a > limit ? limit : (a < -limit ? -limit : a);
}
inline int64_t lookup(const int32_t *entries, size_t segments, int64_t origin,
                      unsigned shift, int64_t a) {
  const Wide span = Wide(segments) << shift;
  Wide x = Wide(a) - Wide(origin);
  x = x < 0 ? 0 : (x > span ? span : x);
  size_t k = size_t(x >> shift);
  k = k < segments - 1 ? k : segments - 1;
  const Wide fraction = x - (Wide(k) << shift);
  const int64_t low = entries[k], high = entries[k + 1];
  const Wide step = Wide(high - low) * fraction;
  const Wide rounded = shift == 0 ? step : (step + (Wide(1) << (shift - 1))) >> shift;
  return low + int64_t(rounded);
}
} // namespace
)";

/// One C++ statement per instruction.
std::string statement(const isa::Instruction &in, const Program &p,
                      unsigned tableBase) {
  const std::string a = read(in.a, p), b = read(in.b, p), c = read(in.c, p);
  const std::string imm = std::to_string(in.imm);
  switch (in.op) {
  case Opcode::Nop:
    return "";
  case Opcode::Mov:
    return write(in.d, a, p);
  case Opcode::Add:
    return write(in.d, "int64_t(uint64_t(" + a + ") + uint64_t(" + b + "))", p);
  case Opcode::Sub:
    return write(in.d, "int64_t(uint64_t(" + a + ") - uint64_t(" + b + "))", p);
  case Opcode::MulShr: {
    // A constant factor small enough that the product fits 64 bits (the
    // other port is 48 bits) needs no 128-bit arithmetic; a compiler of
    // programs would specialise so.
    const bool aConst = in.a.kind == OperandKind::Const,
               bConst = in.b.kind == OperandKind::Const;
    if ((aConst || bConst) && in.mode != uint8_t(isa::Rounding::TowardZero)) {
      const int64_t factor = isa::wrapTo(
          p.constants[aConst ? in.a.index : in.b.index], isa::kMultiplierBits);
      const std::string other = aConst ? b : a;
      if (factor > -(int64_t(1) << 14) && factor < (int64_t(1) << 14)) {
        const std::string product =
            "(wrapSigned(" + other + ", 48) * " + literal(factor) + ")";
        const std::string rounded =
            in.mode == uint8_t(isa::Rounding::HalfUp) && in.imm > 0
                ? "((" + product + " + " + literal(int64_t(1) << (in.imm - 1)) +
                      ") >> " + imm + ")"
                : "(" + product + " >> " + imm + ")";
        return write(in.d, rounded, p);
      }
    }
    const char *fn =
        in.mode == uint8_t(isa::Rounding::TowardZero) ? "mulShrZero"
        : in.mode == uint8_t(isa::Rounding::HalfUp)   ? "mulShrHalf"
                                                      : "mulShrFloor";
    return write(in.d, std::string(fn) + "(" + a + ", " + b + ", " + imm + ")",
                 p);
  }
  case Opcode::Decay:
    return write(in.d, "decayBy(" + a + ", " + b + ", " + imm + ")", p);
  case Opcode::Shl:
    return write(in.d, "int64_t(uint64_t(" + a + ") << " + imm + ")", p);
  case Opcode::Shr:
    return write(in.d, "(" + a + " >> " + imm + ")", p);
  case Opcode::Min:
    return write(in.d, "(" + a + " < " + b + " ? " + a + " : " + b + ")", p);
  case Opcode::Max:
    return write(in.d, "(" + a + " > " + b + " ? " + a + " : " + b + ")", p);
  case Opcode::Clip:
    return write(in.d, "clip(" + a + ", " + b + ", " + c + ")", p);
  case Opcode::Sat:
    return write(in.d, "saturateMagnitude(" + a + ", " + imm + ")", p);
  case Opcode::Wrap:
    return write(in.d, "wrapSigned(" + a + ", " + imm + ")", p);
  case Opcode::CmpGt:
    return write(in.d, "int64_t(" + a + " > " + b + ")", p);
  case Opcode::CmpGe:
    return write(in.d, "int64_t(" + a + " >= " + b + ")", p);
  case Opcode::CmpEq:
    return write(in.d, "int64_t(" + a + " == " + b + ")", p);
  case Opcode::Sel:
    return write(in.d, "(" + a + " != 0 ? " + b + " : " + c + ")", p);
  case Opcode::Refr: {
    const auto counter = uint8_t(p.refractoryWord);
    const std::string s = "s" + std::to_string(counter);
    return "if (" + s + " > 0) { const int64_t left = " + s + "; " +
           write(in.d, "INT64_C(0)", p) + " " +
           write(isa::state(counter), "left - 1", p) + " goto done; }";
  }
  case Opcode::Fire: {
    const auto reset = isa::Reset(in.mode);
    std::ostringstream o;
    o << "{ const int64_t value = " << a << ", threshold = " << b
      << ", resetValue = " << c << "; (void)resetValue; ";
    if (reset == isa::Reset::Never) {
      o << write(in.d, "value", p) << " }";
      return o.str();
    }
    const std::string resetTo =
        reset == isa::Reset::Zero ? "INT64_C(0)"
        : reset == isa::Reset::Subtract
            ? "int64_t(uint64_t(value) - uint64_t(threshold))"
            : "resetValue";
    o << "if (value <= threshold) { " << write(in.d, "value", p)
      << " } else { spiked = true; " << write(in.d, resetTo, p);
    if (p.refractoryWord >= 0)
      o << " "
        << write(isa::state(uint8_t(p.refractoryWord)),
                 read(p.refractoryPeriod, p), p);
    o << " } }";
    return o.str();
  }
  case Opcode::Lut: {
    const LookupTable &t = p.tables[in.imm];
    const std::string name = "table" + std::to_string(tableBase + in.imm);
    return write(
        in.d,
        "lookup(" + name + ", " + std::to_string(t.entries.size() - 1) + ", " +
            literal(t.origin) + ", " + std::to_string(t.shift) + ", " + a + ")",
        p);
  }
  case Opcode::And:
    return write(in.d, "int64_t(" + a + " != 0 && " + b + " != 0)", p);
  case Opcode::Or:
    return write(in.d, "int64_t(" + a + " != 0 || " + b + " != 0)", p);
  case Opcode::Push:
  case Opcode::Pop:
    // Equation models are point neurons: a kernel has no tree stack.
    return "\n#error \"a compiled kernel runs no dendritic tree\"\n";
  }
  return "";
}

/// The kernel of `p`, named `kernelName`.
std::string kernelSource(const Program &p, const std::string &kernelName) {
  std::ostringstream o;
  for (size_t t = 0; t < p.tables.size(); ++t) {
    o << "static const int32_t table" << t << "[] = {";
    for (int32_t e : p.tables[t].entries)
      o << e << ",";
    o << "};\n";
  }
  const size_t nState = p.state.size(), nParams = p.params.size();
  o << "extern \"C\" uint64_t " << kernelName
    << "(int32_t *state, const int64_t *params, size_t count, unsigned "
       "steps) {\n"
    << "  uint64_t spikes = 0;\n"
    << "  for (unsigned t = 0; t < steps; ++t) {\n"
    << "    for (size_t i = 0; i < count; ++i) {\n"
    << "      const int64_t q = 0;\n"
    << "      bool spiked = false;\n";
  for (size_t w = 0; w < nState; ++w)
    o << "      int64_t s" << w << " = "
      << (p.state[w].isSigned ? "int64_t(state[" : "int64_t(uint32_t(state[")
      << w << " * count + i]" << (p.state[w].isSigned ? ")" : "))") << ";\n";
  for (size_t k = 0; k < nParams; ++k)
    o << "      const int64_t p" << k << " = params[" << k
      << " * count + i];\n";
  if (p.skipIdle) {
    o << "      if (q == 0";
    for (size_t w = 0; w < nState; ++w)
      o << " && s" << w << " == 0";
    for (size_t k = 0; k < nParams; ++k)
      if (p.idleParams >> k & 1)
        o << " && p" << k << " == 0";
    o << ") continue;\n";
  }
  for (unsigned r = 0; r < isa::kMaxOperandIndex; ++r)
    o << "      int64_t r" << r << " = 0;\n";
  for (uint64_t word : p.code) {
    const std::string s = statement(isa::decode(word), p, 0);
    if (!s.empty())
      o << "      " << s << "\n";
  }
  o << "    done:\n";
  for (size_t r = 0; r < isa::kMaxOperandIndex; ++r)
    o << "      (void)r" << r << ";\n";
  for (size_t w = 0; w < nState; ++w)
    o << "      state[" << w << " * count + i] = int32_t(uint32_t(s" << w
      << "));\n";
  o << "      spikes += spiked;\n    }\n  }\n  return spikes;\n}\n";
  return o.str();
}

[[noreturn]] void fail(const std::string &message) {
  std::fprintf(stderr, "cajal-compiled-kernel-bench: error: %s\n",
               message.c_str());
  std::exit(1);
}

uint64_t interpretSteps(const Group &g, std::vector<int32_t> &state,
                        unsigned steps) {
  const size_t nState = g.program->state.size(),
               nParams = g.program->params.size();
  uint64_t spikes = 0;
  std::vector<int32_t> words(nState);
  std::vector<int64_t> params(nParams);
  for (unsigned t = 0; t < steps; ++t)
    for (size_t i = 0; i < g.count; ++i) {
      for (size_t w = 0; w < nState; ++w)
        words[w] = state[w * g.count + i];
      for (size_t k = 0; k < nParams; ++k)
        params[k] = g.params[k * g.count + i];
      spikes += interpret(*g.program, words.data(), params.data(), 0).spiked;
      for (size_t w = 0; w < nState; ++w)
        state[w * g.count + i] = words[w];
    }
  return spikes;
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

} // namespace

int main(int argc, char **argv) {
  std::string imagePath, profileName, cxx = "clang++-19", work = ".";
  unsigned long steps = 1000, runs = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        fail(arg + " needs a value");
      return argv[++i];
    };
    const auto count = [&](unsigned long &out) {
      const std::string text = value();
      char *end = nullptr;
      out = std::strtoul(text.c_str(), &end, 10);
      if (!end || *end || out == 0 || out > 100000000UL)
        fail(arg + ": expected a count from 1 to 1e8, got '" + text + "'");
    };
    if (arg == "--profile")
      profileName = value();
    else if (arg == "--steps")
      count(steps);
    else if (arg == "--runs")
      count(runs);
    else if (arg == "--cxx")
      cxx = value();
    else if (arg == "--work")
      work = value();
    else if (imagePath.empty() && arg[0] != '-')
      imagePath = arg;
    else
      fail("unknown argument '" + arg + "'");
  }
  if (imagePath.empty() || profileName.empty())
    fail("usage: cajal-compiled-kernel-bench IMAGE --profile P [--steps S] "
         "[--runs R] [--cxx COMPILER] [--work DIR]");

  auto profile = findProfile(profileName, defaultProfileDir());
  if (!profile)
    fail(profile.error());
  auto image = readImage(imagePath, *profile);
  if (!image)
    fail(image.error());
  auto resolved = resolvePrograms(*image, *profile);
  if (!resolved)
    fail(resolved.error());

  // Gather each program's compartments.
  std::vector<Group> groups(resolved->programs.size());
  for (size_t p = 0; p < groups.size(); ++p)
    groups[p].program = &resolved->programs[p];
  for (size_t k = 0; k < image->cores.size(); ++k)
    for (uint32_t c = 0; c < image->cores[k].compartments.size(); ++c)
      ++groups[resolved->compartmentProgram[k][c]].count;
  for (Group &g : groups) {
    g.state.resize(g.program->state.size() * g.count);
    g.params.resize(g.program->params.size() * g.count);
  }
  std::vector<size_t> filled(groups.size(), 0);
  for (size_t k = 0; k < image->cores.size(); ++k)
    for (uint32_t c = 0; c < image->cores[k].compartments.size(); ++c) {
      const uint32_t p = resolved->compartmentProgram[k][c];
      Group &g = groups[p];
      const size_t i = filled[p]++;
      const std::vector<int32_t> init = initialStateWords(*g.program);
      for (size_t w = 0; w < init.size(); ++w)
        g.state[w * g.count + i] = init[w];
      const std::vector<int64_t> words = compartmentParamWords(
          image->cores[k], c, resolved->lifFamily[p], profile->neuron);
      for (size_t w = 0; w < words.size(); ++w)
        g.params[w * g.count + i] = words[w];
    }

  // One source file with a kernel per program.
  std::ostringstream source;
  source << kPrelude;
  for (size_t p = 0; p < groups.size(); ++p)
    source << "namespace k" << p << " {\n"
           << kernelSource(*groups[p].program,
                           "cajal_kernel_" + std::to_string(p))
           << "}\n";
  const std::string cppPath = work + "/cajal-kernels.cpp",
                    soPath = work + "/cajal-kernels.so";
  {
    std::ofstream out(cppPath);
    out << source.str();
    if (!out)
      fail("cannot write " + cppPath);
  }
  const auto compileStart = std::chrono::steady_clock::now();
  const std::string command = cxx + " -O3 -march=native -shared -fPIC -o '" +
                              soPath + "' '" + cppPath + "'";
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("compiling the kernels failed: " + command);
  const double compileSeconds = seconds(compileStart);
  void *library = dlopen(soPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    fail(std::string("cannot load the kernels: ") + dlerror());

  std::printf("%s: %zu programs, %lu steps, best of %lu runs; kernels "
              "compiled in %.2f s (%s -O3 -march=native)\n",
              imagePath.c_str(), groups.size(), steps, runs, compileSeconds,
              cxx.c_str());
  bool allEqual = true;
  for (size_t p = 0; p < groups.size(); ++p) {
    const Group &g = groups[p];
    if (g.count == 0)
      continue;
    const std::string symbol = "cajal_kernel_" + std::to_string(p);
    const auto kernel =
        reinterpret_cast<KernelFn>(dlsym(library, symbol.c_str()));
    if (!kernel)
      fail("kernel " + symbol + " not found");
    double best = 0;
    uint64_t spikes = 0;
    std::vector<int32_t> state;
    for (unsigned long r = 0; r < runs; ++r) {
      state = g.state;
      const auto start = std::chrono::steady_clock::now();
      spikes = kernel(state.data(), g.params.data(), g.count, unsigned(steps));
      best = std::max(best, double(g.count) * double(steps) / seconds(start));
    }
    std::vector<int32_t> oracle = g.state;
    const auto start = std::chrono::steady_clock::now();
    const uint64_t oracleSpikes = interpretSteps(g, oracle, unsigned(steps));
    const double oracleRate = double(g.count) * double(steps) / seconds(start);
    const bool equal = oracle == state && oracleSpikes == spikes;
    allEqual = allEqual && equal;
    std::printf("  program %s (%zu instructions), %zu compartments: compiled "
                "%.3e updates/s, %" PRIu64 " spikes; reference interpreter "
                "%.3e updates/s, %" PRIu64 " spikes; states and spikes %s\n",
                g.program->name.c_str(), g.program->code.size(), g.count, best,
                spikes, oracleRate, oracleSpikes, equal ? "equal" : "DIFFER");
  }
  dlclose(library);
  return allEqual ? 0 : 1;
}
