#===- CajalStaticLLVM.cmake - MLIR on LLVM's static libraries -------------===#
#
# Debian's MLIR targets link the shared libLLVM (LLVM_LINK_LLVM_DYLIB). Every
# process that loads it first relocates 5.6 MB of its pointers, one page
# fault per page: about 0.1 s before `cajal` does anything, more than a
# small network's whole run. Linked from LLVM's static libraries, a tool
# holds only the parts it calls, and its pointers are few.
#
#===----------------------------------------------------------------------===#
option(CAJAL_STATIC_LLVM
       "Link MLIR's users with LLVM's static libraries, not libLLVM.so" ON)
if(NOT CAJAL_STATIC_LLVM)
  return()
endif()

llvm_map_components_to_libnames(CAJAL_LLVM_STATIC_LIBS support demangle)
# The libraries LLVMSupport names but the tools never call (libz3 for the
# static analyser's solver) are left out of the executables.
add_link_options(LINKER:--as-needed)

get_directory_property(cajal_imported_targets IMPORTED_TARGETS)
foreach(target IN LISTS cajal_imported_targets)
  get_target_property(libs ${target} INTERFACE_LINK_LIBRARIES)
  if(NOT libs)
    continue()
  endif()
  list(FIND libs LLVM at)
  if(at EQUAL -1)
    continue()
  endif()
  list(REMOVE_AT libs ${at})
  list(INSERT libs ${at} ${CAJAL_LLVM_STATIC_LIBS})
  set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${libs}")
endforeach()
