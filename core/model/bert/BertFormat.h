#pragma once
/// @file BertFormat.h
/// The `bert` family: a Hugging Face BERT directory (config.json with "model_type": "bert",
/// vocab.txt, model.safetensors of BertForSequenceClassification), read unchanged and mapped
/// onto attnscope's encoder: post-LN, GELU, learned absolute positions, token-type 0
/// embedding, LayerNorm after the embeddings, pooler (dense + tanh on [CLS]) before the
/// classifier. DNABERT-style vocabularies of overlapping k-mers (k = 3..6) and of single
/// bases are supported; general WordPiece vocabularies are not.

#include "io/SafeTensors.h"
#include "model/ModelConfig.h"

#include <filesystem>
#include <string>

namespace attn {

/// Renames and packs a BERT checkpoint's tensors into the names EncoderModel binds
/// (embed.weight, pos_embed.weight (+ token type 0), embed_norm.*, encoder.layers.{i}.self_attn.in_proj_*
/// from query/key/value, ..., pooler.*, classifier.*). The originals that are folded in are
/// kept under their names so that the parameter count stays the checkpoint's. Errors name
/// the file and the BERT tensor.
TensorMap bertToEncoderTensors(TensorMap tensors, const ModelConfig& config, const std::string& file);

} // namespace attn
