#pragma once
/// @file FairEsmNames.h
/// How fair-esm's loader (esm/pretrained.py) renames what its files hold, and fair-esm's module
/// names as Hugging Face's EsmForMaskedLM names them (the `esm` family's), internal to fairesm/.

#include <string>

namespace attn::fairesm {

/// Python's ''.join(s.split(token)[1:]) when `contains` is in s, else s: pretrained.py's prs/pra.
std::string afterEach(const std::string& s, const std::string& token, const std::string& contains);
/// v1 (ESM-1b, MSA Transformer): prs1(prs2(name)) strips "sentence_encoder." and "encoder.".
std::string upgradeV1(const std::string& name);
/// The MSA Transformer's files name row and column attention the other way round (prs3).
std::string swapRowColumn(const std::string& name);
/// v2 (ESM-2): "encoder.sentence_encoder." or "encoder." removed from the start.
std::string upgradeV2(const std::string& name);
/// An argument's name without its "encoder_" prefix (pra).
std::string argumentName(const std::string& key);
/// fair-esm's ESM-1b / ESM-2 module name as the Hugging Face EsmForMaskedLM name; "" when it has none.
std::string huggingFaceName(const std::string& name);

} // namespace attn::fairesm
