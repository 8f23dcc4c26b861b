#pragma once
/// @file TokenizerJson.h
/// A Hugging Face tokenizer.json of a BPE model (DNABERT-2's): the vocabulary ({token: id}, ids
/// 0..V-1), the merges ("a b" strings or [a, b] pairs), the unknown token, and the special tokens
/// its TemplateProcessing post-processor puts around a single input ([CLS] $A [SEP]). Supported:
/// no normalizer, a Whitespace, WhitespaceSplit or no pre-tokenizer, no dropout, no subword
/// prefix or suffix; anything else is refused by name, since the ids would silently differ.

#include "model/tokenizers/TokenizerConfig.h"

#include <filesystem>

namespace attn {

/// Reads `path`; FormatError naming the file and the key on anything unsupported or malformed.
TokenizerConfig readBpeTokenizerJson(const std::filesystem::path& path);

} // namespace attn
