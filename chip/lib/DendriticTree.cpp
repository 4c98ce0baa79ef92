//===- DendriticTree.cpp - Validate and step multi-compartment neurons ----===//
//
// The validator proves, before anything runs, that the stack is balanced:
// a program's stack effect does not depend on the data (validateProgram's
// stack discipline), so checking that every compartment pops exactly what
// its children push, in post-order, shows that each POP takes a value its
// own children pushed and that the stack is empty after the root.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/DendriticTree.h"

#include "cajal/Chip/Profile.h"

#include <set>

namespace cajal::chip {

namespace {

std::string named(const DendriticTree &tree, size_t k) {
  return "compartment \"" + tree[k].name + "\"";
}

std::string values(unsigned n) {
  return std::to_string(n) + (n == 1 ? " value" : " values");
}

/// The post-order a depth-first walk from the root gives (children in
/// index order); the tree is in post-order when it is 0, 1, ..., n - 1.
void appendPostOrder(const std::vector<std::vector<size_t>> &children, size_t k,
                     std::vector<size_t> &order) {
  for (size_t child : children[k])
    appendPostOrder(children, child, order);
  order.push_back(k);
}

Status checkShape(const DendriticTree &tree, size_t programCount) {
  if (tree.empty())
    return makeError("dendritic tree has no compartments");
  std::set<std::string> names;
  for (size_t k = 0; k < tree.size(); ++k) {
    const TreeCompartment &c = tree[k];
    if (c.name.empty())
      return makeError("compartment " + std::to_string(k) + " has no name");
    if (!names.insert(c.name).second)
      return makeError(named(tree, k) + " appears twice");
    if (c.program >= programCount)
      return makeError(named(tree, k) + ": program index " +
                       std::to_string(c.program) + " out of range (" +
                       std::to_string(programCount) + " programs)");
    const bool root = k + 1 == tree.size();
    if (root && c.parent != -1)
      return makeError(
          named(tree, k) + " is last, so it is the root, but it has parent " +
          std::to_string(c.parent) + " (the root comes last: post-order)");
    if (!root && c.parent == -1)
      return makeError(named(tree, k) + " has no parent but is not last: a "
                                        "tree has one root, listed last");
    if (!root && (c.parent <= int32_t(k) || size_t(c.parent) >= tree.size()))
      return makeError(named(tree, k) + " (index " + std::to_string(k) +
                       ") has parent index " + std::to_string(c.parent) +
                       "; a parent comes after its children (post-order), "
                       "at most index " +
                       std::to_string(tree.size() - 1));
  }
  std::vector<std::vector<size_t>> children(tree.size());
  for (size_t k = 0; k + 1 < tree.size(); ++k)
    children[size_t(tree[k].parent)].push_back(k);
  std::vector<size_t> order;
  appendPostOrder(children, tree.size() - 1, order);
  for (size_t k = 0; k < order.size(); ++k)
    if (order[k] != k)
      return makeError("compartments are not in post-order: position " +
                       std::to_string(k) + " holds \"" + tree[k].name +
                       "\", where post-order puts \"" + tree[order[k]].name +
                       "\" (a subtree's compartments are consecutive and "
                       "end at its root)");
  return Status::ok();
}

} // namespace

Status validateTree(const DendriticTree &tree,
                    const std::vector<Program> &programs,
                    const Profile &profile) {
  if (Status s = checkShape(tree, programs.size()); !s)
    return s;
  std::vector<unsigned> childPushes(tree.size(), 0);
  std::vector<std::string> childNames(tree.size());
  for (size_t k = 0; k < tree.size(); ++k) {
    const Program &program = programs[tree[k].program];
    if (Status s = validateProgram(program, profile); !s)
      return makeError(named(tree, k) + ": program \"" + program.name +
                       "\": " + s.error());
    const StackEffect effect = stackEffect(program);
    if (effect.pops != childPushes[k]) {
      if (childNames[k].empty())
        return makeError(named(tree, k) + " pops " + values(effect.pops) +
                         " but has no child to join");
      return makeError(named(tree, k) + " pops " + values(effect.pops) +
                       "; its children " + childNames[k] + " push " +
                       values(childPushes[k]));
    }
    if (tree[k].parent < 0) {
      if (effect.pushes != 0)
        return makeError(named(tree, k) + " is the root and pushes " +
                         values(effect.pushes) + " that no parent pops");
      continue;
    }
    const size_t parent = size_t(tree[k].parent);
    childPushes[parent] += effect.pushes;
    childNames[parent] +=
        (childNames[parent].empty() ? "\"" : ", \"") + tree[k].name + "\"";
  }
  const unsigned depth = treeStackDepth(tree, programs);
  if (depth > profile.isa.stackDepth)
    return makeError("dendritic tree needs a stack of " + values(depth) +
                     "; the profile's holds " +
                     std::to_string(profile.isa.stackDepth) +
                     " (isa.stackDepth)");
  return Status::ok();
}

unsigned treeStackDepth(const DendriticTree &tree,
                        const std::vector<Program> &programs) {
  unsigned depth = 0, deepest = 0;
  for (const TreeCompartment &c : tree) {
    const StackEffect effect = stackEffect(programs[c.program]);
    depth = depth >= effect.pops ? depth - effect.pops : 0;
    depth += effect.pushes;
    deepest = depth > deepest ? depth : deepest;
  }
  return deepest;
}

std::vector<UpdateOutcome> updateTree(const DendriticTree &tree,
                                      const std::vector<Program> &programs,
                                      const TreeNeuron &neuron) {
  std::vector<int64_t> stack;
  std::vector<UpdateOutcome> outcomes(tree.size());
  for (size_t k = 0; k < tree.size(); ++k)
    outcomes[k] =
        interpret(programs[tree[k].program], neuron.state[k], neuron.params[k],
                  neuron.q[k], TreeContext{&stack, neuron.rootSpikedLastStep});
  return outcomes;
}

} // namespace cajal::chip
