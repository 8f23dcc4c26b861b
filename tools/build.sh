#!/usr/bin/env bash
# Configures (once) and builds attnscope with the given CMake preset (default: release).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
[[ -f "build/$preset/build.ninja" ]] || cmake --preset "$preset"
cmake --build --preset "$preset"
