//===- FrontEnd.cpp - Models and images for the driver and Python ---------===//
#include "FrontEnd.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/NIR/NIRImport.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <sstream>

using namespace llvm;

namespace cajal::driver {
namespace {
/// A given --dt must be finite and positive; a NIR model must have one.
bool validTimeStep(const std::string &path, const ModelOptions &options,
                   bool required, std::string &error) {
  if (!options.dt) {
    if (required)
      error = path + ": a NIR model needs --dt (seconds per step)";
    return !required;
  }
  if (!(*options.dt > 0.0) || !std::isfinite(*options.dt)) {
    error = "--dt must be finite positive seconds, got " +
            std::to_string(*options.dt);
    return false;
  }
  return true;
}

/// Parse the source manager's last buffer; apply --dt to every network.
mlir::OwningOpRef<mlir::ModuleOp> parseBuffer(std::unique_ptr<MemoryBuffer> in,
                                              const ModelOptions &options,
                                              ModelContext &mc) {
  mc.sourceMgr.AddNewSourceBuffer(std::move(in), SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      parseModel(mc.sourceMgr, mc.context);
  if (module && options.dt) {
    mlir::Builder b(&mc.context);
    module->walk([&](snn::NetworkOp net) {
      net->setAttr("dt", b.getF64FloatAttr(*options.dt));
    });
  }
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp> importNir(const std::string &path,
                                            const ModelOptions &options,
                                            ModelContext &mc,
                                            std::string &error) {
  if (!validTimeStep(path, options, /*required=*/true, error))
    return nullptr;
  if (options.reset != "zero" && options.reset != "subtract") {
    error = "--reset must be zero or subtract, got '" + options.reset + "'";
    return nullptr;
  }
  nir::NIRImportOptions nirOptions;
  nirOptions.dt = *options.dt;
  nirOptions.resetBySubtraction = options.reset == "subtract";
  auto imported = nir::importNIRFile(path, mc.context, nirOptions);
  if (failed(imported))
    return nullptr; // diagnosed, with the file and the node
  return std::move(*imported);
}
} // namespace

ModelContext::ModelContext(bool showRemarks, raw_ostream &diagnostics) {
  mlir::DialectRegistry registry;
  registry.insert<snn::SNNDialect, nc::NCDialect>();
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and its location; dumping the whole network is noise.
  context.printOpOnDiagnostic(false);
  handler = std::make_unique<mlir::SourceMgrDiagnosticHandler>(
      sourceMgr, &context, diagnostics);
  // Registered last, this handler runs first: it swallows remarks.
  context.getDiagEngine().registerHandler([showRemarks](mlir::Diagnostic &d) {
    return success(!showRemarks &&
                   d.getSeverity() == mlir::DiagnosticSeverity::Remark);
  });
}

bool isModelPath(const std::string &path) {
  const StringRef extension = sys::path::extension(path);
  return extension.equals_insensitive(".nir") ||
         extension.equals_insensitive(".mlir");
}

mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            const ModelOptions &options,
                                            ModelContext &mc,
                                            std::string &error) {
  const StringRef extension = sys::path::extension(path);
  if (extension.equals_insensitive(".nir"))
    return importNir(path, options, mc, error);
  if (!extension.equals_insensitive(".mlir")) {
    error = path + ": unsupported input kind '" + extension.str() +
            "'; models are .mlir (snn dialect) or .nir (NIR, HDF5) files";
    return nullptr;
  }
  if (!validTimeStep(path, options, /*required=*/false, error))
    return nullptr;
  std::unique_ptr<MemoryBuffer> input = mlir::openInputFile(path, &error);
  if (!input) {
    error = path + ": " + error;
    return nullptr;
  }
  return parseBuffer(std::move(input), options, mc);
}

mlir::OwningOpRef<mlir::ModuleOp> parseModelText(const std::string &text,
                                                 const std::string &name,
                                                 const ModelOptions &options,
                                                 ModelContext &mc,
                                                 std::string &error) {
  if (!validTimeStep(name, options, /*required=*/false, error))
    return nullptr;
  return parseBuffer(MemoryBuffer::getMemBufferCopy(text, name), options, mc);
}

namespace {
/// A number of pJ without trailing zeros ("81", "5.3", "5184").
std::string picojoules(double pj) {
  std::ostringstream os;
  os.precision(12);
  os << pj << " pJ";
  return os.str();
}

/// How many of a population's compartments run each program (one per
/// neuron for point neurons).
struct ProgramUse {
  size_t program = 0; ///< index into the distinct programs
  uint64_t compartments = 0;
};
} // namespace

Status printProgramReport(const chip::Image &image,
                          const chip::Profile &profile, std::ostream &os) {
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
    const uint64_t perNeuron = chip::compartmentsPerNeuron(population);
    for (const chip::Slice &slice : population.slices) {
      const std::vector<uint32_t> &map =
          resolved->compartmentProgram[slice.core];
      for (uint64_t i = 0; i < slice.count * perNeuron; ++i) {
        const size_t index = map[slice.firstCompartment + i];
        auto it = std::find_if(list.begin(), list.end(), [&](const auto &u) {
          return u.program == index;
        });
        if (it == list.end()) {
          list.push_back({index, 0});
          it = list.end() - 1;
          usedBy[index].push_back(population.name);
        }
        ++it->compartments;
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
      cycles += costs[use.program].cycles * use.compartments;
      energy += costs[use.program].energyPJ * double(use.compartments);
    }
    if (!population.tree.empty()) {
      // Compartment k of every neuron runs tree[k]'s program.
      os << ", a dendritic tree of " << population.tree.size()
         << " compartments:";
      for (size_t k = 0; k < population.tree.size(); ++k) {
        const chip::Program &p = image.programs[population.tree[k].program];
        const chip::ProgramCost c = chip::programCost(p, profile);
        os << (k ? ", " : " ") << population.tree[k].name << " program "
           << p.name << " (" << c.cycles << " cycles, "
           << picojoules(c.energyPJ) << " per update)";
      }
    }
    if (population.tree.empty())
      for (const ProgramUse &use : uses[n]) {
        const chip::ProgramCost &c = costs[use.program];
        os << (uses[n].size() > 1
                   ? ", " + std::to_string(use.compartments) + " "
                   : ", ")
           << "program " << programs[use.program].name << " (" << c.cycles
           << " cycles, " << picojoules(c.energyPJ) << " per update)";
      }
    os << "; every neuron updated once: " << cycles << " cycles, "
       << picojoules(energy) << "\n";
  }
  return Status::ok();
}

std::string profileDirectory() { return chip::defaultProfileDir(); }

namespace {
/// The image's profile: `requestedProfile`, or the one its header names.
Status findImageProfile(const std::string &path,
                        const std::string &requestedProfile,
                        chip::Profile &profile) {
  // The header names the profile: find and match it before the synapses
  // are read. A name from an image is only looked up among the installed
  // profiles, never opened as a path.
  Result<chip::ImageHeader> header = chip::readImageHeader(path);
  if (!header)
    return Status(header.takeError());
  Result<chip::Profile> found =
      requestedProfile.empty()
          ? chip::findInstalledProfile(header->profileName, profileDirectory())
          : chip::findProfile(requestedProfile, profileDirectory());
  if (!found && requestedProfile.empty())
    return makeError(path + ": " + found.error() +
                     "; if the image was compiled with a profile file, "
                     "pass that file: --profile FILE");
  if (!found)
    return found.takeError();
  profile = std::move(*found);
  if (Status s = chip::checkProfileMatch(*header, profile); !s)
    return makeError(path + ": " + s.error());
  return Status::ok();
}
} // namespace

Result<chip::StreamedImage>
loadImageStreamed(const std::string &path, const std::string &requestedProfile,
                  chip::Profile &profile) {
  if (Status s = findImageProfile(path, requestedProfile, profile); !s)
    return Error{s.error()};
  return chip::readImageStreamed(path, profile);
}

Result<chip::Image> loadImage(const std::string &path,
                              const std::string &requestedProfile,
                              chip::Profile &profile) {
  if (Status s = findImageProfile(path, requestedProfile, profile); !s)
    return Error{s.error()};
  Result<chip::Image> image = chip::readImageUnchecked(path);
  if (!image)
    return image;
  if (Status s = chip::validate(*image, profile); !s)
    return makeError(path + ": " + s.error());
  return image;
}

} // namespace cajal::driver
