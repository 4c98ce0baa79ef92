//===- Modules.h - Parts of the driver loaded only when used -----*- C++
//-*-===//
//
// Libraries that cost time at every start but serve one use (Open MPI for
// `mpirun ... cajal run`) live in modules beside the driver: lib/cajal/ next
// to the executable's bin/, in the build tree and in an installed tree alike.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TOOLS_MODULES_H
#define CAJAL_TOOLS_MODULES_H

#include "cajal/Chip/Result.h"

#include <string>

namespace cajal::driver {

/// The folder the driver's modules are in: PREFIX/lib/cajal for the running
/// executable PREFIX/bin/cajal (symbolic links resolved).
std::string moduleDirectory();

/// Loads module `name` (lib<name>.so in moduleDirectory(); its symbols
/// global, as Open MPI's components need) and returns its `symbol`. The
/// error names the module's path and the loader's reason.
Result<void *> loadModuleSymbol(const std::string &name, const char *symbol);

/// A module that writes output files has its own list of their temporaries
/// (its copy of AtomicFile); it exports `cajalRemoveTemporaries`, which
/// loadModuleSymbol registers. This calls each registered one; it is
/// async-signal-safe, for the driver's Ctrl-C and crash handlers.
void removeModuleTemporaries();

} // namespace cajal::driver

#endif // CAJAL_TOOLS_MODULES_H
