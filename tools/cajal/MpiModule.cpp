//===- MpiModule.cpp - libcajal-mpi.so: the MPI calls of `cajal run` ------===//

#include "MpiCalls.h"

// The C API only: Open MPI's and MPICH's deprecated C++ bindings would need
// their own library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

namespace {

void init(uint32_t *rank, uint32_t *size) {
  MPI_Init(nullptr, nullptr);
  int r = 0, n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  *rank = uint32_t(r);
  *size = uint32_t(n);
}

void finalize() { MPI_Finalize(); }

void abortAll(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

void allgather(const uint32_t *send, int count, uint32_t *receive) {
  MPI_Allgather(send, count, MPI_UINT32_T, receive, count, MPI_UINT32_T,
                MPI_COMM_WORLD);
}

void allgatherv(const uint32_t *send, int count, uint32_t *receive,
                const int *counts, const int *displacements) {
  MPI_Allgatherv(send, count, MPI_UINT32_T, receive, counts, displacements,
                 MPI_UINT32_T, MPI_COMM_WORLD);
}

const CajalMpiCalls calls = {init, finalize, abortAll, allgather, allgatherv};

} // namespace

extern "C" __attribute__((visibility("default"))) const CajalMpiCalls *
cajalMpiCalls() {
  return &calls;
}
