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
// The file is outside data, so nothing in it is trusted before it is
// checked with the HDF5 API: only hard and soft links are followed (an
// external link, an external-storage or a virtual dataset would read other
// files); every group is entered once (a link cycle or a group linked twice
// is an error, found by object address) and nested graphs are at most
// kMaxGraphDepth deep; a dataset's dataspace, type, filters and layout are
// checked before H5Dread, and it may not declare more data than its storage
// can expand to. Reading happens in two steps: readFile reads the structure,
// text and small numeric datasets; larger numeric datasets are read by
// loadParameters only after the shapes of the whole graph have been checked
// from the dataspaces, each bounded by what its node's shapes allow.
//
//===----------------------------------------------------------------------===//
#include "Hdf5.h"
#include "NIRParams.h"

#include <cstring>
#include <set>
#include <sys/stat.h>

namespace cajal::nir {

namespace {

/// Datasets larger than this are refused (and their sizes fit 64 bits).
constexpr uint64_t kMaxElements = uint64_t(1) << 31;
/// Numeric datasets up to this many elements are read with the structure
/// (every structural parameter: shapes, strides, dims); larger ones wait
/// for loadParameters.
constexpr uint64_t kEagerElements = 4096;
/// Links in one group, and nodes in the whole file.
constexpr uint64_t kMaxLinks = 1 << 16;
/// One fixed-length string, in bytes; the text of one dataset; strings in
/// one dataset.
constexpr uint64_t kMaxStringBytes = 1 << 16;
constexpr uint64_t kMaxTextBytes = uint64_t(1) << 26;
constexpr uint64_t kMaxStrings = uint64_t(1) << 20;
/// The largest chunk read, unpacked (h5py's automatic chunks are at most
/// 1 MiB).
constexpr uint64_t kMaxChunkBytes = uint64_t(1) << 26;
/// Deflate expands at most about 1032:1: a dataset may not declare more
/// bytes than its storage times this (an unwritten dataset has no storage;
/// HDF5 would fill any size with fill values)...
constexpr uint64_t kMaxExpansion = 1100;
/// ...unless it is this small.
constexpr uint64_t kSmallBytes = 1 << 16;

using ObjectKey = std::pair<unsigned long, std::string>;

/// A key that names an object of the file whatever link leads to it.
bool objectKey(hid_t object, ObjectKey &key) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  if (H5Oget_info3(object, &info, H5O_INFO_BASIC) < 0)
    return false;
  key = {info.fileno, std::string(reinterpret_cast<const char *>(&info.token),
                                  sizeof info.token)};
#else
  H5O_info_t info;
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0)
    return false;
  key = {info.fileno, std::to_string(info.addr)};
#endif
  return true;
}

/// The names of the links in a group, in name order; only hard and soft
/// links (an external link would open another file).
Result<std::vector<std::string>> linkNames(hid_t group) {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0)
    return makeError("cannot list a group");
  if (info.nlinks > kMaxLinks)
    return makeError("a group has " + std::to_string(info.nlinks) +
                     " links; at most " + std::to_string(kMaxLinks) +
                     " are read");
  struct Listing {
    std::vector<std::string> names;
    std::string refused;
  } listing;
  auto visit = [](hid_t, const char *name, const H5L_info_t *link,
                  void *data) -> herr_t {
    auto &out = *static_cast<Listing *>(data);
    if (link->type != H5L_TYPE_HARD && link->type != H5L_TYPE_SOFT) {
      out.refused = name;
      return 1;
    }
    if (out.names.size() >= kMaxLinks)
      return 1;
    out.names.push_back(name);
    return 0;
  };
  hsize_t index = 0;
  const herr_t done =
      H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, visit, &listing);
  if (!listing.refused.empty())
    return makeError("'" + listing.refused +
                     "' is an external or user-defined link; a NIR file "
                     "links only within itself");
  if (done < 0)
    return makeError("cannot list a group (a damaged file?)");
  return listing.names;
}

/// Whether `name` is a hard or soft link of `loc` (no external file).
bool hasLocalLink(hid_t loc, const char *name) {
  if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
    return false;
  H5L_info_t link;
  return H5Lget_info(loc, name, &link, H5P_DEFAULT) >= 0 &&
         (link.type == H5L_TYPE_HARD || link.type == H5L_TYPE_SOFT);
}

/// Object header message types (HDF5 file format specification, IV.A.2) a
/// NIR file's groups and datasets carry: NIL, dataspace, link info,
/// datatype, both fill values, link, data layout, group info, filter
/// pipeline, attribute, comment, both modification times, shared message
/// table, continuation, symbol table, B-tree 'K', attribute info, reference
/// count. Not among them: external data files (0x07), bogus (0x09), driver
/// info (0x14) and every type HDF5 1.10 does not define.
constexpr uint64_t kNirHeaderMessages = [] {
  uint64_t mask = 0;
  for (unsigned type :
       {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x0A, 0x0B,
        0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x15, 0x16})
    mask |= uint64_t(1) << type;
  return mask;
}();

/// The kind of object `name` of `loc` is (H5I_GROUP, H5I_DATASET), or
/// H5I_BADID when it is neither or its header holds a message outside
/// kNirHeaderMessages. Read from the header's message table without opening
/// the object: opening a dataset decodes its messages, and libhdf5 1.10
/// reads past a buffer decoding a damaged external-file list.
H5I_type_t objectType(hid_t loc, const std::string &name) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t basic;
  H5O_native_info_t native;
  if (H5Oget_info_by_name3(loc, name.c_str(), &basic, H5O_INFO_BASIC,
                           H5P_DEFAULT) < 0 ||
      H5Oget_native_info_by_name(loc, name.c_str(), &native,
                                 H5O_NATIVE_INFO_HDR, H5P_DEFAULT) < 0)
    return H5I_BADID;
  const H5O_type_t type = basic.type;
  const uint64_t present = native.hdr.mesg.present;
#else
  H5O_info_t info;
  if (H5Oget_info_by_name2(loc, name.c_str(), &info,
                           H5O_INFO_BASIC | H5O_INFO_HDR, H5P_DEFAULT) < 0)
    return H5I_BADID;
  const H5O_type_t type = info.type;
  const uint64_t present = info.hdr.mesg.present;
#endif
  if (present & ~kNirHeaderMessages)
    return H5I_BADID;
  return type == H5O_TYPE_GROUP     ? H5I_GROUP
         : type == H5O_TYPE_DATASET ? H5I_DATASET
                                    : H5I_BADID;
}

/// The shape of a dataset and whether its type and storage can be read
/// safely: a simple (or scalar, or null) dataspace; a standard integer or
/// IEEE float, or a string; only the filters h5py writes (deflate, shuffle,
/// fletcher32); data inside the file; no more bytes than the storage holds.
struct DatasetInfo {
  Shape shape;
  uint64_t count = 0;
  H5T_class_t typeClass = H5T_NO_CLASS;
};

Status checkType(hid_t type, H5T_class_t cls) {
  const size_t size = H5Tget_size(type);
  if (cls == H5T_INTEGER) {
    if ((size != 1 && size != 2 && size != 4 && size != 8) ||
        H5Tget_precision(type) != 8 * size || H5Tget_offset(type) != 0)
      return makeError("has an unusual integer type (" + std::to_string(size) +
                       " bytes)");
    return Status::ok();
  }
  if (cls == H5T_FLOAT) {
    for (hid_t known :
         {H5T_IEEE_F32LE, H5T_IEEE_F32BE, H5T_IEEE_F64LE, H5T_IEEE_F64BE})
      if (H5Tequal(type, known) > 0)
        return Status::ok();
    return makeError("has a float type that is not IEEE single or double");
  }
  if (cls == H5T_STRING) {
    const H5T_cset_t cset = H5Tget_cset(type);
    if (cset != H5T_CSET_ASCII && cset != H5T_CSET_UTF8)
      return makeError("has strings of an unknown character set");
    if (H5Tis_variable_str(type) <= 0 && (size == 0 || size > kMaxStringBytes))
      return makeError("has strings of " + std::to_string(size) + " bytes");
    return Status::ok();
  }
  return makeError("holds neither numbers nor text (HDF5 type class " +
                   std::to_string(int(cls)) + ")");
}

/// A chunked dataset's chunks: each at most kMaxChunkBytes unpacked and no
/// larger than the file stored. libhdf5 allocates both sizes before it reads
/// a chunk, and a damaged layout or chunk index would have it ask for
/// gigabytes.
Status checkChunks(hid_t ds, hid_t plist, hid_t space, size_t elementBytes) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(H5S_MAX_RANK, 0);
  if (rank < 0 || H5Pget_chunk(plist, H5S_MAX_RANK, dims.data()) != rank)
    return makeError("has chunks of another rank than its shape");
  uint64_t bytes = elementBytes;
  for (int i = 0; i < rank; ++i) {
    if (dims[size_t(i)] > kMaxChunkBytes)
      return makeError("has chunks too large to read");
    bytes *= dims[size_t(i)];
    if (bytes > kMaxChunkBytes)
      return makeError("has chunks of more than " +
                       std::to_string(kMaxChunkBytes) + " bytes");
  }
  Handle file(H5Iget_file_id(ds), H5Fclose);
  hsize_t fileBytes = 0, chunks = 0;
  if (!file || H5Fget_filesize(file.get(), &fileBytes) < 0 ||
      H5Dget_num_chunks(ds, space, &chunks) < 0)
    return makeError("cannot list its chunks");
  if (chunks > fileBytes)
    return makeError("lists " + std::to_string(chunks) +
                     " chunks in a file of " + std::to_string(fileBytes) +
                     " bytes");
  for (hsize_t i = 0; i < chunks; ++i) {
    unsigned filterMask = 0;
    haddr_t address = 0;
    hsize_t stored = 0;
    if (H5Dget_chunk_info(ds, space, i, nullptr, &filterMask, &address,
                          &stored) < 0)
      return makeError("cannot list its chunks");
    if (stored > fileBytes)
      return makeError("has a chunk of " + std::to_string(stored) +
                       " bytes in a file of " + std::to_string(fileBytes) +
                       " bytes");
  }
  return Status::ok();
}

Status checkStorage(hid_t ds, hid_t space, size_t elementBytes) {
  Handle plist(H5Dget_create_plist(ds), H5Pclose);
  if (!plist)
    return makeError("cannot read its storage properties");
  const H5D_layout_t layout = H5Pget_layout(plist.get());
  if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS &&
      layout != H5D_CHUNKED)
    return makeError("is a virtual dataset (its data lies in other files)");
  if (H5Pget_external_count(plist.get()) != 0)
    return makeError("keeps its data in external files");
  const int filters = H5Pget_nfilters(plist.get());
  if (filters < 0)
    return makeError("cannot read its filters");
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0, config = 0;
    size_t values = 0;
    const H5Z_filter_t id =
        H5Pget_filter2(plist.get(), unsigned(i), &flags, &values, nullptr, 0,
                       nullptr, &config);
    if (id != H5Z_FILTER_DEFLATE && id != H5Z_FILTER_SHUFFLE &&
        id != H5Z_FILTER_FLETCHER32)
      return makeError("uses HDF5 filter " + std::to_string(int(id)) +
                       " (gzip, shuffle and fletcher32 are read)");
  }
  if (layout == H5D_CHUNKED)
    return checkChunks(ds, plist.get(), space, elementBytes);
  return Status::ok();
}

Result<DatasetInfo> inspect(hid_t ds, hid_t space, hid_t type) {
  DatasetInfo info;
  const H5S_class_t spaceClass = H5Sget_simple_extent_type(space);
  if (spaceClass != H5S_SCALAR && spaceClass != H5S_SIMPLE &&
      spaceClass != H5S_NULL)
    return makeError("has no simple shape");
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > H5S_MAX_RANK)
    return makeError("has no simple shape");
  std::vector<hsize_t> dims(size_t(rank), 0);
  if (rank > 0 && H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0)
    return makeError("has no simple shape");
  info.count = spaceClass == H5S_NULL ? 0 : 1;
  for (hsize_t d : dims) {
    if (d > kMaxElements)
      return makeError("is too large (a dimension of " + std::to_string(d) +
                       ")");
    info.shape.push_back(int64_t(d));
    info.count *= d;
    if (info.count > kMaxElements)
      return makeError("is too large (more than " +
                       std::to_string(kMaxElements) + " elements)");
  }
  if (spaceClass != H5S_NULL &&
      H5Sget_simple_extent_npoints(space) != hssize_t(info.count))
    return makeError("has an inconsistent shape");
  info.typeClass = H5Tget_class(type);
  if (Status s = checkType(type, info.typeClass); !s)
    return s.takeError();
  if (Status s = checkStorage(ds, space, H5Tget_size(type)); !s)
    return s.takeError();
  const uint64_t bytes = info.count * H5Tget_size(type);
  const uint64_t stored = H5Dget_storage_size(ds);
  if (bytes > kSmallBytes && bytes / kMaxExpansion > stored)
    return makeError("declares " + std::to_string(info.count) +
                     " elements but the file stores only " +
                     std::to_string(stored) + " bytes of them");
  return info;
}

Status readStrings(hid_t file, hid_t ds, hid_t fileType, size_t count,
                   Array &out) {
  out.isText = true;
  if (count > kMaxStrings)
    return makeError("holds " + std::to_string(count) + " strings; at most " +
                     std::to_string(kMaxStrings) + " are read");
  if (H5Tis_variable_str(fileType) > 0)
    return readVariableStrings(file, ds, count, kMaxTextBytes, out.text);
  const size_t width = H5Tget_size(fileType);
  if (uint64_t(count) * width > kMaxTextBytes)
    return makeError("holds more than " + std::to_string(kMaxTextBytes) +
                     " bytes of text");
  Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_cset(mem.get(), H5Tget_cset(fileType));
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

Status readNumbers(hid_t ds, Array &out) {
  out.values.assign(out.count, 0.0);
  if (out.count > 0 && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                               H5P_DEFAULT, out.values.data()) < 0)
    return makeError("cannot be read (a compression filter that is not "
                     "available, or damaged data)");
  out.loaded = true;
  return Status::ok();
}

/// Dataset `name` of `loc`, checked; its numbers read unless there are more
/// than kEagerElements (then `out.loaded` is false and `out.source` says
/// where they are). Errors say what is wrong with it.
Result<Array> readDataset(hid_t file, hid_t loc, const std::string &name,
                          const std::string &location) {
  const std::string what = "dataset '" + name + "' ";
  if (!hasLocalLink(loc, name.c_str()))
    return makeError(what + "is not a link within the file");
  if (objectType(loc, name) != H5I_DATASET)
    return makeError(what + "is not a dataset a NIR file can hold (its HDF5 "
                            "header is damaged or names external storage)");
  Handle ds(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds)
    return makeError("cannot open dataset '" + name + "'");
  Handle space(H5Dget_space(ds.get()), H5Sclose);
  Handle type(H5Dget_type(ds.get()), H5Tclose);
  if (!space || !type)
    return makeError(what + "has no readable shape or type");
  Result<DatasetInfo> info = inspect(ds.get(), space.get(), type.get());
  if (!info)
    return withContext(what, info.takeError());
  Array out;
  out.shape = info->shape;
  out.count = info->count;
  out.source = location + "/" + name;
  if (info->typeClass == H5T_STRING) {
    if (Status s = readStrings(file, ds.get(), type.get(), out.count, out); !s)
      return withContext("dataset '" + name + "': ", s.takeError());
    return out;
  }
  out.loaded = false;
  if (out.count <= kEagerElements)
    if (Status s = readNumbers(ds.get(), out); !s)
      return withContext(what, s.takeError());
  return out;
}

std::string joinPath(const std::string &prefix, const std::string &name) {
  return prefix.empty() ? name : prefix + "." + name;
}

/// Walks the file's tree of groups once.
class TreeReader {
public:
  explicit TreeReader(hid_t handle) : file(handle) {}
  Result<File> read(const std::string &path);

private:
  Status enter(hid_t group, const std::string &node);
  Result<Graph> readGraph(hid_t group, const std::string &path,
                          const std::string &location, unsigned depth);
  Result<Node> readNode(hid_t parent, const std::string &name,
                        const std::string &path, const std::string &location,
                        unsigned depth);
  Status readEdges(hid_t group, const std::string &path,
                   const std::string &location, Graph &graph);

  hid_t file;
  std::set<ObjectKey> entered;
  uint64_t nodes = 0;
};

Status TreeReader::enter(hid_t group, const std::string &node) {
  ObjectKey key;
  if (!objectKey(group, key))
    return nodeError(node, "its group cannot be identified (a damaged file?)");
  if (!entered.insert(key).second)
    return nodeError(node, "its group is reached by a second link (a link "
                           "cycle, or a group shared by two nodes): a NIR "
                           "graph is a tree");
  return Status::ok();
}

/// Read the node group `name` of `parent` (its path for messages).
Result<Node> TreeReader::readNode(hid_t parent, const std::string &name,
                                  const std::string &path,
                                  const std::string &location, unsigned depth) {
  if (++nodes > kMaxLinks)
    return nodeError(path, "the file has more than " +
                               std::to_string(kMaxLinks) + " nodes");
  if (!hasLocalLink(parent, name.c_str()) ||
      objectType(parent, name) != H5I_GROUP)
    return nodeError(path, "is not an HDF5 group");
  Handle group(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group)
    return nodeError(path, "is not an HDF5 group");
  if (Status s = enter(group.get(), path); !s)
    return s.takeError();
  Node node;
  node.name = name;
  if (!hasLocalLink(group.get(), "type"))
    return nodeError(path, "has no 'type' dataset");
  Result<Array> type = readDataset(file, group.get(), "type", location);
  if (!type)
    return nodeError(path, type.error());
  if (!type->isText || type->text.size() != 1)
    return nodeError(path, "'type' is not a single string");
  node.type = type->text[0];
  if (node.type == "NIRGraph") {
    if (depth >= kMaxGraphDepth)
      return nodeError(path, "nested graphs are more than " +
                                 std::to_string(kMaxGraphDepth) +
                                 " levels deep");
    Result<Graph> sub = readGraph(group.get(), path, location, depth + 1);
    if (!sub)
      return sub.takeError();
    node.graph = std::make_unique<Graph>(std::move(*sub));
    return node;
  }
  Result<std::vector<std::string>> fields = linkNames(group.get());
  if (!fields)
    return nodeError(path, fields.error());
  for (const std::string &field : *fields) {
    if (field == "type")
      continue;
    if (objectType(group.get(), field) != H5I_DATASET)
      continue; // metadata groups and the like carry no parameter
    Result<Array> a = readDataset(file, group.get(), field, location);
    if (!a)
      return nodeError(path, a.error());
    node.params.emplace(field, std::move(*a));
  }
  return node;
}

Status TreeReader::readEdges(hid_t group, const std::string &path,
                             const std::string &location, Graph &graph) {
  const std::string who = path.empty() ? "the top-level graph" : path;
  if (!hasLocalLink(group, "edges"))
    return nodeError(path, who + " has no 'edges' dataset");
  Result<Array> edges = readDataset(file, group, "edges", location);
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

Result<Graph> TreeReader::readGraph(hid_t group, const std::string &path,
                                    const std::string &location,
                                    unsigned depth) {
  Graph graph;
  if (!hasLocalLink(group, "nodes"))
    return nodeError(path, "the NIRGraph has no 'nodes' group");
  Handle nodesGroup(H5Gopen2(group, "nodes", H5P_DEFAULT), H5Gclose);
  if (!nodesGroup)
    return nodeError(path, "'nodes' is not a group");
  if (Status s = enter(nodesGroup.get(), path); !s)
    return s.takeError();
  Result<std::vector<std::string>> names = linkNames(nodesGroup.get());
  if (!names)
    return nodeError(path, names.error());
  for (const std::string &name : *names) {
    Result<Node> node = readNode(nodesGroup.get(), name, joinPath(path, name),
                                 location + "/nodes/" + name, depth);
    if (!node)
      return node.takeError();
    graph.nodes.push_back(std::move(*node));
  }
  if (Status s = readEdges(group, path, location, graph); !s)
    return s.takeError();
  return graph;
}

Result<File> TreeReader::read(const std::string &path) {
  File out;
  out.path = path;
  if (hasLocalLink(file, "version")) {
    Result<Array> version = readDataset(file, file, "version", "");
    if (version && version->isText && version->text.size() == 1)
      out.version = version->text[0];
  }
  if (!hasLocalLink(file, "node") || objectType(file, "node") != H5I_GROUP)
    return makeError("has no 'node' group: not a NIR graph");
  Handle root(H5Gopen2(file, "node", H5P_DEFAULT), H5Gclose);
  if (!root || !enter(root.get(), ""))
    return makeError("the top-level 'node' cannot be read");
  if (!hasLocalLink(root.get(), "type"))
    return makeError("the top-level 'node' has no 'type' dataset");
  Result<Array> type = readDataset(file, root.get(), "type", "/node");
  if (!type || !type->isText || type->text.size() != 1 ||
      type->text[0] != "NIRGraph")
    return makeError("the top-level 'node' is not a NIRGraph");
  Result<Graph> graph = readGraph(root.get(), "", "/node", 0);
  if (!graph)
    return graph.takeError();
  out.graph = std::move(*graph);
  return out;
}

/// Read the structure of an open file; the File keeps it open for
/// loadParameters.
Result<File> readOpenFile(std::shared_ptr<OpenFile> open,
                          const std::string &path) {
  Result<File> out = TreeReader(open->file.get()).read(path);
  if (!out)
    return withContext(path + ": ", out.takeError());
  out->open = std::move(open);
  return out;
}

/// The most elements parameter `name` of node `n` may hold, given the
/// node's inferred shapes; 0 for a parameter the node does not use.
uint64_t allowedElements(const FlatNode &n, const std::string &name) {
  const uint64_t in = uint64_t(shapeSize(n.in));
  const uint64_t out = uint64_t(shapeSize(n.out));
  switch (n.kind) {
  case NodeKind::Affine:
    return name == "weight" ? in * out : name == "bias" ? out : 0;
  case NodeKind::Conv: {
    if (name == "bias")
      return uint64_t(n.out.empty() ? 0 : n.out[0]);
    if (name != "weight" || n.out.empty() || n.in.empty() || n.groups < 1)
      return 0;
    return uint64_t(n.out[0]) * uint64_t(n.in[0] / n.groups) *
           uint64_t(n.window.kernelH) * uint64_t(n.window.kernelW);
  }
  case NodeKind::Neuron:
  case NodeKind::Scale:
  case NodeKind::Delay:
    return in;
  default:
    return 0;
  }
}

} // namespace

Result<File> readFile(const std::string &path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
    return makeError(path + ": no such file");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0)
    return makeError(path + ": not an HDF5 file (a NIR file is HDF5)");
  auto open = std::make_shared<OpenFile>(
      H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!open->file)
    return makeError(path + ": cannot open the HDF5 file");
  return readOpenFile(std::move(open), path);
}

Result<File> readFileImage(const void *data, size_t size,
                           const std::string &name) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  // The core driver reads a copy of the bytes; no backing file. Closing the
  // file closes every object still open in it (an error path's leftovers).
  constexpr size_t kCoreIncrement = 1 << 16;
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!access || H5Pset_fapl_core(access.get(), kCoreIncrement, false) < 0 ||
      H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG) < 0 ||
      H5Pset_file_image(access.get(), const_cast<void *>(data), size) < 0)
    return makeError(name + ": cannot hold the HDF5 file in memory");
  auto open = std::make_shared<OpenFile>(
      H5Fopen(name.c_str(), H5F_ACC_RDONLY, access.get()));
  if (!open->file)
    return makeError(name + ": not an HDF5 file (a NIR file is HDF5)");
  return readOpenFile(std::move(open), name);
}

Status loadParameters(File &file, FlatGraph &graph) {
  for (FlatNode &n : graph.nodes) {
    if (!n.node)
      continue;
    // The File owns the node; FlatNode points at it.
    Node &node = const_cast<Node &>(*n.node);
    for (auto &[name, array] : node.params) {
      if (array.loaded || array.isText)
        continue;
      const uint64_t allowed = allowedElements(n, name);
      if (allowed == 0)
        continue; // a parameter this node does not use: never read
      if (array.count > allowed)
        return nodeError(
            n.name, "'" + name + "' has " + std::to_string(array.count) +
                        " values; its shapes allow " + std::to_string(allowed));
      if (!file.open)
        return nodeError(n.name, "the file of '" + name + "' is closed");
      Handle ds(
          H5Dopen2(file.open->file.get(), array.source.c_str(), H5P_DEFAULT),
          H5Dclose);
      Handle space(ds ? H5Dget_space(ds.get()) : -1, H5Sclose);
      Handle type(ds ? H5Dget_type(ds.get()) : -1, H5Tclose);
      if (!ds || !space || !type)
        return nodeError(n.name, "cannot open dataset '" + name + "'");
      Result<DatasetInfo> info = inspect(ds.get(), space.get(), type.get());
      if (!info || info->shape != array.shape)
        return nodeError(n.name, "dataset '" + name + "' changed while read");
      if (Status s = readNumbers(ds.get(), array); !s)
        return nodeError(n.name, "dataset '" + name + "' " + s.error());
    }
  }
  file.open.reset();
  if (Status s = checkValues(graph); !s)
    return s;
  graph.loaded = true;
  return Status::ok();
}

} // namespace cajal::nir
