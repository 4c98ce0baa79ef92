//===- Inspect.cpp - `cajal inspect`: summarise or dump a chip image -----===//
//
// With --programs, the neurocore programs the image's compartments run
// (docs/neurocore-isa.md), as chip::resolvePrograms gives them: a
// population's program from the image's table, or the LIF-family program
// each compartment's record names. Each program is printed once,
// disassembled, with the populations that run it and its cost per update on
// the profile (programCost), and each population with the cost of updating
// all its neurons once.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/Neurocore.h"

#include <algorithm>
#include <iostream>
#include <sstream>

using namespace llvm;

namespace cajal::driver {
namespace {
cl::opt<std::string> imagePath(cl::Positional, cl::desc("<image.cjimg>"),
                               cl::Required, cl::sub(inspectCommand),
                               cl::cat(category()));
cl::opt<bool> asJson("json",
                     cl::desc("Print the whole configuration as JSON (every "
                              "core, compartment, synapse and route)"),
                     cl::sub(inspectCommand), cl::cat(category()));
cl::opt<bool> showPrograms(
    "programs",
    cl::desc("Print the neurocore program of each population, disassembled "
             "and grouped by program, with its cost per update on the "
             "profile (docs/neurocore-isa.md)"),
    cl::sub(inspectCommand), cl::cat(category()));
cl::opt<std::string>
    profileName("profile",
                cl::desc("Profile name or file to validate against "
                         "(default: the installed profile the image names)"),
                cl::sub(inspectCommand), cl::cat(category()));

/// A number of pJ without trailing zeros ("81", "5.3", "5184").
std::string picojoules(double pj) {
  std::ostringstream os;
  os.precision(12);
  os << pj << " pJ";
  return os.str();
}

/// How many of a population's neurons run each program.
struct ProgramUse {
  size_t program = 0; ///< index into the distinct programs
  uint64_t neurons = 0;
};

Status printPrograms(const chip::Image &image, const chip::Profile &profile,
                     std::ostream &os) {
  Result<chip::ResolvedPrograms> resolved =
      chip::resolvePrograms(image, profile);
  if (!resolved)
    return resolved.takeError();
  const std::vector<chip::Program> &programs = resolved->programs;
  std::vector<std::vector<std::string>> usedBy(programs.size());
  std::vector<std::vector<ProgramUse>> uses(image.populations.size());
  for (size_t n = 0; n < image.populations.size(); ++n) {
    const chip::Population &population = image.populations[n];
    std::vector<ProgramUse> &list = uses[n];
    for (const chip::Slice &slice : population.slices) {
      const std::vector<uint32_t> &map =
          resolved->compartmentProgram[slice.core];
      for (uint32_t i = 0; i < slice.count; ++i) {
        const size_t index = map[slice.firstCompartment + i];
        auto it = std::find_if(list.begin(), list.end(), [&](const auto &u) {
          return u.program == index;
        });
        if (it == list.end()) {
          list.push_back({index, 0});
          it = list.end() - 1;
          usedBy[index].push_back(population.name);
        }
        ++it->neurons;
      }
    }
  }

  // resolvePrograms may list a program no compartment runs (a record's LIF
  // program its population overrides): only those some compartment runs.
  std::vector<bool> run(programs.size());
  for (const std::vector<uint32_t> &core : resolved->compartmentProgram)
    for (uint32_t p : core)
      run[p] = true;

  std::vector<chip::ProgramCost> costs;
  for (const chip::Program &p : programs)
    costs.push_back(chip::programCost(p, profile));
  os << "neurocore programs on profile \"" << profile.name
     << "\": " << std::count(run.begin(), run.end(), true) << "\n";
  for (size_t i = 0; i < programs.size(); ++i) {
    if (!run[i])
      continue;
    const chip::Program &p = programs[i];
    os << "\nprogram " << p.name << ": " << p.code.size()
       << " instructions, used by ";
    if (usedBy[i].empty())
      os << "no population";
    for (size_t u = 0; u < usedBy[i].size(); ++u)
      os << (u ? ", " : "") << usedBy[i][u];
    if (resolved->lifFamily[i])
      os << " (LIF family: parameter words from each compartment's record)";
    os << "\n  per update: " << costs[i].cycles << " cycles, "
       << picojoules(costs[i].energyPJ);
    if (p.skipIdle)
      os << "; an idle update: " << profile.cost.neuronUpdateInactiveNs
         << " ns, " << picojoules(profile.cost.neuronUpdateInactivePJ)
         << " (cost.neuronUpdateInactive*)";
    os << "\n";
    if (Status valid = chip::validateProgram(p, profile); !valid)
      os << "  refused by the profile: program " << p.name << " "
         << valid.error() << "\n";
    // The listing without its first line ("program NAME"), said above.
    const std::string listing = chip::disassemble(p);
    os << listing.substr(listing.find('\n') + 1);
  }

  os << "\npopulations: " << image.populations.size() << "\n";
  for (size_t n = 0; n < image.populations.size(); ++n) {
    const chip::Population &population = image.populations[n];
    os << "  " << population.name << ": " << population.size << " neurons";
    uint64_t cycles = 0;
    double energy = 0;
    for (const ProgramUse &use : uses[n]) {
      const chip::ProgramCost &c = costs[use.program];
      os << (uses[n].size() > 1 ? ", " + std::to_string(use.neurons) + " "
                                : ", ")
         << "program " << programs[use.program].name << " (" << c.cycles
         << " cycles, " << picojoules(c.energyPJ) << " per update)";
      cycles += c.cycles * use.neurons;
      energy += c.energyPJ * double(use.neurons);
    }
    os << "; every neuron updated once: " << cycles << " cycles, "
       << picojoules(energy) << "\n";
  }
  return Status::ok();
}
} // namespace

int runInspect() {
  if (asJson && showPrograms)
    return reportError("inspect: --json and --programs print different "
                       "reports; give one");
  chip::Profile profile;
  Result<chip::Image> image = loadImage(imagePath, profileName, profile);
  if (!image)
    return reportError(image.error());
  if (asJson)
    chip::printImageJson(*image, profile, std::cout);
  else if (showPrograms) {
    if (Status s = printPrograms(*image, profile, std::cout); !s)
      return reportError(s.error());
  } else
    chip::printImageSummary(*image, &profile, std::cout);
  return 0;
}

} // namespace cajal::driver
