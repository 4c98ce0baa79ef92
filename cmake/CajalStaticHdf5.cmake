#===- CajalStaticHdf5.cmake - HDF5's static library in executables --------===#
#
# Debian's libhdf5.so needs libcurl (for its S3 driver), and with it GnuTLS,
# Kerberos, LDAP, SSH and a dozen more: loading and relocating them takes
# about 15 ms at every start of every tool, longer than a small network's
# whole run. Cajal opens local files only; from the static libhdf5.a an
# executable takes the parts it calls, which need zlib and szip alone.
# Shared libraries (the Python module) keep the shared libhdf5.
#
# Defines CajalHdf5: link it instead of HDF5::HDF5.
#
#===----------------------------------------------------------------------===#
option(CAJAL_STATIC_HDF5
       "Link executables with HDF5's static library, not libhdf5.so" ON)

add_library(CajalHdf5 INTERFACE)
if(NOT CAJAL_STATIC_HDF5)
  target_link_libraries(CajalHdf5 INTERFACE HDF5::HDF5)
  return()
endif()

# Beside the shared library FindHDF5 found (Debian: hdf5/serial/).
list(GET HDF5_C_LIBRARIES 0 cajal_hdf5_shared)
get_filename_component(cajal_hdf5_dir "${cajal_hdf5_shared}" DIRECTORY)
find_library(CAJAL_HDF5_STATIC_LIBRARY NAMES libhdf5.a libhdf5_serial.a
  HINTS ${cajal_hdf5_dir} NO_DEFAULT_PATH)
if(NOT CAJAL_HDF5_STATIC_LIBRARY)
  message(FATAL_ERROR "CAJAL_STATIC_HDF5: no libhdf5.a beside "
    "${cajal_hdf5_shared} (libhdf5-dev installs it); or configure with "
    "-DCAJAL_STATIC_HDF5=OFF")
endif()
find_library(CAJAL_SZIP_LIBRARY NAMES sz REQUIRED)
find_package(ZLIB REQUIRED)

set(executable "$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>")
target_include_directories(CajalHdf5 INTERFACE ${HDF5_INCLUDE_DIRS})
target_compile_definitions(CajalHdf5 INTERFACE ${HDF5_DEFINITIONS})
target_link_libraries(CajalHdf5 INTERFACE
  "$<${executable}:${CAJAL_HDF5_STATIC_LIBRARY}>"
  "$<${executable}:${CAJAL_SZIP_LIBRARY}>"
  "$<${executable}:ZLIB::ZLIB>"
  "$<${executable}:${CMAKE_DL_LIBS}>"
  "$<${executable}:m>"
  "$<$<NOT:${executable}>:HDF5::HDF5>")
