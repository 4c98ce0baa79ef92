//===- Modules.cpp - Parts of the driver loaded only when used ------------===//

#include "Modules.h"

#include <atomic>

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

namespace cajal::driver {
namespace {
/// The loaded modules' cajalRemoveTemporaries, read by signal handlers.
constexpr int kMaxModules = 4;
std::atomic<void (*)()> temporaryRemovers[kMaxModules];

void registerTemporaryRemover(void (*remove)()) {
  for (std::atomic<void (*)()> &slot : temporaryRemovers) {
    void (*expected)() = nullptr;
    if (slot.load() == remove || slot.compare_exchange_strong(expected, remove))
      return;
  }
}
} // namespace

void removeModuleTemporaries() {
  for (std::atomic<void (*)()> &slot : temporaryRemovers)
    if (void (*remove)() = slot.load())
      remove();
}

std::string moduleDirectory() {
  char exe[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return "lib/cajal";
  // /prefix/bin/cajal -> /prefix/lib/cajal
  std::string path(exe, size_t(n));
  for (int up = 0; up < 2; ++up) {
    const size_t slash = path.rfind('/');
    path.resize(slash == std::string::npos ? 0 : slash);
  }
  return path + "/lib/cajal";
}

Result<void *> loadModuleSymbol(const std::string &name, const char *symbol) {
  const std::string path = moduleDirectory() + "/lib" + name + ".so";
  void *module = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!module) {
    // The loader's reason names the path when the file is missing.
    const char *reason = dlerror();
    const std::string why = reason ? reason : "unknown reason";
    return makeError(
        "cannot load the driver's module " +
        (why.find(path) == std::string::npos ? path + ": " + why : why));
  }
  if (void *remover = dlsym(module, "cajalRemoveTemporaries"))
    registerTemporaryRemover(reinterpret_cast<void (*)()>(remover));
  void *entry = dlsym(module, symbol);
  if (!entry)
    return makeError("the driver's module " + path + " has no " + symbol);
  return entry;
}

} // namespace cajal::driver
