#!/usr/bin/env bash
# Screenshots for the README, taken headless: the main window with the splice demo open
# (under Xvfb) and every view exported by attnscope-cli from the same demo; then the window
# with the CT demo study and the demo CT model run, its map, slices and 3D view exported, and
# the prompt that offers to restore a session after a crash; last, the window on every kind's
# demo at 1280 x 800 and 1920 x 1080.
#   bash tools/screenshots.sh            (writes docs/screenshots/*.png)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh release
out=docs/screenshots
mkdir -p "$out"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
settings="$(mktemp -d)"  # a fresh settings folder: default layout, no recent files
trap 'rm -rf "$settings"' EXIT
XDG_CONFIG_HOME="$settings" xvfb-run -a -s "-screen 0 1600x1000x24" \
  build/release/app/attnscope --screenshot "$out/main-window.png"
model=resources/models/splice
input=resources/models/splice/examples.fa
for view in map tokens grid track stats; do
  build/release/app/attnscope-cli export --model "$model" --input "$input" --view "$view" \
    --layer 0 --head 2 --dpi 110 --out "$out/view-$view.png"
done
XDG_CONFIG_HOME="$settings" xvfb-run -a -s "-screen 0 1600x1000x24" \
  build/release/app/attnscope resources/models/ct_lesion resources/data/ct_demo --run --screenshot "$out/ct-study.png"
build/release/app/attnscope-cli export --model resources/models/ct_lesion --input resources/data/ct_demo --view map \
  --layer 1 --head 2 --dpi 110 --out "$out/ct-view-map.png"
# the restore prompt: an autosave such as a crash leaves (XDG_DATA_HOME keeps it apart)
data="$(mktemp -d)"
mkdir -p "$data/attnscope/attnscope"
printf '{"attnscope_session": 1, "model": "%s", "kind": "CT", "data": "%s", "kind_state": {},
 "selection": {"layer": 1, "head": 2, "token": -1}, "display": {}}\n' \
  "$PWD/resources/models/ct_lesion" "$PWD/resources/data/ct_demo" > "$data/attnscope/attnscope/autosave.attnscope"
XDG_CONFIG_HOME="$settings" XDG_DATA_HOME="$data" xvfb-run -a -s "-screen 0 1600x1000x24" \
  build/release/app/attnscope --no-demo --screenshot "$out/restore-session.png"
rm -rf "$data"
ct=(--model resources/models/ct_lesion --input resources/data/ct_demo)
build/release/app/attnscope-cli export "${ct[@]}" --view slices --dpi 110 --out "$out/ct-slices.png"
xvfb-run -a build/release/app/attnscope-cli export "${ct[@]}" --view volume --out "$out/ct-volume.png"
# the UNETR bundle on the demo study: the region, the attention overlay and the labels, in the slices figure
unetr=(--model resources/models/unetr_head --input resources/data/ct_demo --center 64,64,27)
build/release/app/attnscope-cli export "${unetr[@]}" --view slices --dpi 110 --out "$out/unetr-slices.png"
build/release/app/attnscope-cli export "${unetr[@]}" --view slices --sliding-window --overlay 11,2 --dpi 110 --out "$out/unetr-slices-whole.png"
# the protein demo: the window on its alignment tab; the contact map and the structure exported
protein=(resources/models/protein_msa resources/data/proteins/tryps.a2m.gz resources/data/proteins/1A0J_A.pdb.gz)
for tab in alignmentTab; do
  XDG_CONFIG_HOME="$settings" xvfb-run -a -s "-screen 0 1600x1000x24" \
    build/release/app/attnscope "${protein[@]}" --run --tab "$tab" --screenshot "$out/protein-$tab.png"
done
p=(--model resources/models/protein_msa --input resources/data/proteins/tryps.a2m.gz --max-sequences 64
   --structure resources/data/proteins/1A0J_A.pdb.gz --layer 1 --head 2 --dpi 110)
build/release/app/attnscope-cli export "${p[@]}" --view contacts --contacts-source baseline --out "$out/protein-contacts.png"
xvfb-run -a build/release/app/attnscope-cli export "${p[@]}" --view structure --out "$out/protein-structure.png"
# the EHR demo: the window on its timeline (arcs from the most recent event), heads over time exported
ehr=(resources/models/ehr_alert resources/data/ehr_demo)
XDG_CONFIG_HOME="$settings" xvfb-run -a -s "-screen 0 1600x1000x24" \
  build/release/app/attnscope "${ehr[@]}" --run --tab timelineTab --screenshot "$out/ehr-timeline.png"
build/release/app/attnscope-cli export --model "${ehr[0]}" --input "${ehr[1]}" --view time-gap --layer 1 --dpi 110 --out "$out/ehr-time-gap.png"
# token 66 is the planted high INR of the demo patient (tokens.tsv of attnscope-cli run)
build/release/app/attnscope-cli export --model "${ehr[0]}" --input "${ehr[1]}" --view timeline --token 66 --layer 0 --head 2 \
  --dpi 110 --out "$out/ehr-arcs-inr.png"
# the window on every kind's demo, run, at a laptop's and a desktop's size, with the shared docks
declare -A demo=([dna]="resources/models/splice resources/models/splice/examples.fa"
                 [ct]="resources/models/ct_lesion resources/data/ct_demo"
                 [unetr]="resources/models/unetr_head resources/data/ct_demo"
                 [protein]="resources/models/protein_msa resources/data/proteins/tryps.a2m.gz resources/data/proteins/1A0J_A.pdb.gz"
                 [ehr]="resources/models/ehr_alert resources/data/ehr_demo")
for kind in dna ct unetr protein ehr; do
  for size in 1280x800 1920x1080; do
    # shellcheck disable=SC2086
    XDG_CONFIG_HOME="$(mktemp -d)" xvfb-run -a -s "-screen 0 2000x1200x24" \
      build/release/app/attnscope ${demo[$kind]} --run --size "$size" --screenshot "$out/window-$kind-$size.png"
  done
done
echo "screenshots: $(ls "$out" | tr '\n' ' ')"
