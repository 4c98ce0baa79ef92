//===- AtomicFileTest.cpp - Outputs: regular files only, no temporaries ---===//
//
// Every output of Cajal goes through AtomicFile: a target that exists as a
// device, FIFO or directory is refused and left as it is; a symbolic link is
// written through (the link stays); removeTemporaries(), which the tools
// call from their Ctrl-C handler, removes the temporaries not yet committed
// and nothing else. Only files in a temporary directory are used.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/AtomicFile.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

using cajal::AtomicFile;
using cajal::Result;
using namespace cajal::chip::test;

namespace {

size_t temporaries(const TempDir &dir) {
  size_t n = 0;
  for (const std::string &f : dir.files())
    n += has(f, ".tmp-");
  return n;
}

TEST(AtomicFileTest, RefusesTargetsThatAreNotRegularFiles) {
  TempDir dir;
  const std::string fifo = dir.file("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  Result<AtomicFile> f = AtomicFile::create(fifo);
  ASSERT_FALSE(bool(f));
  EXPECT_TRUE(has(f.error(), fifo + ": is a FIFO")) << f.error();
  struct stat st;
  ASSERT_EQ(lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)); // not replaced
  Result<AtomicFile> d = AtomicFile::create(dir.path);
  ASSERT_FALSE(bool(d));
  EXPECT_TRUE(has(d.error(), "is a directory")) << d.error();
  // A link to a FIFO is refused as well.
  ASSERT_EQ(symlink("fifo", dir.file("to-fifo").c_str()), 0);
  Result<AtomicFile> l = AtomicFile::create(dir.file("to-fifo"));
  ASSERT_FALSE(bool(l));
  EXPECT_TRUE(has(l.error(), "is a FIFO")) << l.error();
  EXPECT_EQ(temporaries(dir), 0u);
  std::remove(dir.file("to-fifo").c_str());
}

TEST(AtomicFileTest, WritesThroughASymbolicLink) {
  TempDir dir;
  writeBytes(dir.file("target.txt"), "old");
  ASSERT_EQ(symlink("target.txt", dir.file("link.txt").c_str()), 0);
  Result<AtomicFile> f = AtomicFile::create(dir.file("link.txt"));
  ASSERT_TRUE(bool(f)) << f.error();
  f->write("new");
  ASSERT_TRUE(bool(f->commit()));
  struct stat st;
  ASSERT_EQ(lstat(dir.file("link.txt").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(readBytes(dir.file("target.txt")), "new");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"link.txt", "target.txt"}));

  ASSERT_EQ(symlink("missing.txt", dir.file("dangling.txt").c_str()), 0);
  Result<AtomicFile> g = AtomicFile::create(dir.file("dangling.txt"));
  ASSERT_FALSE(bool(g));
  EXPECT_TRUE(has(g.error(), "symbolic link to a missing file")) << g.error();
}

TEST(AtomicFileTest, MissingDirectoryIsNamed) {
  TempDir dir;
  Result<AtomicFile> f = AtomicFile::create(dir.file("no/such/out.txt"));
  ASSERT_FALSE(bool(f));
  EXPECT_TRUE(
      has(f.error(), "directory " + dir.file("no/such") + " does not exist"))
      << f.error();
}

TEST(AtomicFileTest, RemoveTemporariesRemovesOnlyUncommittedFiles) {
  TempDir dir;
  Result<AtomicFile> done = AtomicFile::create(dir.file("done.txt"));
  Result<AtomicFile> open = AtomicFile::create(dir.file("open.txt"));
  ASSERT_TRUE(bool(done) && bool(open));
  done->write("complete");
  open->write("partial");
  ASSERT_TRUE(bool(done->commit()));
  AtomicFile moved = std::move(*open); // the listing moves with the file
  EXPECT_EQ(temporaries(dir), 1u);
  AtomicFile::removeTemporaries(); // as the Ctrl-C handler does
  EXPECT_EQ(dir.files(), std::vector<std::string>{"done.txt"});
  EXPECT_EQ(readBytes(dir.file("done.txt")), "complete");
}

TEST(AtomicFileTest, CanonicalPathsCompareSpellings) {
  TempDir dir;
  writeBytes(dir.file("a.txt"), "a");
  ASSERT_EQ(symlink("a.txt", dir.file("b.txt").c_str()), 0);
  const std::string a = cajal::canonicalPath(dir.file("a.txt"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(cajal::canonicalPath(dir.path + "/./a.txt"), a);
  EXPECT_EQ(cajal::canonicalPath(dir.file("b.txt")), a);
  EXPECT_EQ(cajal::canonicalPath(dir.path + "/x/../new.txt"),
            cajal::canonicalPath(dir.file("new.txt")));
  std::remove(dir.file("b.txt").c_str());
}

} // namespace
