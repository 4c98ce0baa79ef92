//===- CoreVcd.cpp - A VCD of the emulator core on the RTL's ports --------===//
//
// Writes value changes in time order: each event (spike, update) moves the
// time forward to its ticks; a signal is written only when its value
// changes, so the file has the same change list as the RTL's trace of the
// same signals when the RTL keeps its cycle contract.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/CoreVcd.h"

#include <utility>

namespace cajal::rtl {

namespace {
// VCD identifiers of in_ready, out_valid, out_compartment, step_done.
constexpr char ids[4] = {'r', 'o', 'c', 'd'};
} // namespace

Result<CoreVcd> CoreVcd::create(const std::string &path,
                                unsigned compartmentBits) {
  CoreVcd v;
  v.path = path;
  v.cmpBits = compartmentBits ? compartmentBits : 1;
  v.out.open(path);
  if (!v.out)
    return makeError(path + ": cannot open for writing");
  v.out << "$version cajal check-rtl: systemc::CoreLogic on the RTL cycle "
           "contract $end\n$timescale 1ps $end\n"
           "$scope module neurocore $end\n"
        << "$var wire 1 r in_ready $end\n$var wire 1 o out_valid $end\n"
        << "$var wire " << v.cmpBits << " c out_compartment [" << v.cmpBits - 1
        << ":0] $end\n$var wire 1 d step_done $end\n"
        << "$upscope $end\n$enddefinitions $end\n#0\n"
        << "$dumpvars\n1r\n0o\nb0 c\n0d\n$end\n";
  return v;
}

void CoreVcd::change(uint64_t time, char id, uint64_t value, unsigned bits) {
  const int k = id == 'r' ? 0 : id == 'o' ? 1 : id == 'c' ? 2 : 3;
  if (last[k] == value)
    return;
  last[k] = value;
  if (time != now) {
    out << "#" << time << "\n";
    now = time;
  }
  if (bits == 1) {
    out << value << id << "\n";
    return;
  }
  std::string b;
  for (unsigned i = bits; i-- > 0;)
    if (!b.empty() || (value >> i) & 1 || i == 0)
      b += char('0' + ((value >> i) & 1));
  out << "b" << b << " " << id << "\n";
}

void CoreVcd::spike(uint64_t tick, uint32_t busy) {
  if (busy == 0)
    return; // an empty group: the unit stays idle
  change(2 * tick + 1, 'r', 0, 1);
  change(2 * (tick + busy) + 1, 'r', 1, 1);
}

void CoreVcd::update(uint64_t tick, uint32_t n,
                     const std::vector<uint32_t> &spikes) {
  if (n == 0) {
    change(2 * tick + 1, 'd', 1, 1);
    change(2 * tick + 3, 'd', 0, 1);
    return;
  }
  change(2 * tick + 1, 'r', 0, 1);
  size_t next = 0;
  for (uint32_t c = 0; c < n; ++c) {
    const uint64_t time = 2 * (tick + 1 + c) + 1;
    const bool spiking = next < spikes.size() && spikes[next] == c;
    next += spiking;
    change(time, 'o', spiking, 1);
    change(time, 'c', c, cmpBits);
    if (c + 1 == n) {
      change(time, 'r', 1, 1);
      change(time, 'd', 1, 1);
    }
  }
  change(2 * (tick + n + 1) + 1, 'o', 0, 1);
  change(2 * (tick + n + 1) + 1, 'd', 0, 1);
}

Status CoreVcd::finish() {
  out.flush();
  if (!out)
    return makeError(path + ": write failed");
  out.close();
  return Status::ok();
}

} // namespace cajal::rtl
