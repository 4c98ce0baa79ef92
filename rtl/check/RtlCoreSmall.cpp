//===- RtlCoreSmall.cpp - The neurocore build for profile rtl-small ----===//
#include "RtlVariant.h"

#include "Vneurocore_small.h"
#include "small/RtlPackage.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

#define CAJAL_RTL_TOP Vneurocore_small
#define CAJAL_RTL_PKG cajal::rtl::pkg_small
#define CAJAL_RTL_NS variant_small
#define CAJAL_RTL_GETTER smallVariant
#define CAJAL_RTL_PROFILE_PATH CAJAL_RTL_PROFILE_SMALL
#define CAJAL_RTL_LEARNS CAJAL_RTL_LEARNING_small
#include "RtlVariant.inc"
