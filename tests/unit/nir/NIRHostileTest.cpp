//===- NIRHostileTest.cpp - The NIR reader on files made to break it ------===//
//
// Link cycles, links to other files, empty and oversized layers, datasets
// declaring more data than the file holds, and real NIR files with bytes
// corrupted at many offsets: each a clean error (or, for harmless damage,
// success), never a crash, a hang or an allocation the file cannot justify.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include "cajal/NIR/NIRImport.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/resource.h>

using namespace cajal;
using namespace cajal::nirtest;

namespace {

/// input(n) -> fc (a 1 x 1 Linear until a test replaces it) -> lif(n).
GraphSpec lifChain(size_t n = 2) {
  GraphSpec g;
  g.nodes["input"] = input({double(n)});
  g.nodes["fc"] = linear(1, 1, {0.5});
  g.nodes["lif"] = node("LIF", {{"tau", scalar(0.01)},
                                {"r", scalar(1)},
                                {"v_leak", scalar(0)},
                                {"v_threshold", scalar(1)}});
  g.edges = {{"input", "fc"}, {"fc", "lif"}};
  return g;
}

/// Write `g`, then let `edit` change the file with the HDF5 API.
std::string writeEdited(const GraphSpec &g,
                        const std::function<void(hid_t file)> &edit) {
  const std::string path = tempPath("edited.nir");
  writeNIR(path, g);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  edit(file);
  H5Fclose(file);
  return path;
}

/// The whole frontend on `path` (read, flatten, shapes, load, lower).
Status frontend(const std::string &path) {
  Result<nir::File> file = nir::readFile(path);
  if (!file)
    return file.takeError();
  Result<nir::FlatGraph> flat = nir::flattenGraph(*file);
  if (!flat)
    return flat.takeError();
  if (Status s = nir::inferShapes(*flat); !s)
    return s;
  if (Status s = nir::loadParameters(*file, *flat); !s)
    return s;
  Result<nir::Lowered> lowered = nir::lowerGraph(*flat, 1e-3);
  if (!lowered)
    return lowered.takeError();
  return Status::ok();
}

long maxResidentKB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(NIRHostileTest, RefusesAHardLinkCycle) {
  const std::string path = writeEdited(lifChain(), [](hid_t file) {
    // node/nodes/fc/loop -> node: a nested graph containing itself.
    H5Lcreate_hard(file, "/node", file, "/node/nodes/sub", H5P_DEFAULT,
                   H5P_DEFAULT);
  });
  Status s = frontend(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("reached by a second link"), std::string::npos)
      << s.error();
  EXPECT_EQ(s.subject().name, "sub");
}

TEST(NIRHostileTest, RefusesASoftLinkCycle) {
  const std::string path = writeEdited(lifChain(), [](hid_t file) {
    hid_t sub = H5Gcreate2(file, "/node/nodes/sub", H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT);
    writeDataset(sub, "type", text("NIRGraph"), false);
    writeDataset(sub, "edges", Dataset{{0}, {}, {}, false}, false);
    H5Lcreate_soft("/node/nodes", sub, "nodes", H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(sub);
  });
  Status s = frontend(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("reached by a second link"), std::string::npos)
      << s.error();
}

TEST(NIRHostileTest, RefusesLinksToOtherFiles) {
  const std::string path = writeEdited(lifChain(), [](hid_t file) {
    H5Lcreate_external("/etc/hostname", "/x", file, "/node/nodes/lif/extra",
                       H5P_DEFAULT, H5P_DEFAULT);
  });
  Status s = frontend(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("external or user-defined link"), std::string::npos)
      << s.error();
}

TEST(NIRHostileTest, RefusesEmptyLayers) {
  GraphSpec linear = lifChain();
  linear.nodes["fc"] = node("Linear", {{"weight", numbers({}, {0, 2})}});
  writeNIR(tempPath("linear.nir"), linear);
  Status s = frontend(tempPath("linear.nir"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("node 'fc': 'weight' has shape [0, 2]"),
            std::string::npos)
      << s.error();

  GraphSpec conv;
  conv.nodes["input"] = input({1, 4, 4});
  conv.nodes["conv"] = node("Conv2d", {{"weight", numbers({}, {0, 1, 3, 3})}});
  conv.nodes["lif"] = lif(1);
  conv.edges = {{"input", "conv"}, {"conv", "lif"}};
  writeNIR(tempPath("conv.nir"), conv);
  s = frontend(tempPath("conv.nir"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("node 'conv': 'weight' has shape [0, 1, 3, 3]"),
            std::string::npos)
      << s.error();
}

/// A 40,000 x 40,000 weight declared in a small file (chunked, never
/// written: HDF5 would hand out fill values for all 1.6e9 of them).
void declareHugeWeight(hid_t file) {
  H5Ldelete(file, "/node/nodes/fc/weight", H5P_DEFAULT);
  hid_t group = H5Gopen2(file, "/node/nodes/fc", H5P_DEFAULT);
  const hsize_t dims[2] = {40000, 40000}, chunk[2] = {1000, 1000};
  hid_t space = H5Screate_simple(2, dims, nullptr);
  hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(plist, 2, chunk);
  hid_t ds = H5Dcreate2(group, "weight", H5T_IEEE_F64LE, space, H5P_DEFAULT,
                        plist, H5P_DEFAULT);
  H5Dclose(ds);
  H5Pclose(plist);
  H5Sclose(space);
  H5Gclose(group);
}

TEST(NIRHostileTest, ChecksShapesBeforeReadingAHugeWeight) {
  // The weight's 40,000 inputs disagree with the Input's 2: refused from
  // the dataspaces (metadata), before any of its data is read.
  const long before = maxResidentKB();
  const std::string path = writeEdited(lifChain(), declareHugeWeight);
  Status s = frontend(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.subject().name, "fc") << s.error();
  // 1.6e9 doubles are 12.8 GB: nothing close may have been allocated.
  EXPECT_LT(maxResidentKB() - before, 200 * 1024);
}

TEST(NIRHostileTest, RefusesDataTheFileDoesNotHold) {
  GraphSpec g = lifChain(40000); // shapes agree with a 40,000^2 weight
  const long before = maxResidentKB();
  const std::string path = writeEdited(g, declareHugeWeight);
  Status s = frontend(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("node 'fc': dataset 'weight' declares 1600000000 "
                           "elements but the file stores only 0 bytes"),
            std::string::npos)
      << s.error();
  EXPECT_LT(maxResidentKB() - before, 200 * 1024);
}

/// Every real NIR file of the repository with bytes overwritten at many
/// offsets, read from memory: a clean error or success, never a crash.
TEST(NIRHostileTest, CorruptedFilesGiveCleanErrors) {
  const std::string dir = CAJAL_NIR_DATA;
  size_t cases = 0, errors = 0;
  for (const char *name : {"lif_norse.nir", "two_lif_neurons.nir",
                           "braille_noDelay_bias_zero_subgraph.nir"}) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    ASSERT_FALSE(bytes.empty()) << name;
    // Every 61st byte (a prime: offsets fall in every kind of structure).
    for (size_t offset = 0; offset < bytes.size(); offset += 61)
      for (const unsigned char value : {0x00, 0xff}) {
        std::string copy = bytes;
        copy[offset] = char(value);
        ++cases;
        Result<nir::File> file =
            nir::readFileImage(copy.data(), copy.size(), name);
        if (!file) {
          ++errors;
          continue;
        }
        Result<nir::FlatGraph> flat = nir::flattenGraph(*file);
        if (!flat || !nir::inferShapes(*flat) ||
            !nir::loadParameters(*file, *flat) || !nir::lowerGraph(*flat, 1e-3))
          ++errors;
      }
  }
  EXPECT_GT(errors, 0u);
  EXPECT_LT(errors, cases);
}

/// A read that crashes (as libhdf5 does on some damaged headers) ends its
/// child process, not the caller: the caller gets an error naming the file
/// and the signal, and can read the next file.
TEST(NIRHostileTest, ACrashWhileReadingIsAnErrorOfTheFile) {
  Result<nir::File> crashed =
      nir::readInChildProcess("model.nir", []() -> Result<nir::File> {
        std::raise(SIGSEGV);
        return nir::File{};
      });
  ASSERT_FALSE(crashed);
  // The signal (under a sanitizer, which reports the crash itself and
  // exits: its exit status).
  const std::string text = crashed.error();
  EXPECT_EQ(text.rfind("model.nir: the HDF5 library failed while reading "
                       "the file (signal 11, " +
                           std::string(strsignal(SIGSEGV)) + ")",
                       0) == 0 ||
                text.rfind("model.nir: the HDF5 library failed while reading "
                           "the file (exit status ",
                           0) == 0,
            true)
      << text;
  EXPECT_NE(text.find("): the file is damaged or not a NIR file"),
            std::string::npos)
      << text;
  // The child's errors and files come back whole.
  Result<nir::File> refused =
      nir::readInChildProcess("model.nir", []() -> Result<nir::File> {
        return makeError("node 'lif': no 'tau'",
                         {ErrorSubject::Kind::Node, "lif", "tau"});
      });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), "node 'lif': no 'tau'");
  EXPECT_EQ(refused.subject().kind, ErrorSubject::Kind::Node);
  EXPECT_EQ(refused.subject().field, "tau");
  const std::string path = tempPath("chain.nir");
  writeNIR(path, lifChain(3));
  Result<nir::File> direct = nir::readFile(path);
  Result<nir::File> viaChild = nir::readInChildProcess(
      path, [&]() -> Result<nir::File> { return nir::readFile(path); });
  ASSERT_TRUE(direct) << direct.error();
  ASSERT_TRUE(viaChild) << viaChild.error();
  ASSERT_EQ(viaChild->graph.nodes.size(), direct->graph.nodes.size());
  for (size_t i = 0; i < direct->graph.nodes.size(); ++i) {
    const nir::Node &a = direct->graph.nodes[i], &b = viaChild->graph.nodes[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.type, b.type);
    ASSERT_EQ(a.params.size(), b.params.size()) << a.name;
    for (const auto &[name, array] : a.params) {
      const nir::Array &other = b.params.at(name);
      EXPECT_EQ(array.shape, other.shape) << a.name << "." << name;
      EXPECT_EQ(array.values, other.values) << a.name << "." << name;
      EXPECT_EQ(array.text, other.text) << a.name << "." << name;
      EXPECT_EQ(array.source, other.source) << a.name << "." << name;
    }
  }
  EXPECT_EQ(viaChild->graph.edges, direct->graph.edges);
}

/// The files the fuzzer found breaking libhdf5 (fuzz/regressions/nir): each
/// refused with an error naming the file, the process alive. Under the
/// sanitizers libhdf5 really crashes on some of them, in the child.
TEST(NIRHostileTest, FilesThatBreakTheHdf5LibraryAreRefused) {
  size_t files = 0;
  for (const auto &entry :
       std::filesystem::directory_iterator(CAJAL_NIR_REGRESSIONS)) {
    mlir::MLIRContext context;
    std::string messages;
    mlir::ScopedDiagnosticHandler collect(&context, [&](mlir::Diagnostic &d) {
      messages += d.str() + "\n";
      return mlir::success();
    });
    nir::NIRImportOptions options;
    options.dt = 1e-3;
    const std::string path = entry.path().string();
    auto module = nir::importNIRFile(path, context, options);
    EXPECT_TRUE(mlir::failed(module)) << path;
    EXPECT_FALSE(messages.empty()) << path;
    ++files;
  }
  EXPECT_GE(files, 3u);
}

/// A chunk index that claims a chunk larger than the file is refused before
/// libhdf5 allocates the claimed size (4 GiB here).
TEST(NIRHostileTest, RefusesAChunkLargerThanTheFile) {
  const std::string path =
      std::string(CAJAL_NIR_REGRESSIONS) + "/oom-damaged-chunk-size.nir";
  Status s = frontend(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), path + ": node 'lif': dataset 'v_leak' has a chunk of "
                              "4294967295 bytes in a file of 32508 bytes");
}

} // namespace
