//===- Programs.h - Neurocore programs and refusal tables in tests -*- C++
//-*-===//
#ifndef CAJAL_TESTSUPPORT_PROGRAMS_H
#define CAJAL_TESTSUPPORT_PROGRAMS_H

#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Result.h"

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

/// A table of refusals, one row each: every row's error contains its
/// distinctive message, and no row's message is found in another row's
/// error (checked when the table goes out of scope).
class RefusalTable {
public:
  void expect(const std::string &name, const std::string &message,
              const Status &status) {
    if (status) {
      ADD_FAILURE() << name << ": accepted";
      return;
    }
    EXPECT_NE(status.error().find(message), std::string::npos)
        << name << ": got \"" << status.error() << "\"";
    names.push_back(name);
    messages.push_back(message);
    errors.push_back(status.error());
  }
  ~RefusalTable() {
    for (size_t i = 0; i < messages.size(); ++i)
      for (size_t j = 0; j < errors.size(); ++j)
        if (i != j) {
          EXPECT_EQ(errors[j].find(messages[i]), std::string::npos)
              << names[i] << "'s message also matches " << names[j];
        }
  }

private:
  std::vector<std::string> names, messages, errors;
};

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_PROGRAMS_H
