//===- TestUtil.h - Shared helpers of the mapping tests ---------*- C++ -*-===//
#ifndef CAJAL_TESTS_UNIT_COMPILER_TESTUTIL_H
#define CAJAL_TESTS_UNIT_COMPILER_TESTUTIL_H

#include "cajal/Chip/Profile.h"
#include "cajal/Mapping/Network.h"
#include "cajal/TestSupport/Profiles.h"

#include <gtest/gtest.h>

#include <string>

namespace cajal::mapping::test {

using cajal::test::loihi1;

/// loihi1 with smaller cores, so that small networks need several.
inline chip::Profile smallCores(unsigned compartments, unsigned inputAxons,
                                unsigned outputAxons, unsigned words) {
  chip::Profile p = loihi1();
  p.name = "loihi1-small";
  p.core.compartments = compartments;
  p.core.inputAxons = inputAxons;
  p.core.outputAxons = outputAxons;
  p.core.synapseWords = words;
  return p;
}

inline Population makePopulation(const std::string &name, uint32_t size) {
  Population p;
  p.name = name;
  p.size = size;
  p.shape = {int64_t(size)};
  chip::CompartmentParams c;
  c.thresholdMantissa = 100;
  c.decayV = 100;
  p.params = {c};
  return p;
}

inline Source makeSource(const std::string &name, uint32_t size) {
  Source s;
  s.name = name;
  s.size = size;
  return s;
}

inline NodeRef popRef(uint32_t i) {
  return NodeRef{NodeRef::PopulationNode, i};
}
inline NodeRef srcRef(uint32_t i) { return NodeRef{NodeRef::SourceNode, i}; }

inline Projection makeProjection(const std::string &name, NodeRef pre,
                                 uint32_t post, Connectivity conn) {
  Projection p;
  p.name = name;
  p.pre = pre;
  p.post = post;
  p.conn = std::move(conn);
  return p;
}

} // namespace cajal::mapping::test

#endif // CAJAL_TESTS_UNIT_COMPILER_TESTUTIL_H
