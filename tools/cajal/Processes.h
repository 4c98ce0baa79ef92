//===- Processes.h - `cajal run` across MPI processes -----------*- C++ -*-===//
//
// `mpirun -np N cajal run image --steps T ...` runs the golden model in N
// processes: each builds part k of N of the model (golden::ModelOptions::
// parts: a range of the image's chips), and every step the processes
// exchange their spikes with one MPI collective (two when a process has many
// spikes). Process 0 writes every output file and the summary; the others
// write nothing. docs/golden-model.md ("Processes") describes it. The MPI
// calls are in a module loaded only then (MpiCalls.h).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TOOLS_PROCESSES_H
#define CAJAL_TOOLS_PROCESSES_H

#include "MpiCalls.h"

#include "cajal/Chip/Result.h"
#include "cajal/Golden/GoldenModel.h"

#include <cstdint>
#include <vector>

namespace cajal::driver {

/// The processes a launcher started together (MPI_COMM_WORLD), or this
/// process alone when no launcher started it.
class ProcessGroup {
public:
  /// This process alone until join().
  ProcessGroup() = default;
  ~ProcessGroup(); ///< MPI_Finalize, when joined
  /// Joins the launcher's group (MPI_Init) when an MPI launcher (Open
  /// MPI's or MPICH's mpirun, or a PMIx one) started this process; fails
  /// when the MPI module cannot be loaded.
  Status join();
  ProcessGroup(const ProcessGroup &) = delete;
  ProcessGroup &operator=(const ProcessGroup &) = delete;
  uint32_t rank() const { return index; }
  uint32_t size() const { return count; }
  /// Ends every process of the group with exit code `code` (MPI_Abort):
  /// after an error that the other processes do not see, which would
  /// leave them waiting for this one's spikes. Only for a group of more
  /// than one process.
  [[noreturn]] void abort(int code);

  /// The MPI calls; only for a group that joined.
  const CajalMpiCalls &mpi() const { return *calls; }

private:
  const CajalMpiCalls *calls = nullptr; ///< set when joined
  uint32_t index = 0, count = 1;
};

/// Exchanges a step's spikes among the group's processes: MPI_Allgather of
/// each process's count and first inlineSpikes compartment indices, and
/// MPI_Allgatherv of the rest when a process has more.
class MpiSpikeExchange final : public golden::SpikeExchange {
public:
  /// Spikes per process that travel with the count: 31 (128 bytes a
  /// block), or the environment variable CAJAL_MPI_INLINE_SPIKES (0 to
  /// 1023; larger blocks for denser activity, 0 always sends them apart).
  /// Errors name the variable and the value.
  static Result<MpiSpikeExchange> create(ProcessGroup &processes);
  void exchange(std::vector<uint32_t> &spikes) override;

private:
  MpiSpikeExchange(ProcessGroup &processes, size_t spikesInBlock)
      : group(processes), inlineSpikes(spikesInBlock) {}
  ProcessGroup &group;
  size_t inlineSpikes; ///< spikes per process sent in the block
  std::vector<uint32_t> block, blocks, all;
  std::vector<int> counts, displacements;
};

} // namespace cajal::driver

#endif // CAJAL_TOOLS_PROCESSES_H
