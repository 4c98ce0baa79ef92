//===- TestUtil.h - Temporary NIR files and the frontend in one call -*- C++
//-*-===//
#ifndef CAJAL_TESTS_NIR_TESTUTIL_H
#define CAJAL_TESTS_NIR_TESTUTIL_H

#include "NIRWriter.h"
#include "cajal/NIR/Lowering.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace cajal::nirtest {

/// A fresh file name in the test's temporary directory.
inline std::string tempPath(const std::string &name) {
  const char *dir = std::getenv("TMPDIR");
  const ::testing::TestInfo *info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string(dir ? dir : "/tmp") + "/cajal-nir-" +
         std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" +
         info->name() + "-" + name;
}

/// Write `g`, read, flatten, infer shapes and load the parameters.
inline Result<nir::FlatGraph> load(const GraphSpec &g, bool gzip = false) {
  const std::string path = tempPath("model.nir");
  writeNIR(path, g, gzip);
  Result<nir::File> file = nir::readFile(path);
  if (!file)
    return file.takeError();
  // The flat graph points into the File's nodes: keep the File alive (it
  // holds the HDF5 file open until loadParameters, so a failed load drops
  // it: the next test may rewrite the same path).
  auto kept = std::make_unique<nir::File>(std::move(*file));
  Result<nir::FlatGraph> flat = nir::flattenGraph(*kept);
  if (!flat)
    return flat;
  if (Status s = nir::inferShapes(*flat); !s)
    return s.takeError();
  if (Status s = nir::loadParameters(*kept, *flat); !s)
    return s.takeError();
  static std::vector<std::unique_ptr<nir::File>> keep;
  keep.push_back(std::move(kept));
  return flat;
}

/// Load and lower with time step dt.
inline Result<nir::Lowered> lower(const GraphSpec &g, double dt = 1e-3) {
  Result<nir::FlatGraph> flat = load(g);
  if (!flat)
    return flat.takeError();
  static std::vector<std::unique_ptr<nir::FlatGraph>> keep;
  keep.push_back(std::make_unique<nir::FlatGraph>(std::move(*flat)));
  return nir::lowerGraph(*keep.back(), dt);
}

inline NodeSpec lif(size_t n, double tau = 0.01) {
  return node("LIF", {{"tau", numbers(std::vector<double>(n, tau))},
                      {"r", numbers(std::vector<double>(n, 1.0))},
                      {"v_leak", numbers(std::vector<double>(n, 0.0))},
                      {"v_threshold", numbers(std::vector<double>(n, 1.0))}});
}
inline NodeSpec input(std::vector<double> shape) {
  return node("Input", {{"shape", ints(std::move(shape))}});
}
inline NodeSpec output(std::vector<double> shape) {
  return node("Output", {{"shape", ints(std::move(shape))}});
}
inline NodeSpec linear(size_t rows, size_t cols, std::vector<double> w) {
  return node("Linear", {{"weight", numbers(std::move(w), {rows, cols})}});
}

} // namespace cajal::nirtest

#endif // CAJAL_TESTS_NIR_TESTUTIL_H
