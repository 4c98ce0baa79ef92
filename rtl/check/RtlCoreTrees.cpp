//===- RtlCoreTrees.cpp - The neurocore build for profile 'rtl-trees' --===//
#include "RtlVariant.h"

#include "Vneurocore_trees.h"
#include "trees/RtlPackage.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

#define CAJAL_RTL_TOP Vneurocore_trees
#define CAJAL_RTL_PKG cajal::rtl::pkg_trees
#define CAJAL_RTL_NS variant_trees
#define CAJAL_RTL_GETTER treesVariant
#define CAJAL_RTL_PROFILE_PATH CAJAL_RTL_PROFILE_TREES
#define CAJAL_RTL_LEARNS CAJAL_RTL_LEARNING_trees
#include "RtlVariant.inc"
