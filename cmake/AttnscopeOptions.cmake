# Compiler flags shared by every attnscope target, applied through an interface library.
add_library(attnscope_options INTERFACE)
add_library(attnscope::options ALIAS attnscope_options)

target_compile_options(attnscope_options INTERFACE
  -Wall -Wextra -Wpedantic
  # GCC 12 reports false positives inside its own AVX-512 intrinsics when Eigen uses them.
  -Wno-maybe-uninitialized
  $<$<CONFIG:Release>:-O3>
  $<$<CONFIG:RelWithDebInfo>:-O2>)

if(ATTNSCOPE_CPU STREQUAL "native")
  target_compile_options(attnscope_options INTERFACE -march=native)
elseif(ATTNSCOPE_CPU STREQUAL "portable")
  target_compile_options(attnscope_options INTERFACE -march=x86-64-v2)
elseif(ATTNSCOPE_CPU)
  target_compile_options(attnscope_options INTERFACE -march=${ATTNSCOPE_CPU})
endif()
