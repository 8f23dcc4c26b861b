# Compiler flags shared by every attnscope target, applied through an interface library.
add_library(attnscope_options INTERFACE)
add_library(attnscope::options ALIAS attnscope_options)

target_compile_options(attnscope_options INTERFACE
  -Wall -Wextra -Wpedantic
  # GCC 12 reports false positives inside its own AVX-512 intrinsics when Eigen uses them.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
  $<$<CONFIG:Release>:-O3>
  $<$<CONFIG:RelWithDebInfo>:-O2>)

# Sanitizers (presets asan and fuzz): every target, and any UBSan report stops the program, so
# that a test or a fuzz run fails on it.
if(ATTNSCOPE_SANITIZERS)
  target_compile_options(attnscope_options INTERFACE -fsanitize=${ATTNSCOPE_SANITIZERS} -fno-omit-frame-pointer
                         -fno-sanitize-recover=all)
  target_link_options(attnscope_options INTERFACE -fsanitize=${ATTNSCOPE_SANITIZERS})
endif()
if(ATTNSCOPE_FUZZ) # coverage for libFuzzer in everything the targets reach
  target_compile_options(attnscope_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
# CPU tuning (-march) is set by cmake/CpuTuning.cmake, once Eigen is found: it measures Eigen.
