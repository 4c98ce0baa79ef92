//===- InitialState.cpp - The state each neuron starts from --------------===//
//
// See InitialState.h. A draw is keyed by (seed, FNV-1a hashes of the
// population's and the state's names, neuron): populations that share a seed
// still draw independently, and the key depends neither on the order of
// populations nor on the program's layout of its state words.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/InitialState.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Mapping/Connectivity.h"

#include <cmath>
#include <string>

namespace cajal::mapping {

namespace {

uint64_t nameHash(const std::string &name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

int findState(const chip::Program &program, const std::string &name) {
  for (size_t w = 0; w < program.state.size(); ++w)
    if (program.state[w].name == name)
      return int(w);
  return -1;
}

std::string num(double x) {
  std::string s = std::to_string(x);
  // Trim the fixed notation's trailing zeros ("-58.000000" -> "-58").
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.')
      s.pop_back();
  }
  return s;
}

} // namespace

Status checkInitialState(const Population &pop, const chip::Program &program) {
  for (const InitialValue &init : pop.initial) {
    const std::string where =
        "population \"" + pop.name + "\": initial '" + init.state + "'";
    const int w = findState(program, init.state);
    if (w < 0) {
      std::string names;
      for (const chip::StateWord &s : program.state)
        names += (names.empty() ? "" : ", ") + s.name;
      return makeError(where + ": program \"" + program.name +
                       "\" has no state word of that name (it has " + names +
                       ")");
    }
    // The range of the values, or of the draws.
    double lo, hi;
    std::string what;
    if (!init.values.empty()) {
      lo = hi = init.values[0];
      for (double x : init.values) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      what = init.values.size() == 1
                 ? "= " + num(lo)
                 : "values lie in [" + num(lo) + ", " + num(hi) + "]";
    } else {
      if (Status s = checkDistribution(*init.draw, where + " distribution"); !s)
        return s;
      const Support support = supportOf(*init.draw);
      lo = support.low;
      hi = support.high;
      what = "draws from [" + num(lo) + ", " + num(hi) + "]";
    }
    if (lo < init.lower || hi > init.upper)
      return makeError(where + " " + what + ", outside the state's range [" +
                       num(init.lower) + ", " + num(init.upper) + "]");
    const chip::StateWord &decl = program.state[size_t(w)];
    const double wordLo = double(chip::wordMin(decl.bits, decl.isSigned));
    const double wordHi = double(chip::wordMax(decl.bits, decl.isSigned));
    const double scaledLo = std::nearbyint(lo * init.scale);
    const double scaledHi = std::nearbyint(hi * init.scale);
    if (!(scaledLo >= wordLo && scaledHi <= wordHi))
      return makeError(where + " " + what + ", which is [" + num(scaledLo) +
                       ", " + num(scaledHi) + "] in the chip's units (" +
                       num(init.scale) + " per unit); its " +
                       std::to_string(decl.bits) + "-bit state word holds [" +
                       num(wordLo) + ", " + num(wordHi) + "]");
  }
  return Status::ok();
}

double initialValue(const InitialValue &init, const std::string &population,
                    uint32_t neuron) {
  if (!init.values.empty())
    return init.values.size() == 1 ? init.values[0] : init.values[neuron];
  return drawFrom(
      *init.draw,
      counterHash(init.seed, nameHash(population), nameHash(init.state)),
      neuron, 0);
}

std::vector<int32_t> initialStateWords(const Population &pop, uint32_t i,
                                       const chip::Program &program) {
  std::vector<int32_t> words = chip::initialStateWords(program);
  for (const InitialValue &init : pop.initial) {
    const uint32_t w = uint32_t(findState(program, init.state));
    const double x = initialValue(init, pop.name, i);
    words[w] = int32_t(uint32_t(int64_t(std::nearbyint(x * init.scale))));
  }
  return words;
}

} // namespace cajal::mapping
