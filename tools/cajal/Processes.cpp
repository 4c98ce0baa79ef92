//===- Processes.cpp - `cajal run` across MPI processes -------------------===//

#include "Processes.h"

#include "Modules.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace cajal::driver {
namespace {
/// Did an MPI launcher start this process? (Each sets its own variables;
/// a plain `cajal run` must not pay for MPI_Init.)
bool startedByLauncher() {
  for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (const char *value = std::getenv(name); value && *value)
      return true;
  return false;
}
} // namespace

Status ProcessGroup::join() {
  if (calls || !startedByLauncher())
    return Status::ok();
  Result<void *> entry = loadModuleSymbol("cajal-mpi", "cajalMpiCalls");
  if (!entry)
    return makeError("started by an MPI launcher, but " + entry.error());
  calls = reinterpret_cast<CajalMpiCallsFn>(*entry)();
  calls->init(&index, &count);
  return Status::ok();
}

ProcessGroup::~ProcessGroup() {
  if (calls)
    calls->finalize();
}

void ProcessGroup::abort(int code) {
  if (calls)
    calls->abort(code);
  std::exit(code); // MPI_Abort does not return; the compiler cannot know
}

Result<MpiSpikeExchange> MpiSpikeExchange::create(ProcessGroup &processes) {
  size_t inlineSpikes = 31;
  if (const char *env = std::getenv("CAJAL_MPI_INLINE_SPIKES"); env && *env) {
    char *end = nullptr;
    const unsigned long long n = std::strtoull(env, &end, 10);
    if (*end != 0 || *env == '-' || n > 1023)
      return makeError(std::string("CAJAL_MPI_INLINE_SPIKES: \"") + env +
                       "\" is not a number of spikes from 0 to 1023");
    inlineSpikes = size_t(n);
  }
  return MpiSpikeExchange(processes, inlineSpikes);
}

void MpiSpikeExchange::exchange(std::vector<uint32_t> &spikes) {
  // One MPI_Allgather of a fixed block per process: its count and up to
  // inlineSpikes spikes (a step of sparse activity needs nothing else); then,
  // only when some process had more, MPI_Allgatherv of the rest. Every
  // process sees every count, so all take the same branch.
  const size_t size = group.size();
  block.assign(inlineSpikes + 1, 0);
  const size_t mine = spikes.size();
  block[0] = uint32_t(mine);
  std::copy_n(spikes.begin(), std::min(mine, inlineSpikes), block.begin() + 1);
  blocks.resize(size * (inlineSpikes + 1));
  group.mpi().allgather(block.data(), int(inlineSpikes + 1), blocks.data());
  all.clear();
  counts.assign(size, 0);
  displacements.assign(size, 0);
  size_t rest = 0;
  for (size_t r = 0; r < size; ++r) {
    const uint32_t *b = blocks.data() + r * (inlineSpikes + 1);
    const size_t n = b[0];
    all.insert(all.end(), b + 1, b + 1 + std::min<size_t>(n, inlineSpikes));
    counts[r] = int(n > inlineSpikes ? n - inlineSpikes : 0);
    displacements[r] = int(rest);
    rest += size_t(counts[r]);
  }
  if (rest > 0) {
    const size_t inlined = all.size();
    all.resize(inlined + rest);
    group.mpi().allgatherv(mine > inlineSpikes ? spikes.data() + inlineSpikes
                                               : nullptr,
                           counts[group.rank()], all.data() + inlined,
                           counts.data(), displacements.data());
  }
  spikes.swap(all);
}

} // namespace cajal::driver
