//===- NIRFile.cpp - Read a NIR file with the HDF5 C API ------------------===//
//
// A NIR file holds a root dataset `version` and a group `node`: a NIRGraph
// with a dataset `type`, a group `nodes` (one group per node, recursively for
// nested graphs) and a dataset `edges` (N x 2 strings). Every other dataset
// of a node is a parameter. Numbers of any integer or float type are read as
// double (HDF5 converts); text is read as fixed or variable-length strings.
// Compression (gzip) is transparent to H5Dread. HDF5's own error printing is
// switched off: every failure becomes an Error naming the file and node.
//
//===----------------------------------------------------------------------===//
#include "cajal/NIR/NIRGraph.h"

#include <hdf5.h>

#include <cstring>
#include <sys/stat.h>

namespace cajal::nir {

namespace {

/// Closes an HDF5 handle with the matching function.
class Handle {
public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id(id), close(close) {}
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  ~Handle() {
    if (id >= 0)
      close(id);
  }
  hid_t get() const { return id; }
  explicit operator bool() const { return id >= 0; }

private:
  hid_t id;
  herr_t (*close)(hid_t);
};

/// Datasets larger than this are refused (a corrupt file must not make the
/// reader allocate without bound).
constexpr uint64_t kMaxElements = uint64_t(1) << 31;

/// The names of the links in a group, in name order.
std::vector<std::string> linkNames(hid_t group) {
  std::vector<std::string> names;
  auto visit = [](hid_t, const char *name, const H5L_info_t *,
                  void *data) -> herr_t {
    static_cast<std::vector<std::string> *>(data)->push_back(name);
    return 0;
  };
  hsize_t index = 0;
  H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, visit, &names);
  return names;
}

H5I_type_t objectType(hid_t loc, const std::string &name) {
  Handle obj(H5Oopen(loc, name.c_str(), H5P_DEFAULT), H5Oclose);
  return obj ? H5Iget_type(obj.get()) : H5I_BADID;
}

Status readStrings(hid_t ds, hid_t fileType, hid_t space, size_t count,
                   Array &out) {
  out.isText = true;
  Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_cset(mem.get(), H5Tget_cset(fileType));
  if (H5Tis_variable_str(fileType) > 0) {
    H5Tset_size(mem.get(), H5T_VARIABLE);
    std::vector<char *> buffer(count, nullptr);
    if (H5Dread(ds, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) <
        0)
      return makeError("cannot read its strings");
    for (char *s : buffer)
      out.text.emplace_back(s ? s : "");
    H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, buffer.data());
    return Status::ok();
  }
  const size_t width = H5Tget_size(fileType);
  H5Tset_size(mem.get(), width);
  std::vector<char> buffer(count * width + 1, '\0');
  if (H5Dread(ds, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    return makeError("cannot read its strings");
  for (size_t i = 0; i < count; ++i) {
    std::string s(buffer.data() + i * width, width);
    s = s.substr(0, s.find('\0'));
    while (!s.empty() && s.back() == ' ')
      s.pop_back();
    out.text.push_back(s);
  }
  return Status::ok();
}

/// Read dataset `name` of `loc`; errors say what is wrong with it.
Result<Array> readDataset(hid_t loc, const std::string &name) {
  Handle ds(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds)
    return makeError("cannot open dataset '" + name + "'");
  Handle space(H5Dget_space(ds.get()), H5Sclose);
  Handle type(H5Dget_type(ds.get()), H5Tclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0)
    return makeError("dataset '" + name + "' has no simple shape");
  std::vector<hsize_t> dims(size_t(rank), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  Array out;
  uint64_t count = 1;
  for (hsize_t d : dims) {
    out.shape.push_back(int64_t(d));
    count *= d;
    if (count > kMaxElements)
      return makeError("dataset '" + name + "' is too large");
  }
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_STRING) {
    if (Status s = readStrings(ds.get(), type.get(), space.get(), count, out);
        !s)
      return makeError("dataset '" + name + "': " + s.error());
    return out;
  }
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    return makeError("dataset '" + name +
                     "' holds neither numbers nor text (HDF5 type class " +
                     std::to_string(int(cls)) + ")");
  out.values.assign(count, 0.0);
  if (count > 0 && H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                           H5P_DEFAULT, out.values.data()) < 0)
    return makeError("cannot read dataset '" + name +
                     "' (a compression filter that is not available?)");
  return out;
}

Result<Graph> readGraph(hid_t group, const std::string &path);

std::string joinPath(const std::string &prefix, const std::string &name) {
  return prefix.empty() ? name : prefix + "." + name;
}

/// Read the node group `name` of `parent` (its path for messages).
Result<Node> readNode(hid_t parent, const std::string &name,
                      const std::string &path) {
  Handle group(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group)
    return nodeError(path, "is not an HDF5 group");
  Node node;
  node.name = name;
  if (H5Lexists(group.get(), "type", H5P_DEFAULT) <= 0)
    return nodeError(path, "has no 'type' dataset");
  Result<Array> type = readDataset(group.get(), "type");
  if (!type)
    return nodeError(path, type.error());
  if (!type->isText || type->text.size() != 1)
    return nodeError(path, "'type' is not a single string");
  node.type = type->text[0];
  if (node.type == "NIRGraph") {
    Result<Graph> sub = readGraph(group.get(), path);
    if (!sub)
      return sub.takeError();
    node.graph = std::make_unique<Graph>(std::move(*sub));
    return node;
  }
  for (const std::string &field : linkNames(group.get())) {
    if (field == "type")
      continue;
    if (objectType(group.get(), field) != H5I_DATASET)
      continue; // metadata groups and the like carry no parameter
    Result<Array> a = readDataset(group.get(), field);
    if (!a)
      return nodeError(path, a.error());
    node.params.emplace(field, std::move(*a));
  }
  return node;
}

Status readEdges(hid_t group, const std::string &path, Graph &graph) {
  const std::string who = path.empty() ? "the top-level graph" : path;
  if (H5Lexists(group, "edges", H5P_DEFAULT) <= 0)
    return nodeError(path, who + " has no 'edges' dataset");
  Result<Array> edges = readDataset(group, "edges");
  if (!edges)
    return nodeError(path, edges.error());
  if (edges->size() == 0)
    return Status::ok();
  if (!edges->isText || edges->shape.size() != 2 || edges->shape[1] != 2)
    return nodeError(path, "'edges' must be N x 2 node names, got " +
                               std::string(edges->isText ? "text" : "numbers") +
                               " of shape " + formatShape(edges->shape));
  for (size_t i = 0; i + 1 < edges->text.size(); i += 2)
    graph.edges.emplace_back(edges->text[i], edges->text[i + 1]);
  return Status::ok();
}

Result<Graph> readGraph(hid_t group, const std::string &path) {
  Graph graph;
  if (H5Lexists(group, "nodes", H5P_DEFAULT) <= 0)
    return nodeError(path, "the NIRGraph has no 'nodes' group");
  Handle nodes(H5Gopen2(group, "nodes", H5P_DEFAULT), H5Gclose);
  if (!nodes)
    return nodeError(path, "'nodes' is not a group");
  for (const std::string &name : linkNames(nodes.get())) {
    Result<Node> node = readNode(nodes.get(), name, joinPath(path, name));
    if (!node)
      return node.takeError();
    graph.nodes.push_back(std::move(*node));
  }
  if (Status s = readEdges(group, path, graph); !s)
    return makeError(s.error());
  return graph;
}

Result<File> readOpenFile(hid_t file, const std::string &path) {
  File out;
  out.path = path;
  if (H5Lexists(file, "version", H5P_DEFAULT) > 0) {
    Result<Array> version = readDataset(file, "version");
    if (version && version->isText && version->text.size() == 1)
      out.version = version->text[0];
  }
  if (H5Lexists(file, "node", H5P_DEFAULT) <= 0 ||
      objectType(file, "node") != H5I_GROUP)
    return makeError("has no 'node' group: not a NIR graph");
  Handle root(H5Gopen2(file, "node", H5P_DEFAULT), H5Gclose);
  if (H5Lexists(root.get(), "type", H5P_DEFAULT) <= 0)
    return makeError("the top-level 'node' has no 'type' dataset");
  Result<Array> type = readDataset(root.get(), "type");
  if (!type || !type->isText || type->text.size() != 1 ||
      type->text[0] != "NIRGraph")
    return makeError("the top-level 'node' is not a NIRGraph");
  Result<Graph> graph = readGraph(root.get(), "");
  if (!graph)
    return graph.takeError();
  out.graph = std::move(*graph);
  return out;
}

} // namespace

Result<File> readFile(const std::string &path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
    return makeError(path + ": no such file");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0)
    return makeError(path + ": not an HDF5 file (a NIR file is HDF5)");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file)
    return makeError(path + ": cannot open the HDF5 file");
  Result<File> out = readOpenFile(file.get(), path);
  if (!out)
    return makeError(path + ": " + out.error());
  return out;
}

} // namespace cajal::nir
