#!/usr/bin/env bash
# Installs the Debian packages listed in a package file (default tools/debian-packages.txt)
# that are not installed yet. Idempotent: does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."
list="${1:-tools/debian-packages.txt}"

missing=()
while read -r pkg; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")

if ((${#missing[@]} == 0)); then
  echo "setup: all packages of $list are installed"
  exit 0
fi
sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
