#pragma once
/// @file HeadEdits.h
/// Interventions on attention heads, and what the kernels read of them for one layer.
///
/// A head can be changed at three points of its attention (docs/interventions.md):
///   - before the softmax: its logits divided by a temperature T;
///   - after the softmax: its rows replaced by uniform attention over the keys each query may
///     attend (Kovaleva et al. 2019's "disable"), or by another head's rows of the same layer;
///   - on its output z_h = A_h V_h, before the output projection W_O: zeroed (HF's head_mask,
///     TransformerLens's hook_z), replaced at every token by its mean over this input's tokens
///     (padding excluded), or scaled.
/// A head has at most one edit of its attention and one of its output.

#include "tensor/Tensor.h"

#include <string>
#include <vector>

namespace attn {

/// Which attention of a layer a head belongs to: the ordinary one (the MSA Transformer's tied row
/// attention, written as its layer_XX.npy), or the MSA Transformer's column attention.
enum class AttentionPart { Main, Column };

/// What an edit does.
enum class HeadEditKind {
    Temperature, ///< logits / value before the softmax
    Uniform,     ///< rows replaced by 1/n over the keys a query may attend
    CopyHead,    ///< rows replaced by head `value`'s rows (its own, unedited)
    Zero,        ///< z_h = 0
    Mean,        ///< z_h replaced at every token by its mean over the input's tokens (padding excluded)
    Scale,       ///< z_h multiplied by value
};

/// An edit kind's name ("temperature", "uniform", "copy", "zero", "mean", "scale"): meta.json's and
/// the importance report's.
std::string headEditKindName(HeadEditKind kind);

/// One edit of one head.
struct HeadEdit {
    int layer = 0; ///< From 0, as layer_XX.npy.
    int head = 0;  ///< From 0.
    AttentionPart part = AttentionPart::Main;
    HeadEditKind kind = HeadEditKind::Zero;
    float value = 1.0f; ///< T, the scale, or the source head.

    /// True for edits of the attention weights (temperature, uniform, copy), false for edits of z.
    bool onWeights() const;
    /// "L2H5 zeroed", "L0H1 T=2", "L3 column H0 uniform".
    std::string describe() const;
    /// The command-line form "L,H:KIND" (or "L,H,column:KIND").
    std::string spec() const;
    bool operator==(const HeadEdit&) const = default;
};

/// Parses "L,H:KIND" or "L,H,column:KIND", KIND one of zero, mean, uniform, T=x, scale=x, copy=G.
/// Throws Error naming the text and what is wrong.
HeadEdit parseHeadEdit(const std::string& text);

/// What one attention module of one layer does differently, head by head (built once per run).
struct LayerEdits {
    std::vector<float> inverseTemperature; ///< 1 where unchanged.
    std::vector<char> uniform;             ///< Non-zero: uniform rows.
    std::vector<int> copyFrom;             ///< Source head, or -1.
    /// The edit of z of one head.
    struct Output {
        bool on = false;
        HeadEditKind kind = HeadEditKind::Zero;
        float scale = 1.0f;
    };
    std::vector<Output> output;
    bool weights = false;                  ///< Any edit of the weights.
    bool outputs = false;                  ///< Any edit of z.

    /// The head whose queries and keys make head h's weights.
    int sourceHead(int h) const { return has(h) && copyFrom[index(h)] >= 0 ? copyFrom[index(h)] : h; }
    /// 1 / T of head h.
    float inverseTemperatureOf(int h) const { return has(h) ? inverseTemperature[index(h)] : 1.0f; }
    /// Whether head h's rows are uniform.
    bool uniformOf(int h) const { return has(h) && uniform[index(h)]; }
    /// Whether some head's output is replaced by its mean (which needs every token's z).
    bool meansOutputs() const
    {
        for (const Output& o : output)
            if (o.on && o.kind == HeadEditKind::Mean)
                return true;
        return false;
    }

private:
    static std::size_t index(int h) { return static_cast<std::size_t>(h); }
    bool has(int h) const { return index(h) < copyFrom.size(); }
};

/// A run's interventions: the edits, checked, and their per-layer form.
class Interventions {
public:
    Interventions() = default;
    /// Throws Error when a head has two edits of its weights or two of its output.
    explicit Interventions(std::vector<HeadEdit> edits);

    bool empty() const { return edits_.empty(); }
    const std::vector<HeadEdit>& edits() const { return edits_; }
    /// The edits of one attention of one layer, or null when it has none.
    const LayerEdits* layer(int layer, AttentionPart part) const;
    /// Throws Error naming the edit when it names a layer, head or part the model lacks.
    void checkFits(int layers, int heads, bool hasColumnAttention) const;
    /// "L2H5 zeroed, L0H1 T=2"; empty without edits.
    std::string describe() const;

private:
    std::vector<HeadEdit> edits_;
    std::vector<LayerEdits> layers_; ///< Index 2 * layer + part; sized to the largest layer edited.
};

/// Head h's edits of its logits on a block of them (no key masked): divided by T, or made equal
/// (uniform after the softmax). The row-by-row kernels do the same in softmaxAndRecord.
void editLogits(MatrixRef scores, const LayerEdits& edits, int head);

/// The mean over z's rows [L, heads * d_head] whose `padding` flag is false (all rows when
/// `padding` is empty): what Mean puts in place of a head's output.
RowVector meanOutput(const ConstMatrixRef& z, const std::vector<bool>& padding);

/// Sets z's head columns as the layer's output edits say; Mean takes `means` (meanOutput of the
/// whole z, given when z is a block of it) or, when null, z's own mean over unpadded rows.
void applyOutputEdits(const LayerEdits& edits, MatrixRef z, int heads, const RowVector* means,
                      const std::vector<bool>& padding);

} // namespace attn
