# CPU tuning of every attnscope target (through attnscope_options), after Eigen is found.
#   auto (default): the fastest of x86-64-v4 (AVX-512), x86-64-v3 (AVX2 + FMA) and x86-64-v2 for
#     the building CPU, by Eigen's float GEMM rate measured here (cmake/gemm_rate.cpp, once per
#     build tree; ATTNSCOPE_AUTO_MARCH in the cache holds the choice). AVX-512 is taken only when
#     it is at least 15 % faster: on the 2-core AMD EPYC build machines it was slower (115-131
#     against 157-185 GFLOP/s with -march=native), on the 2-core Intel Xeon ones it is ~1.6x faster.
#   Sanitizer builds (ATTNSCOPE_SANITIZERS) take x86-64-v3 without measuring (see below).
#   portable: x86-64-v2. native: -march=native. Anything else is passed to -march= as is.

# The GEMM rate of a binary built with -march=${march}, or 0 where this CPU cannot run it.
function(attnscope_gemm_rate march out)
  try_run(run_result compile_result "${CMAKE_BINARY_DIR}/cpu-tuning/${march}" "${CMAKE_SOURCE_DIR}/cmake/gemm_rate.cpp"
          COMPILE_DEFINITIONS -O3 -DNDEBUG -march=${march}
          LINK_LIBRARIES Eigen3::Eigen
          RUN_OUTPUT_VARIABLE rate)
  if(compile_result AND run_result EQUAL 0 AND rate MATCHES "^[0-9]+$")
    set(${out} ${rate} PARENT_SCOPE)
  else()
    set(${out} 0 PARENT_SCOPE)
  endif()
endfunction()

function(attnscope_pick_march out)
  attnscope_gemm_rate(x86-64-v3 v3)
  attnscope_gemm_rate(x86-64-v4 v4)
  set(march x86-64-v2)
  if(v3 GREATER 0)
    set(march x86-64-v3)
  endif()
  math(EXPR v3_plus_15 "${v3} * 115 / 100")
  if(v4 GREATER v3_plus_15)
    set(march x86-64-v4)
  endif()
  message(STATUS "attnscope CPU tuning: Eigen GEMM ${v3} GFLOP/s with x86-64-v3, ${v4} with x86-64-v4: -march=${march}")
  set(${out} ${march} PARENT_SCOPE)
endfunction()

if(ATTNSCOPE_CPU STREQUAL "auto")
  if(NOT ATTNSCOPE_AUTO_MARCH AND ATTNSCOPE_SANITIZERS)
    # Sanitizer builds look for memory errors, not speed, and GCC 12's AddressSanitizer builds for
    # x86-64-v4 crashed (SIGSEGV on a misaligned 64-byte store while VolumeScene.cpp's static preset
    # table was built; release builds for x86-64-v4 pass): no AVX-512 for them.
    attnscope_gemm_rate(x86-64-v3 v3)
    set(march x86-64-v2)
    if(v3 GREATER 0)
      set(march x86-64-v3)
    endif()
    set(ATTNSCOPE_AUTO_MARCH ${march} CACHE INTERNAL "The -march that ATTNSCOPE_CPU=auto chose here")
  elseif(NOT ATTNSCOPE_AUTO_MARCH)
    attnscope_pick_march(march)
    set(ATTNSCOPE_AUTO_MARCH ${march} CACHE INTERNAL "The -march that ATTNSCOPE_CPU=auto measured fastest here")
  endif()
  target_compile_options(attnscope_options INTERFACE -march=${ATTNSCOPE_AUTO_MARCH})
elseif(ATTNSCOPE_CPU STREQUAL "native")
  target_compile_options(attnscope_options INTERFACE -march=native)
elseif(ATTNSCOPE_CPU STREQUAL "portable")
  target_compile_options(attnscope_options INTERFACE -march=x86-64-v2)
elseif(ATTNSCOPE_CPU)
  target_compile_options(attnscope_options INTERFACE -march=${ATTNSCOPE_CPU})
endif()
