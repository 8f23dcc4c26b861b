#include "model/msa_transformer/MsaTransformer.h"

#include "model/WeightViews.h"
#include "model/layers/ContactHead.h"
#include "model/ModelFamilyTable.h"
#include "msa/Msa.h"
#include "tensor/Ops.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

namespace attn {
namespace {

std::string layerPrefix(int i)
{
    return "layers." + std::to_string(i) + ".";
}

ProjectionWeights projections(const Weights& w, const std::string& p, std::int64_t d)
{
    return {matrixOf(w, p + "q_proj.weight", d, d), matrixOf(w, p + "k_proj.weight", d, d),
            matrixOf(w, p + "v_proj.weight", d, d), matrixOf(w, p + "out_proj.weight", d, d),
            vectorOf(w, p + "q_proj.bias", d),      vectorOf(w, p + "k_proj.bias", d),
            vectorOf(w, p + "v_proj.bias", d),      vectorOf(w, p + "out_proj.bias", d)};
}

/// msa_position_embedding [1, rows, 1, d] as a [rows, d] matrix.
Eigen::Map<const Matrix> rowEmbeddingOf(const Weights& w, std::int64_t d)
{
    const std::string name = "msa_position_embedding";
    check<FormatError>(w.has(name), w.source() + ": missing tensor '" + name + "' (expected shape [1, 1024, 1, " + std::to_string(d) + "])");
    const Tensor& t = w.tensors().at(name);
    check<ShapeError>(t.shape.size() == 4 && t.shape[0] == 1 && t.shape[1] > 0 && t.shape[2] == 1 && t.shape[3] == d,
                      w.source() + ": tensor '" + name + "' has shape " + t.shapeString() + ", expected [1, rows, 1, "
                          + std::to_string(d) + "]");
    return {t.data.data(), t.shape[1], d};
}

Matrix normed(const ConstMatrixRef& x, const NormWeights& n, float eps)
{
    Matrix y = x;
    layerNormRows(y, n.gamma, n.beta, eps);
    return y;
}

/// The values of the query row's tokens [C, d] as a decomposition of its row attention takes them:
/// v = LN(x) W_V^T + b_V, except that a head replaced by its mean over every row's tokens (Mean) has
/// the mean over the rows of its values at each column: with the tied weights, that head's output is
/// sum_j (the mean over queries of alpha_ij) (the mean over rows of v_rj), and Attributions takes the
/// mean over queries.
Matrix queryRowValues(const Matrix& rowInput, Index rows, const ProjectionWeights& w, int heads, const LayerEdits* edits)
{
    const Index columns = rowInput.rows() / rows, dh = rowInput.cols() / heads;
    Matrix values = rowInput.topRows(columns) * w.v.transpose();
    values.rowwise() += w.vBias.transpose();
    if (!edits || !edits->meansOutputs())
        return values;
    Matrix meanInput = Matrix::Zero(columns, rowInput.cols()); // the values are linear in it: their mean is its mean's
    for (Index r = 0; r < rows; ++r)
        meanInput += rowInput.middleRows(r * columns, columns);
    meanInput /= static_cast<float>(rows);
    for (int h = 0; h < heads && h < static_cast<int>(edits->output.size()); ++h) {
        const LayerEdits::Output& o = edits->output[static_cast<std::size_t>(h)];
        if (o.on && o.kind == HeadEditKind::Mean)
            values.middleCols(h * dh, dh) = (meanInput * w.v.middleRows(h * dh, dh).transpose()).rowwise() + w.vBias.segment(h * dh, dh).transpose();
    }
    return values;
}

/// x += fc2(gelu(fc1(LN(x)))), a block of tokens at a time: the [tokens, ffn] hidden layer never
/// exists whole (each token's update depends on that token alone).
void feedForwardInPlace(Matrix& x, Index block, const NormWeights& norm, float eps, const Eigen::Map<const Matrix>& w1,
                        const Eigen::Map<const Vector>& b1, const Eigen::Map<const Matrix>& w2,
                        const Eigen::Map<const Vector>& b2)
{
    Matrix hidden, update;
    for (Index t0 = 0; t0 < x.rows(); t0 += block) {
        const Index n = std::min(block, x.rows() - t0);
        linear(normed(x.middleRows(t0, n), norm, eps), w1, b1, hidden);
        geluInPlace(hidden);
        linear(hidden, w2, b2, update);
        x.middleRows(t0, n) += update;
    }
}

} // namespace

MsaTransformer::MsaTransformer(ModelConfig config, ProteinAlphabet alphabet, std::shared_ptr<const Weights> weights,
                               Index blockTokens)
    : config_(std::move(config)), alphabet_(std::move(alphabet)), weights_(std::move(weights)),
      tokenEmbedding_(matrixOf(*weights_, "embed_tokens.weight", alphabet_.size(), config_.dModel)),
      positionEmbedding_(matrixOf(*weights_, "embed_positions.weight", config_.maxLen + alphabet_.pad() + 1, config_.dModel)),
      rowEmbedding_(rowEmbeddingOf(*weights_, config_.dModel)),
      embedNorm_(readNorm(*weights_, "emb_layer_norm_before", config_.dModel)),
      finalNorm_(readNorm(*weights_, "emb_layer_norm_after", config_.dModel)),
      lmNorm_(readNorm(*weights_, "lm_head.layer_norm", config_.dModel)),
      lmDenseW_(matrixOf(*weights_, "lm_head.dense.weight", config_.dModel, config_.dModel)),
      lmDenseB_(vectorOf(*weights_, "lm_head.dense.bias", config_.dModel)),
      lmBias_(vectorOf(*weights_, "lm_head.bias", alphabet_.size())),
      contactWeight_(matrixOf(*weights_, "contact_head.regression.weight", 1, config_.nLayers * config_.nHeads).row(0).transpose()),
      contactBias_(vectorOf(*weights_, "contact_head.regression.bias", 1)(0)),
      blockTokens_(std::max<Index>(1, blockTokens))
{
    if (weights_->has("lm_head.weight")) // tied to embed_tokens; present in fair-esm's state_dict
        weights_->get("lm_head.weight", {alphabet_.size(), config_.dModel});
    layers_.reserve(static_cast<std::size_t>(config_.nLayers));
    for (int i = 0; i < config_.nLayers; ++i)
        layers_.push_back(bindLayer(i));
}

MsaTransformer::AxialLayer MsaTransformer::bindLayer(int i) const
{
    const Weights& w = *weights_;
    const std::string p = layerPrefix(i);
    const std::int64_t d = config_.dModel, ff = config_.dimFeedforward;
    return {readNorm(w, p + "row_self_attention.layer_norm", config_.dModel),
            readNorm(w, p + "column_self_attention.layer_norm", config_.dModel),
            readNorm(w, p + "feed_forward_layer.layer_norm", config_.dModel),
            projections(w, p + "row_self_attention.layer.", d),
            projections(w, p + "column_self_attention.layer.", d),
            matrixOf(w, p + "feed_forward_layer.layer.fc1.weight", ff, d),
            matrixOf(w, p + "feed_forward_layer.layer.fc2.weight", d, ff),
            vectorOf(w, p + "feed_forward_layer.layer.fc1.bias", ff),
            vectorOf(w, p + "feed_forward_layer.layer.fc2.bias", d)};
}

std::vector<int> MsaTransformer::tokenize(const Msa& msa, int* unknown) const
{
    std::vector<int> tokens;
    tokens.reserve(msa.sequences() * (msa.columns() + 1));
    int missing = 0;
    for (const MsaRow& row : msa.rows) {
        int n = 0;
        tokens.push_back(alphabet_.cls());
        const std::vector<int> ids = alphabet_.encode(row.residues, &n);
        tokens.insert(tokens.end(), ids.begin(), ids.end());
        missing += n;
    }
    if (unknown)
        *unknown = missing;
    return tokens;
}

Matrix MsaTransformer::embed(const std::vector<int>& tokens, Index rows) const
{
    const Index columns = static_cast<Index>(tokens.size()) / rows;
    Matrix x(static_cast<Index>(tokens.size()), config_.dModel);
    for (Index r = 0; r < rows; ++r)
        for (Index c = 0; c < columns; ++c) {
            const Index t = r * columns + c;
            x.row(t) = tokenEmbedding_.row(tokens[static_cast<std::size_t>(t)]) + positionEmbedding_.row(c + alphabet_.pad() + 1);
            x.row(t) += rowEmbedding_.row(r);
        }
    layerNormRows(x, embedNorm_.gamma, embedNorm_.beta, config_.layerNormEps);
    return x;
}

void MsaTransformer::forwardLayer(int l, Matrix& x, Index rows, AttentionSink rowSink, AttentionSink columnSink) const
{
    const AxialLayer& a = layers_[static_cast<std::size_t>(l)];
    const float eps = config_.layerNormEps;
    {
        Matrix update;
        const Matrix rowInput = normed(x, a.rowNorm, eps);
        tiedRowAttention(rowInput, rows, a.row, config_.nHeads, rowSink, update);
        if (rowSink.recorder && rowSink.recorder->wantsLayerParts())
            recordQueryRow(l, x, rowInput, update, rows, rowSink);
        x += update;
        columnAttention(normed(x, a.columnNorm, eps), rows, a.column, config_.nHeads, columnSink, update, blockTokens_);
        x += update;
    }
    feedForwardInPlace(x, blockTokens_, a.feedForwardNorm, eps, a.fc1W, a.fc1B, a.fc2W, a.fc2B);
}

void MsaTransformer::recordQueryRow(int l, const Matrix& x, const Matrix& rowInput, const Matrix& update, Index rows,
                                    const AttentionSink& sink) const
{
    const AxialLayer& a = layers_[static_cast<std::size_t>(l)];
    const Index columns = x.rows() / rows;
    const Matrix input = x.topRows(columns);
    const Matrix values = queryRowValues(rowInput, rows, a.row, config_.nHeads, sink.edits);
    const Matrix after = input + update.topRows(columns);
    const Matrix none;
    sink.recorder->layerParts(l, LayerParts{true, input, values, a.row.out, a.row.outBias, after, none, none, a.rowNorm.gamma,
                                            a.rowNorm.beta, a.rowNorm.gamma, config_.layerNormEps, sink.store, nullptr, sink.edits});
}

Matrix MsaTransformer::logits(Matrix x) const
{
    layerNormRows(x, finalNorm_.gamma, finalNorm_.beta, config_.layerNormEps);
    Matrix h;
    linear(x, lmDenseW_, lmDenseB_, h);
    geluInPlace(h);
    layerNormRows(h, lmNorm_.gamma, lmNorm_.beta, config_.layerNormEps);
    Matrix out(h.rows(), alphabet_.size());
    out.noalias() = h * tokenEmbedding_.transpose();
    out.rowwise() += lmBias_.transpose();
    return out;
}

void MsaTransformer::planRun(MemoryPlan& plan, Index rows, Index columns, const StorePlan& store) const
{
    const int kept = store.layers.empty() ? config_.nLayers : static_cast<int>(store.layers.size());
    const int columnHeads = config_.nHeads * static_cast<int>(columns);
    const std::size_t rowBytes = AttentionStore::bytesNeeded(kept, config_.nHeads, columns, store.type);
    plan.add("row attention store", AttentionStore::memoryNeeded(kept, config_.nHeads, columns, store),
             AttentionStore::advice(rowBytes, kept, store.type));
    const std::size_t columnBytes = AttentionStore::bytesNeeded(kept, columnHeads, rows, store.type);
    plan.add("column attention store", AttentionStore::memoryNeeded(kept, columnHeads, rows, store),
             AttentionStore::advice(columnBytes, kept, store.type) + ", or give fewer sequences (--max-sequences; each layer grows with their square)");
    const auto tokens = static_cast<std::size_t>(rows * columns);
    const auto d = static_cast<std::size_t>(config_.dModel), ff = static_cast<std::size_t>(config_.dimFeedforward);
    const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
    const auto dh = d / static_cast<std::size_t>(config_.nHeads);
    const auto block = std::min(tokens, static_cast<std::size_t>(std::max(blockTokens_, rows)));
    const std::size_t perThread = 4 * tokens * dh + static_cast<std::size_t>(columns * columns + rows * rows); // row attention's head
    // x, its normed copy, the context and the update whole; a block's column attention or feed-forward
    plan.add("activations", (4 * tokens * d + threads * perThread + block * (5 * d + ff)) * sizeof(float));
    plan.add("contact head", ContactHead::bytesNeeded(config_.nLayers, config_.nHeads, columns - 1));
    plan.add("logits", tokens * static_cast<std::size_t>(alphabet_.size()) * sizeof(float));
}

SequenceRun MsaTransformer::run(const std::vector<int>& tokens, Index rows, const RunOptions& options) const
{
    check<ShapeError>(rows > 0 && !tokens.empty() && static_cast<Index>(tokens.size()) % rows == 0,
                      "the alignment's rows must all have the same number of tokens");
    const Index columns = static_cast<Index>(tokens.size()) / rows;
    check<ShapeError>(columns >= 2, "the alignment has no columns");
    check<ShapeError>(rows <= maxRows(), "the alignment has " + std::to_string(rows) + " sequences but the model's row embedding covers "
                                             + std::to_string(maxRows()) + "; subsample it (--max-sequences)");
    check<ShapeError>(columns <= config_.maxLen, "the alignment has " + std::to_string(columns - 1) + " columns but the model takes at most "
                                                     + std::to_string(config_.maxLen - 1));
    for (int id : tokens)
        check<ShapeError>(id >= 0 && id < alphabet_.size(), "token id " + std::to_string(id) + " is outside the alphabet");
    MemoryPlan plan("the run on " + std::to_string(rows) + " sequences x " + std::to_string(columns - 1) + " columns");
    planRun(plan, rows, columns, options.store);
    plan.check(options.store.budgetBytes); // before anything is allocated

    SequenceRun out;
    out.rows = rows;
    out.result.ids.assign(tokens.begin(), tokens.begin() + columns);
    out.result.attention = AttentionStore(config_.nLayers, config_.nHeads, columns, options.store);
    out.columnAttention = AttentionStore(config_.nLayers, config_.nHeads * static_cast<int>(columns), rows, options.store);
    ContactHead contacts(contactWeight_, contactBias_, config_.nHeads, 1, columns - 1);
    Progress none;
    Progress& progress = options.progress ? *options.progress : none;
    const Interventions& edits = options.interventions;
    edits.checkFits(config_.nLayers, config_.nHeads, true);
    Matrix x = embed(tokens, rows);
    for (int l = 0; l < config_.nLayers; ++l) {
        progress.step(l, config_.nLayers, "layer " + std::to_string(l + 1) + " of " + std::to_string(config_.nLayers));
        if (options.recorder)
            options.recorder->layerInput(l, x);
        const AttentionSink row{out.result.attention.keepsNothing() ? nullptr : &out.result.attention, l, &progress, &contacts, edits.layer(l, AttentionPart::Main), options.recorder};
        const AttentionSink column{out.columnAttention.keepsNothing() ? nullptr : &out.columnAttention, l, &progress, nullptr, edits.layer(l, AttentionPart::Column), options.recorder,
                                   AttentionPart::Column};
        forwardLayer(l, x, rows, row, column);
        out.result.attention.finishLayer(l);
        out.columnAttention.finishLayer(l);
        contacts.finishLayer(l);
    }
    out.contacts = contacts.probabilities();
    out.contactSource = "contact head";
    out.logits = logits(std::move(x));
    progress.report(config_.nLayers, config_.nLayers, "done");
    return out;
}

namespace {

ModelConfig readMsaTransformerConfig(const ConfigReader& r)
{
    ModelConfig c;
    c.family = "msa_transformer";
    c.nLayers = r.positiveInt("layers");
    c.dModel = r.positiveInt("embed_dim");
    c.dimFeedforward = r.positiveInt("ffn_embed_dim");
    c.nHeads = r.positiveInt("attention_heads");
    c.maxLen = r.positiveInt("max_positions");
    c.activation = Activation::Gelu;
    c.normFirst = true;
    c.layerNormEps = 1e-5f;
    c.positional = Positional::Learned;
    c.finalNorm = true;
    check<FormatError>(c.dModel % c.nHeads == 0, r.where() + ": embed_dim (" + std::to_string(c.dModel)
                                                     + ") is not divisible by attention_heads (" + std::to_string(c.nHeads) + ")");
    return c;
}

} // namespace

ModelFamilyEntry msaTransformerFamily()
{
    const auto load = [](ModelSource& source, const ConfigReader& config) -> std::shared_ptr<const Model> {
        ModelConfig c = readMsaTransformerConfig(config);
        ProteinAlphabet alphabet = config.has("vocab") ? ProteinAlphabet::fromTokens(config.strings("vocab"), config.where() + ": 'vocab'")
                                                       : ProteinAlphabet::esm();
        auto weights = source.takeWeights();
        return std::make_shared<const MsaTransformer>(std::move(c), std::move(alphabet), std::move(weights));
    };
    const auto describe = [](const Model& model, nlohmann::json& info) {
        const auto& m = dynamic_cast<const MsaTransformer&>(model);
        info["vocab_size"] = m.alphabet().size();
        info["max_sequences"] = m.maxRows();
        info["max_columns"] = m.encoderConfig().maxLen - 1;
    };
    return {"msa_transformer", "", load, describe, {}};
}

} // namespace attn
