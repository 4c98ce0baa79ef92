//===- NIRWriter.h - Write small NIR files for tests (HDF5 C API) -*- C++
//-*-===//
//
// Tests describe a graph as nodes with numeric or text datasets and edges,
// and write it in NIR's layout (root `version`, group `node` with `type`,
// `nodes/<name>/...` and `edges`), optionally gzip-compressed, to a file in
// the test's temporary directory.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTS_NIRWRITER_H
#define CAJAL_TESTS_NIRWRITER_H

#include <hdf5.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cajal::nirtest {

struct Dataset {
  std::vector<hsize_t> shape; ///< empty: scalar
  std::vector<double> numbers;
  std::vector<std::string> text; ///< text datasets (variable-length)
  bool integer = false;          ///< stored as int64
};

inline Dataset numbers(std::vector<double> v, std::vector<hsize_t> shape = {}) {
  Dataset d;
  d.shape = shape.empty() ? std::vector<hsize_t>{v.size()} : shape;
  d.numbers = std::move(v);
  return d;
}
inline Dataset scalar(double v) {
  Dataset d;
  d.numbers = {v};
  return d;
}
inline Dataset ints(std::vector<double> v) {
  Dataset d = numbers(std::move(v));
  d.integer = true;
  return d;
}
inline Dataset text(const std::string &s) {
  Dataset d;
  d.text = {s};
  return d;
}

struct GraphSpec;

struct NodeSpec {
  std::map<std::string, Dataset> data; ///< "type" included
  std::shared_ptr<GraphSpec> graph;    ///< a nested NIRGraph
};

struct GraphSpec {
  std::map<std::string, NodeSpec> nodes;
  std::vector<std::pair<std::string, std::string>> edges;
};

inline NodeSpec node(const std::string &type,
                     std::map<std::string, Dataset> params = {}) {
  NodeSpec n;
  n.data = std::move(params);
  n.data["type"] = text(type);
  return n;
}

inline void writeDataset(hid_t loc, const std::string &name, const Dataset &d,
                         bool gzip) {
  const int rank = int(d.shape.size());
  hid_t space = rank ? H5Screate_simple(rank, d.shape.data(), nullptr)
                     : H5Screate(H5S_SCALAR);
  hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  if (gzip && rank && !d.shape.empty() && d.shape[0] > 0) {
    H5Pset_chunk(plist, rank, d.shape.data());
    H5Pset_deflate(plist, 6);
  }
  if (!d.text.empty()) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    hid_t ds = H5Dcreate2(loc, name.c_str(), type, space, H5P_DEFAULT, plist,
                          H5P_DEFAULT);
    std::vector<const char *> ptrs;
    for (const std::string &s : d.text)
      ptrs.push_back(s.c_str());
    H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
    H5Dclose(ds);
    H5Tclose(type);
  } else if (d.integer) {
    std::vector<int64_t> v(d.numbers.begin(), d.numbers.end());
    hid_t ds = H5Dcreate2(loc, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT,
                          plist, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Dclose(ds);
  } else {
    hid_t ds = H5Dcreate2(loc, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT,
                          plist, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
             d.numbers.data());
    H5Dclose(ds);
  }
  H5Pclose(plist);
  H5Sclose(space);
}

inline void writeGraph(hid_t group, const GraphSpec &g, bool gzip) {
  writeDataset(group, "type", text("NIRGraph"), false);
  hid_t nodes =
      H5Gcreate2(group, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (const auto &[name, n] : g.nodes) {
    hid_t sub =
        H5Gcreate2(nodes, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (n.graph)
      writeGraph(sub, *n.graph, gzip);
    for (const auto &[key, d] : n.data)
      writeDataset(sub, key, d, gzip && key != "type");
    H5Gclose(sub);
  }
  H5Gclose(nodes);
  Dataset edges;
  edges.shape = {g.edges.size(), 2};
  for (const auto &[a, b] : g.edges) {
    edges.text.push_back(a);
    edges.text.push_back(b);
  }
  if (g.edges.empty()) {
    edges.shape = {0};
    edges.text = {};
    edges.numbers = {};
  }
  writeDataset(group, "edges", edges, false);
}

/// Write `g` as a NIR file at `path`.
inline void writeNIR(const std::string &path, const GraphSpec &g,
                     bool gzip = false) {
  hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  writeDataset(file, "version", text("0.2.0"), false);
  hid_t root = H5Gcreate2(file, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  writeGraph(root, g, gzip);
  H5Gclose(root);
  H5Fclose(file);
}

} // namespace cajal::nirtest

#endif // CAJAL_TESTS_NIRWRITER_H
