//===- TestProfile.h - The loihi1 profile for unit tests --------*- C++ -*-===//
#ifndef CAJAL_TESTS_GOLDEN_TESTPROFILE_H
#define CAJAL_TESTS_GOLDEN_TESTPROFILE_H

#include "cajal/Chip/Profile.h"

#include <cstdlib>
#include <gtest/gtest.h>

namespace cajal::imagegen {

/// chip/profiles/loihi1.json, loaded once (a test fails if it cannot be).
inline const chip::Profile &loihi1() {
  static const chip::Profile profile = [] {
    Result<chip::Profile> p =
        chip::findProfile("loihi1", CAJAL_TEST_PROFILE_DIR);
    if (!p) {
      ADD_FAILURE() << p.error();
      return chip::Profile();
    }
    return *p;
  }();
  return profile;
}

} // namespace cajal::imagegen

#endif // CAJAL_TESTS_GOLDEN_TESTPROFILE_H
