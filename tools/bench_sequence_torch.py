#!/usr/bin/env python3
"""PyTorch side of the sequence-model benchmark (tools/bench_sequence.sh), on the references the
golden tests are checked against (tools/protein_models.py's Esm with the v2 feed-forward,
tools/make_sequence_golden.py's BertMaskedLm).

Timed, as `attnscope-bench sequence` times it: the forward pass with every layer's attention kept,
the masked-LM logits, and for ProtBert the contacts (the mean of the heads' symmetrised,
APC-corrected maps, accumulated layer by layer as attnscope does). Batch 1, float32.

    bench_sequence_torch.py --export DIR --model-kind nt_v2_500m|protbert   random weights, safetensors
    bench_sequence_torch.py --input-out FILE --model-kind K --length N [--seed S]   a random record
    bench_sequence_torch.py --model DIR --model-kind K --input FILE --threads T [--repeats R] -> JSON line
Run with Debian's PyTorch: /usr/bin/python3."""
import argparse
import json
import os
import random
import resource
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnscope_export as ax  # noqa: E402
import make_sequence_golden as g  # noqa: E402
import protein_models as pm  # noqa: E402
from bench_proteins_torch import load_weights  # noqa: E402
from bench_torch import timed_runs  # noqa: E402

# The Nucleotide Transformer v2 500M multi-species and ProtBert, as their config.json files say.
PROTBERT = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 1024, "num_hidden_layers": 30,
            "num_attention_heads": 16, "intermediate_size": 4096, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
            "max_position_embeddings": 40000, "type_vocab_size": 2, "vocab_size": 30, "position_embedding_type": "absolute"}


def benchmark_model(kind):
    torch.manual_seed(0)
    if kind == "nt_v2_500m":
        model = pm.Esm(29, 1024, 4096, 16, positional="rotary", token_dropout=False, max_positions=2050,
                       vocab=g.NT_VOCAB, glu=True, ffn_bias=False, embed_norm=False)
    else:
        model = g.BertMaskedLm(PROTBERT, g.PROTBERT_VOCAB)
    pm.perturb_(model, std=0.02)
    return model.eval()


def export(model, kind, directory):
    if kind == "nt_v2_500m":
        pm.export(model, directory)
        return
    os.makedirs(directory, exist_ok=True)
    tensors = {k: v for k, v in model.state_dict().items() if k != "cls.predictions.decoder.weight"}
    ax.save_safetensors({k: v.detach().float().numpy() for k, v in tensors.items()}, os.path.join(directory, "model.safetensors"))
    g.write_json(os.path.join(directory, "config.json"), PROTBERT)
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(g.PROTBERT_VOCAB) + "\n")


def nt_forward(model, ids):
    with torch.inference_mode():
        x = model.embed(ids)
        attentions = []
        for layer in model.esm.encoder.layer:
            x, probs = layer(x)
            attentions.append(probs)
        return model.lm_head(model.esm.encoder.emb_layer_norm_after(x)), attentions


def protbert_forward(model, ids):
    """BertMaskedLm.forward, with the contacts accumulated layer by layer (no stack of every map)."""
    import math
    from torch.nn import functional as F
    with torch.inference_mode():
        e, heads, t = model.bert.embeddings, PROTBERT["num_attention_heads"], ids.shape[0]
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings(torch.arange(t)) + e.token_type_embeddings(torch.zeros_like(ids)))
        attentions, contacts = [], torch.zeros(t - 2, t - 2)
        for layer in model.bert.encoder.layer:
            sa, dh = layer.attention.self, x.shape[1] // heads
            q, k, v = (m(x).view(t, heads, dh).transpose(0, 1) for m in (sa.query, sa.key, sa.value))
            probs = ((q / math.sqrt(dh)) @ k.transpose(1, 2)).softmax(-1)
            attentions.append(probs)
            contacts += pm.apc(pm.symmetrize(probs[:, 1:-1, 1:-1])).sum(0)
            x = layer.attention.output.LayerNorm(x + layer.attention.output.dense((probs @ v).transpose(0, 1).reshape(t, -1)))
            x = layer.output.LayerNorm(x + layer.output.dense(F.gelu(layer.intermediate.dense(x))))
        p = model.cls.predictions
        logits = p.decoder(p.transform.LayerNorm(F.gelu(p.transform.dense(x)))) + p.bias
        return logits, attentions, contacts / (len(attentions) * heads)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--export")
    p.add_argument("--model-kind", choices=["nt_v2_500m", "protbert"], required=True)
    p.add_argument("--input-out")
    p.add_argument("--length", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model")
    p.add_argument("--input")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args()
    nt = args.model_kind == "nt_v2_500m"
    if args.export:
        export(benchmark_model(args.model_kind), args.model_kind, args.export)
        return
    if args.input_out:  # NT: 6 x (tokens - 1) bases, so that greedy 6-mers give exactly --length tokens
        rng = random.Random(args.seed)
        letters, n = ("ACGT", 6 * (args.length - 1)) if nt else ("ACDEFGHIKLMNPQRSTVWY", args.length)
        with open(args.input_out, "w") as f:
            f.write(">bench\n" + "".join(rng.choice(letters) for _ in range(n)) + "\n")
        return
    torch.set_num_threads(args.threads)
    model = load_weights(benchmark_model(args.model_kind), os.path.join(args.model, "model.safetensors"))
    with open(args.input) as f:
        sequence = "".join(line.strip() for line in f if not line.startswith(">"))
    ids = torch.tensor(g.nt_tokenize(sequence) if nt else g.protbert_tokenize(sequence))
    fn = (lambda: nt_forward(model, ids)) if nt else (lambda: protbert_forward(model, ids))
    cold, best, result = timed_runs(fn, args.repeats)
    out = {"impl": "pytorch", "torch": torch.__version__, "model": args.model_kind, "tokens": len(ids), "threads": args.threads,
           "seconds": best, "cold_seconds": cold, "logits_sum": float(result[0].double().sum()),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
