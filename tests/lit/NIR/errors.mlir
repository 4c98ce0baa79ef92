// Malformed NIR files (tests/e2e/nir/data/bad, written by make_bad.py there)
// are refused with an error that names the file and the node; nothing is
// printed on stdout.
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/not_hdf5.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=HDF5
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/no_type.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=TYPE
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/unknown_type.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/shape_mismatch.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/wrong_length.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=LENGTH
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/negative_tau.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=TAU
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/missing_node.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/bad/linear_loop.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=LOOP
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/lif_rockpool.nir --dt 1e-4 2>&1 | FileCheck %s --check-prefix=ROCKPOOL
// RUN: not cajal-translate --import-nir %S/../../e2e/nir/data/lif_norse.nir 2>&1 | FileCheck %s --check-prefix=DT
// RUN: not cajal-translate --import-nir %S/does_not_exist.nir --dt 1e-3 2>&1 | FileCheck %s --check-prefix=NOFILE

// HDF5: not_hdf5.nir:0:0: error: not an HDF5 file (a NIR file is HDF5)
// TYPE: no_type.nir:0:0: error: node 'lif': has no 'type' dataset
// UNKNOWN: unknown_type.nir:0:0: error: node 'lif': unknown node type 'Izhikevich'
// SHAPE: shape_mismatch.nir:0:0: error: node 'lif': edge 'fc' -> 'lif': 'fc' produces [2], 'lif' expects [3]
// LENGTH: wrong_length.nir:0:0: error: node 'lif': parameter 'r' has 3 values (shape [3]), but 'tau' has 2 (shape [2])
// TAU: negative_tau.nir:0:0: error: node 'lif': tau[1] = -0.001 s must be > 0
// MISSING: missing_node.nir:0:0: error: node 'lif': edge 'lif' -> 'ghost': there is no node 'ghost'
// LOOP: linear_loop.nir:0:0: error: node 'fc': is on a loop with no neuron in it ('fc' -> 'fc2' -> 'fc')
// ROCKPOOL: lif_rockpool.nir:0:0: error: node 'output': edge '1_LIFNeuronTorch' -> 'output': '1_LIFNeuronTorch' produces [1], 'output' expects [1, 1, 1]
// DT: lif_norse.nir:0:0: error: a NIR model needs a time step: dt = 0 s must be finite and > 0 (--dt)
// NOFILE: does_not_exist.nir:0:0: error: no such file
