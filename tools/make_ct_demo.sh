#!/usr/bin/env bash
# Regenerates the demo CT study resources/data/ct_demo/ (IMG0001.dcm ... IMG0054.dcm) from the
# InVesalius "Cranium" head CT, downsampled by 2 (128 x 128 x 54, 1.914 x 1.914 x 3.0 mm).
#
# usage: tools/make_ct_demo.sh [PATH/TO/attnscope-make-ct-series]
#   Without an argument the tool is built with the standalone CMake project in tools/dicom
#   (build/helper-dicom). With one, attnscope-dicom-summary is looked for beside it to
#   verify the output.
# env:   CRANIUM_INV3  the source project file (default: shared/data copy, else the file of
#                      the Debian package invesalius-examples)
# The output is deterministic (fixed UIDs below): rerunning gives identical files.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/resources/data/ct_demo"

# Fixed UIDs (2.25.<UUID>) so the files do not change from run to run.
study_uid=2.25.16969643334634426473666558601353400947
series_uid=2.25.245252042973784235253920092331811047110
frame_uid=2.25.276836201738754276423431025935636183296

find_source() {
    local c
    for c in "${CRANIUM_INV3:-}" "$root/../shared/data/dicom/invesalius_cranium/Cranium.inv3" \
             /usr/share/doc/invesalius-examples/examples/Cranium.inv3; do
        if [[ -n "$c" && -f "$c" ]]; then echo "$c"; return; fi
    done
    echo "make_ct_demo.sh: Cranium.inv3 not found (set CRANIUM_INV3)" >&2
    exit 1
}

build_tools() {
    local build="$root/build/helper-dicom"
    cmake -S "$root/tools/dicom" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j1 --target attnscope-make-ct-series attnscope-dicom-summary >/dev/null
    echo "$build/attnscope-make-ct-series"
}

src=$(find_source)
tool=${1:-$(build_tools)}
summary="$(dirname "$tool")/attnscope-dicom-summary"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Cranium.inv3 is a gzipped tar; matrix.dat is raw int16 LE HU, 256 x 256 x 108 (x fastest).
tar -xzf "$src" -C "$tmp" --wildcards '*/matrix.dat'
raw=$(find "$tmp" -name matrix.dat | head -n 1)
if [[ $(stat -c %s "$raw") -ne $((256 * 256 * 108 * 2)) ]]; then
    echo "make_ct_demo.sh: $raw is not 256 x 256 x 108 int16" >&2
    exit 1
fi

mkdir -p "$out"
rm -f "$out"/IMG*.dcm
# --flip-y: InVesalius stores rows bottom-up (VTK order; the face is at the last rows), so
# reversing them puts anterior at row 0 as an axial LPS image has it.
"$tool" --raw "$raw" --size 256,256,108 --spacing 0.9570312,0.9570312,1.5 --downsample 2 --flip-y \
    --out "$out" --series-description "Head CT (InVesalius Cranium, downsampled x2)" \
    --patient-name "Anonymous^Cranium" --patient-id CRANIUM --body-part HEAD --window 40,400 \
    --study-uid "$study_uid" --series-uid "$series_uid" --frame-of-reference-uid "$frame_uid"

if [[ -x "$summary" ]]; then
    "$summary" "$out" | tail -n 4
else
    echo "note: $summary not found; output not verified"
fi
echo "total size: $(du -sh --apparent-size "$out" | cut -f1) ($(du -sb "$out" | cut -f1) bytes)"
