//===- Profiles.h - The chip profiles tests run on -------------*- C++ -*-===//
#ifndef CAJAL_TESTSUPPORT_PROFILES_H
#define CAJAL_TESTSUPPORT_PROFILES_H

#include "cajal/Chip/Profile.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace cajal::test {

/// chip/profiles/NAME.json, loaded once per test binary (a test fails if it
/// cannot be; an empty profile is returned then). The reference stays valid
/// for the whole run.
inline const chip::Profile &profileNamed(const std::string &name) {
  static std::map<std::string, chip::Profile> loaded;
  auto it = loaded.find(name);
  if (it != loaded.end())
    return it->second;
  Result<chip::Profile> p = chip::findProfile(name, chip::defaultProfileDir());
  if (!p)
    ADD_FAILURE() << p.error();
  return loaded.emplace(name, p ? *p : chip::Profile()).first->second;
}

inline const chip::Profile &loihi1() { return profileNamed("loihi1"); }
inline const chip::Profile &loihi2() { return profileNamed("loihi2"); }
/// A profile whose tree stack holds 8 values (isa.stackDepth), for the
/// tests of dendritic trees: loihi2's.
inline const chip::Profile &loihi2WithTrees() {
  static const chip::Profile p = [] {
    chip::Profile q = loihi2();
    q.isa.stackDepth = 8; // loihi2's today; the tests rely on 8
    return q;
  }();
  return p;
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_PROFILES_H
