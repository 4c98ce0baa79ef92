//===- Programs.h - Neurocore programs and refusal tables in tests -*- C++
//-*-===//
#ifndef CAJAL_TESTSUPPORT_PROGRAMS_H
#define CAJAL_TESTSUPPORT_PROGRAMS_H

#include "cajal/Chip/Neurocore.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cajal::test {

/// A program of the given words and instructions (encoded), nothing else
/// set: no constants, tables, refractory counter or idle rule.
inline chip::Program
makeProgram(const std::string &name, std::vector<chip::StateWord> state,
            std::vector<chip::ParamWord> params,
            const std::vector<chip::isa::Instruction> &code) {
  chip::Program p;
  p.name = name;
  p.state = std::move(state);
  p.params = std::move(params);
  for (const chip::isa::Instruction &in : code)
    p.code.push_back(chip::isa::encode(in));
  return p;
}

/// No row's distinctive message may be found in another row's error:
/// errors[i] is row i's, named names[i], messages[i] its substring.
inline void expectDistinctMessages(const std::vector<std::string> &names,
                                   const std::vector<std::string> &messages,
                                   const std::vector<std::string> &errors) {
  for (size_t i = 0; i < messages.size(); ++i)
    for (size_t j = 0; j < errors.size(); ++j)
      if (i != j) {
        EXPECT_EQ(errors[j].find(messages[i]), std::string::npos)
            << names[i] << "'s message also matches " << names[j];
      }
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_PROGRAMS_H
