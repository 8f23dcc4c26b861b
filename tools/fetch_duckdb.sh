#!/usr/bin/env bash
# DuckDB's C library and header (MIT) for reading MEDS Parquet datasets. Debian 12 has no DuckDB,
# so they come from npm's registry, pinned by version and SHA-256, into the ignored cache
# .cache/duckdb/ (never committed):
#   libduckdb.so  from @duckdb/node-bindings-linux-x64@1.4.4-r.3 (package/libduckdb.so)
#   duckdb.h      from duckdb@1.4.4 (package/src/duckdb/src/include/duckdb.h)
# Idempotent: does nothing when both are there. Needs curl and tar.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=.cache/duckdb
if [[ -f "$cache/lib/libduckdb.so" && -f "$cache/include/duckdb.h" ]]; then
  echo "setup: DuckDB 1.4.4 is in $cache"
  exit 0
fi
mkdir -p "$cache/lib" "$cache/include"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fetch() { # url, sha256, member, destination
  echo "setup: fetching $1"
  curl -sSfL --retry 3 -o "$tmp/pkg.tgz" "$1"
  echo "$2  $tmp/pkg.tgz" | sha256sum -c --quiet -
  tar -xzf "$tmp/pkg.tgz" -C "$tmp" "$3"
  mv "$tmp/$3" "$4"
}
fetch https://registry.npmjs.org/@duckdb/node-bindings-linux-x64/-/node-bindings-linux-x64-1.4.4-r.3.tgz \
  59d0f150d84bbc413aa80b9b7ae45916e710c27d18d66722d4875a7b840415a5 package/libduckdb.so "$cache/lib/libduckdb.so"
fetch https://registry.npmjs.org/duckdb/-/duckdb-1.4.4.tgz \
  5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed package/src/duckdb/src/include/duckdb.h "$cache/include/duckdb.h"
echo "setup: DuckDB 1.4.4 is in $cache"
