//===- Processes.cpp - `cajal run` across MPI processes -------------------===//

#include "Processes.h"

// The C API only: Open MPI's and MPICH's deprecated C++ bindings would need
// their own library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>

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

ProcessGroup::ProcessGroup() {
  if (!startedByLauncher())
    return;
  MPI_Init(nullptr, nullptr);
  joined = true;
  int r = 0, n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  index = uint32_t(r);
  count = uint32_t(n);
}

ProcessGroup::~ProcessGroup() {
  if (joined)
    MPI_Finalize();
}

void ProcessGroup::abort(int code) {
  if (joined && count > 1)
    MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

void MpiSpikeExchange::exchange(std::vector<uint32_t> &spikes) {
  const int size = int(group.size());
  counts.resize(size_t(size));
  displacements.resize(size_t(size));
  int mine = int(spikes.size());
  MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  int total = 0;
  for (int r = 0; r < size; ++r) {
    displacements[size_t(r)] = total;
    total += counts[size_t(r)];
  }
  all.resize(size_t(total));
  MPI_Allgatherv(spikes.data(), mine, MPI_UINT32_T, all.data(), counts.data(),
                 displacements.data(), MPI_UINT32_T, MPI_COMM_WORLD);
  spikes.swap(all);
}

} // namespace cajal::driver
