// The reference BPE tokenizer for the golden files: npm's @huggingface/tokenizers (Tokenizers.js,
// pure JavaScript; pinned in tools/reference-packages.txt), run on DNABERT-2-style tokenizer.json.
// Usage: node tools/bpe_reference.mjs TOKENIZER_JSON < sequences (one per line) > ids (JSON lists)
// The package is looked up from NODE_PATH or tools/node_modules (npm install --prefix tools ...).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Tokenizer } = require("@huggingface/tokenizers");
const tokenizerJson = JSON.parse(readFileSync(process.argv[2], "utf8"));
const tokenizer = new Tokenizer(tokenizerJson, {});
const lines = readFileSync(0, "utf8").split("\n").filter((l) => l.length > 0);
const out = lines.map((line) => {
    const e = tokenizer.encode(line);
    return { ids: e.ids, tokens: e.tokens };
});
process.stdout.write(JSON.stringify(out) + "\n");
