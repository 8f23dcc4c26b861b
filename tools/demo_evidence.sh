#!/usr/bin/env bash
# The demos' sentences of evidence (README), measured again: the splice demo's most costly head and
# its enrichment at the junction; the EHR demo's heads ablated. Prints the JSON it reads.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/release/app/attnscope-cli
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fasta=resources/models/splice/examples.fa
# Importance per held-out sequence (zero ablation).
for record in $(grep '>' "$fasta" | cut -c2- | cut -d' ' -f1); do
  "$cli" importance --model resources/models/splice --input "$fasta" --record "$record" --out "$work/$record.npy" --json \
    > "$work/importance-$record.json" 2> /dev/null
done
# The junction: StatLog's sequences are 60 bases with the junction between bases 30 and 31; the four
# bases around it (0-based [28, 32)) on the ei and ie sequences, pooled.
awk '/^>/ { keep = ($0 !~ /class=n/) } keep' "$fasta" > "$work/junction.fa"
grep '>' "$work/junction.fa" | cut -c2- | cut -d' ' -f1 | awk '{ printf "%s\t28\t32\n", $1 }' > "$work/junction.bed"
"$cli" enrichment --model resources/models/splice --input "$work/junction.fa" --annotations "$work/junction.bed" \
  --all-records --json > "$work/enrichment.json"
"$cli" enrichment --model resources/models/protein_msa --input resources/data/proteins/tryps.a2m.gz \
  --structure resources/data/proteins/1A0J_A.pdb.gz --json > "$work/proteins.json"
for ablation in zero mean uniform; do
  "$cli" importance --model resources/models/ehr_alert --input resources/data/ehr_demo/101881.json --ablation "$ablation" \
    --out "$work/ehr.npy" --json > "$work/ehr-$ablation.json" 2> /dev/null
done
/usr/bin/python3 - "$work" <<'PY'
import glob, json, sys
work = sys.argv[1]
runs = [json.load(open(f)) for f in sorted(glob.glob(work + "/importance-*.json"))]
heads = {(h["layer"], h["head"]): [] for h in runs[0]["per_head"]}
for r in runs:
    for h in r["per_head"]:
        heads[(h["layer"], h["head"])].append((h["importance"], h["delta_probability"]))
best = max(heads, key=lambda k: sum(v[0] for v in heads[k]))
kl = [v[0] for v in heads[best]]
print("splice: most costly head L%dH%d, mean KL %.3f over %d sequences (max %.2f), mean predicted-class probability change %.3f"
      % (best[0], best[1], sum(kl) / len(kl), len(kl), max(kl), sum(v[1] for v in heads[best]) / len(kl)))
for h in json.load(open(work + "/enrichment.json"))["heads"]:
    if (h["layer"], h["head"]) == best:
        print("splice: L%dH%d at the junction: share %.3f, background %.4f, %d confident weights, p %s, q %s"
              % (best[0], best[1], h["share"], h["background"], h["count"], h["p"], h["q"]))
protein_heads = json.load(open(work + "/proteins.json"))["heads"]
tested = [h for h in protein_heads if h["p"] is not None]
top = min(tested, key=lambda h: h["p"])
print("proteins: %d of %d heads tested, %d with q < 0.05; the lowest p: L%dH%d, share %.3f against %.4f, p %.3f, q %.3f"
      % (len(tested), len(protein_heads), sum(h["q"] < 0.05 for h in tested), top["layer"], top["head"], top["share"], top["background"], top["p"], top["q"]))
for ablation in ("zero", "mean", "uniform"):
    d = json.load(open(work + "/ehr-%s.json" % ablation))
    changes = {(h["layer"], h["head"]): h["delta_probability"] for h in d["per_head"]}
    print("EHR (alert probability %.3f), %s: L0H2 %+.3f, L1H2 %+.3f" % (d["prediction"]["probability"], ablation, changes[(0, 2)], changes[(1, 2)]))
PY
