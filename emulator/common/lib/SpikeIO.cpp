//===- SpikeIO.cpp - Spike and state-probe CSV files ----------------------===//
//
// The reader takes the whole file into memory and walks it line by line: the
// first line must be the header, every other non-blank line three fields.
// Each record keeps its line number until the records are sorted, so that a
// duplicate is reported with both lines. Writers format rows into a buffer
// that is flushed to an AtomicFile (mkstemp beside the target, rename on
// commit).
//
//===----------------------------------------------------------------------===//
#include "cajal/Emulator/SpikeIO.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cajal::spikeio {

//===----------------------------------------------------------------------===//
// NodeTable
//===----------------------------------------------------------------------===//

NodeTable::NodeTable(const chip::Image &image)
    : populations(uint32_t(image.populations.size())) {
  for (const chip::Population &p : image.populations) {
    names.push_back(p.name);
    sizes.push_back(p.size);
  }
  for (const chip::Source &s : image.sources) {
    names.push_back(s.name);
    sizes.push_back(s.size);
    kinds.push_back(s.kind);
  }
  aliases.resize(populations);
  for (uint32_t p = 0; p < populations; ++p)
    for (const std::string &alias : image.populations[p].aliases) {
      aliases[p].push_back(uint32_t(names.size()));
      names.push_back(alias);
      sizes.push_back(image.populations[p].size);
    }
  for (uint32_t i = 0; i < names.size(); ++i)
    byName.emplace(names[i], i); // the first of two equal names wins
}

bool NodeTable::isExternalSource(uint32_t node) const {
  return isSource(node) &&
         kinds[sourceIndex(node)] == chip::SourceKind::External;
}

std::optional<uint32_t> NodeTable::find(std::string_view name) const {
  auto it = byName.find(std::string(name));
  if (it == byName.end())
    return std::nullopt;
  return it->second;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {

constexpr std::string_view spikeHeader = "step,node,index";
constexpr std::string_view stateHeader = "step,node,index,u,v";
constexpr size_t maxQuotedChars = 40;  ///< longest value quoted in a message
constexpr size_t flushBytes = 1 << 16; ///< writer buffer flush threshold

std::string_view trim(std::string_view s) {
  const char *blank = " \t\r";
  const size_t b = s.find_first_not_of(blank);
  if (b == std::string_view::npos)
    return {};
  return s.substr(b, s.find_last_not_of(blank) - b + 1);
}

std::string quote(std::string_view s) {
  if (s.size() > maxQuotedChars)
    return "\"" + std::string(s.substr(0, maxQuotedChars)) + "...\"";
  return "\"" + std::string(s) + "\"";
}

bool parseUnsigned(std::string_view s, uint32_t &out) {
  if (s.empty())
    return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool accepted(const NodeTable &nodes, uint32_t node, NodeSet accept) {
  switch (accept) {
  case NodeSet::Any:
    return true;
  case NodeSet::Populations: // and their aliases
    return !nodes.isSource(node);
  case NodeSet::ExternalSources:
    return nodes.isExternalSource(node);
  }
  return false;
}

/// "external sources: in, stim" (what a file may name), for messages.
std::string describeAccepted(const NodeTable &nodes, NodeSet accept) {
  std::string what = accept == NodeSet::Any           ? "nodes"
                     : accept == NodeSet::Populations ? "populations"
                                                      : "external sources";
  std::string list;
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    if (!accepted(nodes, n, accept))
      continue;
    list += (list.empty() ? "" : ", ") + nodes.name(n);
  }
  return what + ": " + (list.empty() ? std::string("none") : list);
}

struct LineRecord {
  SpikeRecord spike;
  size_t line;
};

/// The node the previous line named, accepted: consecutive lines mostly
/// name the same one, and a comparison is cheaper than a lookup.
struct LastNode {
  std::string_view name;
  uint32_t node = 0;
};

/// Parse one data line into `out`; on failure return the message.
std::optional<std::string> parseLine(std::string_view line,
                                     const NodeTable &nodes, NodeSet accept,
                                     LastNode &last, SpikeRecord &out) {
  std::string_view fields[3];
  size_t count = 0, start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    const std::string_view field = line.substr(start, comma - start);
    if (count < 3)
      fields[count] = trim(field);
    ++count;
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  if (count != 3)
    return "expected 3 fields (step,node,index), found " +
           std::to_string(count) + " in " + quote(trim(line));
  if (!parseUnsigned(fields[0], out.step))
    return "step " + quote(fields[0]) + " is not a non-negative 32-bit integer";
  if (fields[1].empty())
    return std::string("empty node name");
  if (fields[1] != last.name) {
    const std::optional<uint32_t> node = nodes.find(fields[1]);
    if (!node)
      return "unknown node " + quote(fields[1]) + " (" +
             describeAccepted(nodes, accept) + ")";
    if (!accepted(nodes, *node, accept))
      return "node " + quote(fields[1]) + " cannot be named here (" +
             describeAccepted(nodes, accept) + ")";
    last = {fields[1], *node};
  }
  out.node = last.node;
  if (!parseUnsigned(fields[2], out.index))
    return "index " + quote(fields[2]) + " of node " + quote(fields[1]) +
           " is not a non-negative 32-bit integer";
  if (out.index >= nodes.nodeSize(last.node))
    return "index " + std::to_string(out.index) + " of node " +
           quote(fields[1]) + " out of range (size " +
           std::to_string(nodes.nodeSize(last.node)) + ")";
  return std::nullopt;
}

/// A data line in its plainest form, "step,node,index" with no blanks,
/// naming the node the line before named: parsed in one pass (an input
/// file has a line per spike). False, with `pos` unmoved, for any other
/// line, which parseLine then takes (and reports if it is wrong).
bool parsePlainLine(std::string_view text, size_t &pos, const NodeTable &nodes,
                    const LastNode &last, SpikeRecord &out) {
  const char *p = text.data() + pos;
  const char *const end = text.data() + text.size();
  const auto isDigit = [&] { return p != end && unsigned(*p - '0') < 10; };
  // Up to 10 digits that fit 32 bits (longer ones, leading zeros and all,
  // are parseLine's).
  const auto number = [&](uint32_t &value) {
    const char *first = p;
    uint64_t v = 0;
    while (isDigit() && p - first < 10)
      v = v * 10 + unsigned(*p++ - '0');
    value = uint32_t(v);
    return p != first && !isDigit() && v <= UINT32_MAX;
  };
  const size_t nameSize = last.name.size();
  if (nameSize == 0 || !number(out.step) || p == end || *p++ != ',' ||
      size_t(end - p) <= nameSize ||
      std::memcmp(p, last.name.data(), nameSize) != 0 || p[nameSize] != ',')
    return false;
  p += nameSize + 1;
  if (!number(out.index) || (p != end && *p != '\n') ||
      out.index >= nodes.nodeSize(last.node))
    return false;
  out.node = last.node;
  pos = size_t(p - text.data()) + (p != end);
  return true;
}

Error lineError(const std::string &file, size_t line, const std::string &msg) {
  return makeError(file + ":" + std::to_string(line) + ": " + msg);
}

/// Sort by (step, node, index) and reject repeats, naming both lines.
Result<std::vector<SpikeRecord>> sortUnique(std::vector<LineRecord> records,
                                            const std::string &file,
                                            const NodeTable &nodes) {
  const bool sorted =
      std::is_sorted(records.begin(), records.end(),
                     [](const LineRecord &a, const LineRecord &b) {
                       return a.spike < b.spike;
                     });
  if (!sorted)
    std::stable_sort(records.begin(), records.end(),
                     [](const LineRecord &a, const LineRecord &b) {
                       return a.spike < b.spike;
                     });
  std::vector<SpikeRecord> out;
  out.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const SpikeRecord &s = records[i].spike;
    if (i > 0 && records[i - 1].spike == s) {
      const size_t first = std::min(records[i - 1].line, records[i].line);
      const size_t second = std::max(records[i - 1].line, records[i].line);
      return lineError(file, second,
                       "duplicate spike (step " + std::to_string(s.step) +
                           ", node " + quote(nodes.name(s.node)) + ", index " +
                           std::to_string(s.index) + "; first on line " +
                           std::to_string(first) + ")");
    }
    out.push_back(s);
  }
  return out;
}

} // namespace

Result<std::vector<SpikeRecord>> parseSpikeCsv(std::string_view text,
                                               const std::string &fileName,
                                               const NodeTable &nodes,
                                               NodeSet accept) {
  std::vector<LineRecord> records;
  // At most one record per line: the text bounds the count.
  records.reserve(size_t(std::count(text.begin(), text.end(), '\n')));
  size_t lineNo = 0, pos = 0;
  bool sawHeader = false;
  LastNode last;
  while (pos < text.size()) {
    LineRecord plain{SpikeRecord(), lineNo + 1};
    if (sawHeader && parsePlainLine(text, pos, nodes, last, plain.spike)) {
      ++lineNo;
      records.push_back(plain);
      continue;
    }
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (!sawHeader) {
      if (trim(line) != spikeHeader)
        return lineError(fileName, lineNo,
                         "bad header " + quote(trim(line)) + " (expected " +
                             quote(spikeHeader) + ")");
      sawHeader = true;
      continue;
    }
    if (trim(line).empty())
      continue;
    LineRecord r{SpikeRecord(), lineNo};
    if (std::optional<std::string> msg =
            parseLine(line, nodes, accept, last, r.spike))
      return lineError(fileName, lineNo, *msg);
    records.push_back(r);
  }
  if (!sawHeader)
    return makeError(fileName + ": empty file (expected the header " +
                     quote(spikeHeader) + ")");
  return sortUnique(std::move(records), fileName, nodes);
}

Result<std::vector<SpikeRecord>>
readSpikeCsv(const std::string &path, const NodeTable &nodes, NodeSet accept) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return makeError(path + ": cannot open: " + std::strerror(errno));
  // A regular file is read in one piece of its size; anything else (a
  // pipe) streamed.
  std::string text;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return makeError(path + ": is a directory, not a spike CSV file");
  if (std::filesystem::is_regular_file(path, ec)) {
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
      return makeError(path + ": " + ec.message());
    text.resize(size);
    if (!in.read(text.data(), std::streamsize(size)))
      return makeError(path + ": read error");
  } else {
    std::ostringstream streamed;
    streamed << in.rdbuf();
    if (in.bad())
      return makeError(path + ": read error");
    text = streamed.str();
  }
  return parseSpikeCsv(text, path, nodes, accept);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

namespace {

Status checkNames(const std::string &path, const NodeTable &nodes) {
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    const std::string &name = nodes.name(n);
    if (name.empty() || name.find_first_of(",\"\r\n") != std::string::npos)
      return makeError(path + ": node name " + quote(name) +
                       " cannot be written to CSV (empty, or contains a "
                       "comma, quote or line break)");
    if (nodes.find(name) != n)
      return makeError(path + ": node name " + quote(name) +
                       " is used by two nodes: spikes would be ambiguous");
  }
  return Status::ok();
}

void appendNumber(std::string &out, int64_t value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void appendPrefix(std::string &out, uint32_t step, const std::string &node,
                  uint32_t index) {
  appendNumber(out, step);
  out += ',';
  out += node;
  out += ',';
  appendNumber(out, index);
}

} // namespace

Result<SpikeCsvWriter> SpikeCsvWriter::create(const std::string &path,
                                              const NodeTable &nodes) {
  if (Status s = checkNames(path, nodes); !s)
    return makeError(s.error());
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return file.takeError();
  SpikeCsvWriter w(std::move(*file), nodes);
  w.file.write(std::string(spikeHeader) + "\n");
  return w;
}

void SpikeCsvWriter::flush() {
  file.write(std::string_view(buffer.data(), used));
  used = 0;
}

void SpikeCsvWriter::add(const SpikeRecord &spike) {
  if (spike.node != prefixNode || spike.step != prefixStep) {
    prefix.clear();
    appendNumber(prefix, spike.step);
    prefix += ',';
    prefix += nodes.name(spike.node);
    prefix += ',';
    prefixLength = prefix.size();
    prefix.resize((prefixLength + 15) & ~size_t(15), '\0');
    prefixStep = spike.step;
    prefixNode = spike.node;
  }
  const size_t line = prefix.size() + 11; // index (10 digits) and '\n'
  if (used + line > buffer.size()) {
    flush();
    if (buffer.size() < std::max(flushBytes, line))
      buffer.resize(std::max(flushBytes, line));
  }
  char *out = buffer.data() + used;
  // Whole 16-byte chunks (fixed-size copies, no call to memcpy); the
  // padding past the prefix is overwritten by the index.
  for (size_t k = 0; k < prefix.size(); k += 16)
    std::memcpy(out + k, prefix.data() + k, 16);
  out += prefixLength;
  char digits[10];
  unsigned n = 0;
  for (uint32_t v = spike.index; n == 0 || v != 0; v /= 10)
    digits[n++] = char('0' + v % 10);
  while (n > 0)
    *out++ = digits[--n];
  *out++ = '\n';
  used = size_t(out - buffer.data());
}

Status SpikeCsvWriter::finish() {
  flush();
  return file.commit();
}

Result<StateCsvWriter> StateCsvWriter::create(const std::string &path,
                                              const NodeTable &nodes) {
  if (Status s = checkNames(path, nodes); !s)
    return makeError(s.error());
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return file.takeError();
  StateCsvWriter w(std::move(*file), nodes);
  w.buffer.append(stateHeader).push_back('\n');
  return w;
}

void StateCsvWriter::add(const StateRecord &sample) {
  appendPrefix(buffer, sample.step, nodes.name(sample.node), sample.index);
  buffer += ',';
  appendNumber(buffer, sample.u);
  buffer += ',';
  appendNumber(buffer, sample.v);
  buffer += '\n';
  if (buffer.size() >= flushBytes) {
    file.write(buffer);
    buffer.clear();
  }
}

Status StateCsvWriter::finish() {
  file.write(buffer);
  buffer.clear();
  return file.commit();
}

Status writeSpikeCsv(const std::string &path, const NodeTable &nodes,
                     const std::vector<SpikeRecord> &spikes) {
  return writeSpikesWith<SpikeCsvWriter>(path, nodes, spikes);
}

} // namespace cajal::spikeio
