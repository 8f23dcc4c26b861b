#!/usr/bin/env bash
# Installs the Debian packages listed in a package file (default tools/debian-packages.txt)
# that are not installed yet, and (for the default list) DuckDB's C library from npm's registry
# (tools/fetch_duckdb.sh). Idempotent: does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."
list="${1:-tools/debian-packages.txt}"

missing=()
while read -r pkg; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")

if ((${#missing[@]} == 0)); then
  echo "setup: all packages of $list are installed"
else
  sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# What Debian 12 does not package: DuckDB's C library, from npm (tools/fetch_duckdb.sh)
[[ "$list" == tools/debian-packages.txt ]] && bash tools/fetch_duckdb.sh
exit 0
