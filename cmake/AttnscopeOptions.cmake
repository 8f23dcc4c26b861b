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

# CPU tuning. "auto" (the default) builds for x86-64-v3 (AVX2 + FMA, generic tuning) when
# the building CPU has AVX2 and FMA, else for x86-64-v2. Measured on the 2-core AMD EPYC
# build machines (GCC 12 sees them as znver3 with AVX-512), Eigen's float GEMM runs at
# 157-185 GFLOP/s with x86-64-v3 against 115-131 with -march=native, with or without AVX-512.
if(ATTNSCOPE_CPU STREQUAL "auto")
  include(CheckCXXSourceRuns)
  check_cxx_source_runs([=[
    int main() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 0 : 1; }
  ]=] ATTNSCOPE_HAS_AVX2_FMA)
  if(ATTNSCOPE_HAS_AVX2_FMA)
    target_compile_options(attnscope_options INTERFACE -march=x86-64-v3)
  else()
    target_compile_options(attnscope_options INTERFACE -march=x86-64-v2)
  endif()
elseif(ATTNSCOPE_CPU STREQUAL "native")
  target_compile_options(attnscope_options INTERFACE -march=native)
elseif(ATTNSCOPE_CPU STREQUAL "portable")
  target_compile_options(attnscope_options INTERFACE -march=x86-64-v2)
elseif(ATTNSCOPE_CPU)
  target_compile_options(attnscope_options INTERFACE -march=${ATTNSCOPE_CPU})
endif()
