//===- RtlCoreLoihi1.cpp - The neurocore build for profile 'loihi1' ------===//
#include "RtlVariant.h"

#include "Vneurocore_loihi1.h"
#include "loihi1/RtlPackage.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

#define CAJAL_RTL_TOP Vneurocore_loihi1
#define CAJAL_RTL_PKG cajal::rtl::pkg_loihi1
#define CAJAL_RTL_NS variant_loihi1
#define CAJAL_RTL_GETTER loihi1Variant
#define CAJAL_RTL_PROFILE_PATH CAJAL_RTL_PROFILE_LOIHI1
#define CAJAL_RTL_LEARNS CAJAL_RTL_LEARNING_loihi1
#include "RtlVariant.inc"
