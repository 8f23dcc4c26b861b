#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test headless under Xvfb with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh release
xvfb-run -a -s "-screen 0 1600x1200x24" ctest --test-dir build/release --output-on-failure -j2 "$@"
