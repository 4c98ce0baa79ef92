//===- RtlCoreLoihi2.cpp - The neurocore build for profile 'loihi2' ------===//
#include "RtlVariant.h"

#include "Vneurocore_loihi2.h"
#include "loihi2/RtlPackage.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

#define CAJAL_RTL_TOP Vneurocore_loihi2
#define CAJAL_RTL_PKG cajal::rtl::pkg_loihi2
#define CAJAL_RTL_NS variant_loihi2
#define CAJAL_RTL_GETTER loihi2Variant
#define CAJAL_RTL_PROFILE_PATH CAJAL_RTL_PROFILE_LOIHI2
#define CAJAL_RTL_LEARNS CAJAL_RTL_LEARNING_loihi2
#include "RtlVariant.inc"
