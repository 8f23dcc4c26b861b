#pragma once
/// @file ModelConfig.h
/// The hyper-parameters of a model directory's config.json (see docs/model-format.md).

#include "model/tokenizers/TokenizerConfig.h"

#include <string>
#include <vector>

namespace attn {

/// Feed-forward activation of an encoder layer.
enum class Activation { Relu, Gelu, Silu };

/// How token positions are encoded.
enum class Positional { None, Sinusoidal, Learned, Rotary, Alibi };

/// Architecture of an encoder-only Transformer classifier.
struct ModelConfig {
    std::string family;                 ///< Model family (ModelFamily.h): "torch_encoder", "bert", "ct_encoder", ...
    int dModel = 0;                     ///< Width of the residual stream.
    int nHeads = 0;                     ///< Attention heads per layer.
    int nLayers = 0;                    ///< Encoder layers.
    int dimFeedforward = 0;             ///< Hidden width of the feed-forward block.
    Activation activation = Activation::Relu; ///< Feed-forward activation.
    bool gatedFeedforward = false;      ///< linear1 is [2 ff, d]: act(first half) * second half (GLU; Nucleotide Transformer v2).
    bool feedforwardInBias = true;      ///< linear1 has a bias (false: NT v2's add_bias_fnn false, DNABERT-2's gated_layers).
    bool feedforwardOutBias = true;     ///< linear2 has a bias (false: NT v2's add_bias_fnn false).
    bool normFirst = false;             ///< Pre-LN (true) or post-LN (false) layers.
    float layerNormEps = 1e-5f;         ///< LayerNorm epsilon.
    Positional positional = Positional::Sinusoidal; ///< Positional encoding.
    int maxLen = 0;                     ///< Maximum tokens per input, [CLS] included.
    float embedScale = 1.0f;            ///< Multiplies the token embedding before positions are added.
    bool finalNorm = false;             ///< LayerNorm after the last layer.
    bool embedNorm = false;             ///< LayerNorm after the embeddings (bert).
    bool pooler = false;                ///< Dense + tanh on [CLS] before the classifier (bert).
    int typeVocab = 0;                  ///< Token-type embeddings in the file (bert; only type 0 is used).
    std::vector<std::string> labels;    ///< Class names of the classifier head (none for a masked LM).
    bool maskedLm = false;              ///< A masked-LM head (lm_head.*, logits [T, vocab]) instead of a classifier.
    TokenizerConfig tokenizer;          ///< How text becomes token ids.

    /// Width of one attention head.
    int headDim() const { return dModel / nHeads; }
    /// Number of classifier outputs.
    int numLabels() const { return static_cast<int>(labels.size()); }
};

/// Name of an activation as written in config.json.
std::string activationName(Activation a);
/// Name of a positional encoding as written in config.json.
std::string positionalName(Positional p);

} // namespace attn
