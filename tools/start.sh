#!/usr/bin/env bash
# Installs what is missing, builds, and opens the attnscope window.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh release
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "start: no display (DISPLAY and WAYLAND_DISPLAY are unset); attnscope is built at" \
       "build/release/app/attnscope. For headless work use build/release/app/attnscope-cli." >&2
  exit 1
fi
exec build/release/app/attnscope "$@"
