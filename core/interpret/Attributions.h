#pragma once
/// @file Attributions.h
/// Attributions beyond raw attention, from one forward pass (docs/attributions.md):
///  - Attn-N (Kobayashi et al. 2020): ||sum_h alpha^h_ij f^h(x_j)||, f^h(x_j) = W_O^h v^h_j;
///  - GlobEnc (Modarressi et al. 2022): the parts z_ij = a_ij + delta_ij x_j through both LayerNorms
///    (the feed-forward skipped, as GlobEnc does), then the layers' plain product;
///  - ALTI (Ferrando et al. 2022): max(0, ||y_i||_1 - ||y_i - T_i(x_j)||_1), rows normalised, then
///    the layers' product.
/// Each layer's decomposition is checked: its parts, with the biases it leaves out added back, must
/// sum to the layer's real vector (post-LN: norm1's output; pre-LN: the residual after attention).

#include "attention/ForwardRecorder.h"
#include "tensor/Tensor.h"

#include <map>
#include <string>
#include <vector>

namespace attn {

class AttentionStore;
class Interventions;
class Predictor;
class Progress;

/// What attnscope-cli attribute --method computes.
enum class AttributionMethod { Attention, Rollout, AttnN, GlobEnc, Alti };

/// Every method, in the order the command line and the window list them.
const std::vector<AttributionMethod>& attributionMethods();
/// Their command-line names, in that order.
std::vector<std::string> attributionMethodNames();

/// Parses "attention", "rollout", "attn-n", "globenc" or "alti"; throws Error otherwise.
AttributionMethod parseAttributionMethod(const std::string& name);
/// The command-line name.
std::string attributionMethodName(AttributionMethod method);
/// True for the methods that roll layers out into one row (rollout, GlobEnc, ALTI).
bool rollsOut(AttributionMethod method);
/// True for the methods that decompose the layers (Attn-N, GlobEnc, ALTI): they need LayerParts.
bool decomposes(AttributionMethod method);

/// One layer's decompositions: matrices [T, T], row i the receiving token, column j the source.
struct LayerAttribution {
    Matrix attnN;   ///< ||a_ij||_2.
    Matrix globEnc; ///< GlobEnc's N-Enc: ||norm2-part of norm1-part of z_ij||_2 (pre-LN: ||z_ij||_2).
    Matrix alti;    ///< ALTI's normalised contributions (rows of unpadded tokens sum to 1).
    double reconstructionError = 0; ///< max |sum of parts - real| / max |real| over the unpadded tokens.
};

/// The decompositions of one layer from its parts and the weights in its store layer (padded tokens'
/// rows and columns are 0). Throws Error when the store does not hold the layer as float32.
LayerAttribution decomposeLayer(int layer, const LayerParts& parts);

/// A recorder that decomposes every encoder layer of a run as it finishes (the run's store must
/// keep every layer as float32).
class AttributionRecorder : public ForwardRecorder {
public:
    bool wantsLayerParts() const override { return true; }
    void layerParts(int layer, const LayerParts& parts) override;
    /// The layers decomposed, in layer order (none for a family whose layers are not EncoderLayers).
    const std::vector<LayerAttribution>& layers() const { return layers_; }

private:
    std::vector<LayerAttribution> layers_;
};

/// Every layer of a prediction decomposed: one more forward of `predictor` with its interventions
/// and an AttributionRecorder. Throws Error naming the method when the model's layers give no parts
/// (the MSA Transformer's axial layers), and Cancelled when `progress` asks.
std::vector<LayerAttribution> decomposeRun(const Predictor& predictor, const Interventions& edits, AttributionMethod method,
                                           Progress* progress);

/// A method's per-layer matrices as a store of one "head" per layer (float32, in memory), for the
/// views that show a store: the map, the token lines, the timeline's arcs.
AttentionStore methodStore(const std::vector<LayerAttribution>& layers, AttributionMethod method);

/// The per-layer matrices a method multiplies or reports: Attn-N's, GlobEnc's or ALTI's.
std::vector<Matrix> methodLayers(const std::vector<LayerAttribution>& layers, AttributionMethod method);

/// Row `row` of the plain product M_last ... M_1 (no identity added, nothing renormalised): what
/// GlobEnc and ALTI report for a token, computed from the top layer down in O(layers T^2).
RowVector rolledOutRow(const std::vector<Matrix>& layers, Index row);
/// start M_last ... M_1, for a weighting `start` [T] of the top layer's rows.
RowVector rollOut(const std::vector<Matrix>& layers, RowVector start);

/// A layer's weights averaged over its heads [T, T] (Error when the store does not keep the layer).
Matrix headMean(const AttentionStore& store, int layer);

/// Every token's share of the prediction by one method, for ranking (faithfulness, comparisons):
/// attention (the heads' mean) and Attn-N of the last layer, rollout, GlobEnc and ALTI rolled out
/// over the layers; of the first token's row when the prediction reads [CLS] (`firstToken`), else
/// of the mean of the unpadded tokens' rows. `layers`: the run's decompositions (AttributionRecorder),
/// needed by Attn-N, GlobEnc and ALTI.
RowVector attributionScores(AttributionMethod method, const AttentionStore& store, const std::vector<bool>& padding,
                            const std::vector<LayerAttribution>& layers, bool firstToken);

/// Every source's scores the run supports: all five when its layers were decomposed (`layers` holds
/// every layer), else attention and rollout.
std::map<AttributionMethod, RowVector> everySourceScores(const AttentionStore& store, const std::vector<bool>& padding,
                                                         const std::vector<LayerAttribution>& layers, bool firstToken);

} // namespace attn
