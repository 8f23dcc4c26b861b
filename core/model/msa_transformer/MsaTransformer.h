#pragma once
/// @file MsaTransformer.h
/// The MSA Transformer (Rao et al. 2021; family "msa_transformer"): token + learned column
/// position (counted from the padding index + 1, as fairseq) + per-row embeddings, a LayerNorm,
/// then pre-LN axial layers (tied row attention, column attention, GELU feed-forward), a final
/// LayerNorm, the RoBERTa LM head tied to the token embedding, and ESM's contact head over the
/// row attentions. Tensor names are those of fair-esm's MSATransformer.state_dict().

#include "attention/AxialAttention.h"
#include "model/layers/EncoderLayer.h"
#include "model/Model.h"
#include "model/tokenizers/ProteinAlphabet.h"
#include "model/SequenceRun.h"
#include "util/MemoryPlan.h"

#include <memory>
#include <vector>

namespace attn {

struct Msa;

/// A loaded MSA Transformer: immutable, shared between runs.
class MsaTransformer : public Model {
public:
    /// Binds and shape-checks every tensor; errors name the file and tensor. Column attention and
    /// the feed-forward work in blocks of about `blockTokens` tokens (whole columns; at least one);
    /// any block size gives the same results to float rounding.
    MsaTransformer(ModelConfig config, ProteinAlphabet alphabet, std::shared_ptr<const Weights> weights,
                   Index blockTokens = kAxialBlockTokens);

    /// The model's tokens for an alignment, [R * C] row by row: <cls>, then one id per column
    /// (unknown letters become <unk>, counted in *unknown).
    std::vector<int> tokenize(const Msa& msa, int* unknown = nullptr) const;
    /// Runs on `rows` rows of tokens [rows * C] (<cls> first in each). Refused before anything is
    /// allocated (ResourceError) when planRun's total exceeds the budget; ShapeError when the rows
    /// or columns exceed what the embeddings cover.
    SequenceRun run(const std::vector<int>& tokens, Index rows, const RunOptions& options) const;
    /// Adds a run on rows x columns tokens to `plan`: the row and column attention stores, the
    /// activations, the contact head and the logits.
    void planRun(MemoryPlan& plan, Index rows, Index columns, const StorePlan& store) const;

    /// The token alphabet.
    const ProteinAlphabet& alphabet() const { return alphabet_; }
    /// Sequences the per-row embedding covers (1024 in fair-esm's models).
    Index maxRows() const { return rowEmbedding_.rows(); }
    /// The architecture (Model).
    const ModelConfig& encoderConfig() const override { return config_; }
    /// The weights.
    const Weights& weights() const override { return *weights_; }

private:
    struct AxialLayer {
        NormWeights rowNorm, columnNorm, feedForwardNorm;
        ProjectionWeights row, column;
        Eigen::Map<const Matrix> fc1W, fc2W;
        Eigen::Map<const Vector> fc1B, fc2B;
    };
    AxialLayer bindLayer(int i) const;
    Matrix embed(const std::vector<int>& tokens, Index rows) const;
    void forwardLayer(int l, Matrix& x, Index rows, AttentionSink rowSink, AttentionSink columnSink) const;
    /// Hands the row sink's recorder the query row's row attention as a pre-LN sublayer (LayerParts:
    /// row 0's input and values, the tied weights, row 0 after the residual), for attributions; the
    /// column attention and the feed-forward stay outside it (docs/attributions.md).
    void recordQueryRow(int l, const Matrix& x, const Matrix& rowInput, const Matrix& update, Index rows, const AttentionSink& sink) const;
    Matrix logits(Matrix x) const;

    ModelConfig config_;
    ProteinAlphabet alphabet_;
    std::shared_ptr<const Weights> weights_;
    Eigen::Map<const Matrix> tokenEmbedding_, positionEmbedding_, rowEmbedding_;
    NormWeights embedNorm_, finalNorm_, lmNorm_;
    Eigen::Map<const Matrix> lmDenseW_;
    Eigen::Map<const Vector> lmDenseB_, lmBias_;
    Vector contactWeight_;
    float contactBias_;
    std::vector<AxialLayer> layers_;
    Index blockTokens_;
};

} // namespace attn
