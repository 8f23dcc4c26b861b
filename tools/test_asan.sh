#!/usr/bin/env bash
# The whole CTest suite (core, widgets, app, CLI, rendering) built with AddressSanitizer and
# UBSan (preset asan: gcc, -O1, no -g), headless under Xvfb. Any report fails its test: UBSan
# stops the program (-fno-sanitize-recover), ASan and LeakSanitizer exit non-zero. Leaks inside
# third-party libraries are suppressed in tests/sanitizers/lsan.supp, each with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh asan
# Mesa's llvmpipe driver is preloaded so that it is never unloaded before the leak check: its
# frames then keep their module name, which lsan.supp matches (ASan's runtime still comes first
# in the binaries' own link order; verify_asan_link_order only checks the preload list).
export LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD:}$(ls /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:verify_asan_link_order=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
xvfb-run -a -s "-screen 0 1600x1200x24" ctest --test-dir build/asan --output-on-failure -j2 "$@"
