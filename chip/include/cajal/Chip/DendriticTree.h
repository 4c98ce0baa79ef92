//===- DendriticTree.h - Multi-compartment neurons as trees -----*- C++ -*-===//
//
// A neuron with dendrites is a tree of compartments (docs/neurocore-isa.md,
// "Dendritic trees"): each compartment runs its own program, the tree's
// compartments update in post-order (children before their parent, the root
// last), and values flow to the parent through one stack per neuron: a
// child PUSHes, its parent POPs its children's values and joins them into
// its own update. The root's spike is the neuron's, and every compartment
// reads it back one step later as the input bap (the back-propagating
// action potential). This header holds the tree's description, its
// validator and the reference step of one neuron, built on the reference
// interpreter.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_DENDRITICTREE_H
#define CAJAL_CHIP_DENDRITICTREE_H

#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip {

struct Profile;

/// One compartment of a tree.
struct TreeCompartment {
  std::string name;
  uint32_t program = 0; ///< index into the programs the tree is given
  int32_t parent = -1;  ///< the parent's index; -1 for the root (the last)
  bool operator==(const TreeCompartment &o) const {
    return name == o.name && program == o.program && parent == o.parent;
  }
};

/// Compartments in post-order: each subtree is a contiguous run ending at
/// its own root, children in the order they push; the last is the root.
using DendriticTree = std::vector<TreeCompartment>;

/// Check a tree against its programs and the profile: at least one
/// compartment, names non-empty and unique, post-order with one root, every
/// program index in range and each program valid (validateProgram), each
/// compartment popping exactly the values its children push (none for a
/// leaf, none pushed by the root), and the stack never deeper than
/// isa.stackDepth. The error names the compartment and the value.
Status validateTree(const DendriticTree &tree,
                    const std::vector<Program> &programs,
                    const Profile &profile);

/// The deepest the tree's stack gets during one step (tree validated).
unsigned treeStackDepth(const DendriticTree &tree,
                        const std::vector<Program> &programs);

/// One neuron's words for one step: compartment k's state words (updated in
/// place), parameter words and synaptic input.
struct TreeNeuron {
  std::vector<int32_t *> state;
  std::vector<const int64_t *> params;
  std::vector<int64_t> q;
  bool rootSpikedLastStep = false; ///< what every compartment reads as bap
};

/// Advance one neuron by one step with the reference interpreter: each
/// compartment in order on one stack, which is empty before the first and
/// after the root. Returns each compartment's outcome; the root's `spiked`
/// is the neuron's spike.
std::vector<UpdateOutcome> updateTree(const DendriticTree &tree,
                                      const std::vector<Program> &programs,
                                      const TreeNeuron &neuron);

} // namespace cajal::chip

#endif // CAJAL_CHIP_DENDRITICTREE_H
