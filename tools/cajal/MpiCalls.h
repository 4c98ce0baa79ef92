//===- MpiCalls.h - The MPI calls `cajal run` makes, behind dlopen -*- C++
//-*-===//
//
// Open MPI's libraries take about 5 ms to load and relocate at every start;
// only a process an MPI launcher started needs them. The calls live in a
// module of their own (MpiModule.cpp, lib/cajal/libcajal-mpi.so beside the
// executable's bin/), which the driver loads when it joins a group
// (Processes.cpp). A plain C table: no C++ types cross the boundary.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TOOLS_MPICALLS_H
#define CAJAL_TOOLS_MPICALLS_H

#include <cstdint>

extern "C" {

/// Each wraps the MPI call of its name on MPI_COMM_WORLD with uint32
/// elements.
struct CajalMpiCalls {
  /// MPI_Init, then this process's rank and the group's size.
  void (*init)(uint32_t *rank, uint32_t *size);
  void (*finalize)();
  void (*abort)(int code);
  void (*allgather)(const uint32_t *send, int count, uint32_t *receive);
  void (*allgatherv)(const uint32_t *send, int count, uint32_t *receive,
                     const int *counts, const int *displacements);
};

/// The module's one exported symbol.
const CajalMpiCalls *cajalMpiCalls();
using CajalMpiCallsFn = const CajalMpiCalls *(*)();
}

#endif // CAJAL_TOOLS_MPICALLS_H
