#include "interpret/Attributions.h"

#include "attention/AttentionStore.h"
#include "interpret/Predictor.h"
#include "interpret/Rollout.h"
#include "util/Error.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace attn {

namespace {

struct MethodName {
    AttributionMethod method;
    const char* name;
};

constexpr std::array<MethodName, 5> kMethods{{{AttributionMethod::Attention, "attention"},
                                              {AttributionMethod::Rollout, "rollout"},
                                              {AttributionMethod::AttnN, "attn-n"},
                                              {AttributionMethod::GlobEnc, "globenc"},
                                              {AttributionMethod::Alti, "alti"}}};

/// f^h(x_j) = W_O^h v^h_j of every token, per head: [heads] of [T, d].
std::vector<Matrix> transformedValues(const LayerParts& p, int heads)
{
    const Index dh = p.values.cols() / heads;
    std::vector<Matrix> f(static_cast<std::size_t>(heads));
    for (int h = 0; h < heads; ++h)
        f[static_cast<std::size_t>(h)].noalias() = p.values.middleCols(h * dh, dh) * p.outProj.middleCols(h * dh, dh).transpose();
    return f;
}

/// The layer's weights, per head [T, T], from its store; Error when it does not keep them exactly.
std::vector<Matrix> layerWeights(const AttentionStore* store, int layer)
{
    check(store && store->hasLayer(layer) && store->type() == StoreType::F32,
          "attributions need every layer's attention kept as float32; layer " + std::to_string(layer) + " was not");
    std::vector<Matrix> alpha(static_cast<std::size_t>(store->heads()));
    for (int h = 0; h < store->heads(); ++h)
        store->headInto(layer, h, alpha[static_cast<std::size_t>(h)]);
    return alpha;
}

/// The run's edits of the heads' outputs, folded into their weights: z_h = alpha_h V_h, so a zeroed
/// head's weights become 0, a scaled one's are scaled, and a head replaced by its mean over the
/// tokens (padding excluded) has at every row the mean of its unpadded rows.
void foldOutputEdits(std::vector<Matrix>& alpha, const LayerParts& p)
{
    if (!p.edits || !p.edits->outputs)
        return;
    for (std::size_t h = 0; h < alpha.size() && h < p.edits->output.size(); ++h) {
        const LayerEdits::Output& o = p.edits->output[h];
        if (!o.on)
            continue;
        if (o.kind == HeadEditKind::Zero)
            alpha[h].setZero();
        else if (o.kind == HeadEditKind::Scale)
            alpha[h] *= o.scale;
        else if (o.kind == HeadEditKind::Mean)
            alpha[h].rowwise() = meanOutput(alpha[h], p.padding ? *p.padding : std::vector<bool>{});
    }
}

/// sqrt(biased variance + eps) of a row, in double: the scale LayerNorm divides the row by.
double normScale(const Eigen::Ref<const RowVector>& row, float eps)
{
    const Eigen::Matrix<double, 1, Eigen::Dynamic> v = row.cast<double>();
    const double mean = v.mean();
    return std::sqrt((v.array() - mean).square().mean() + eps);
}

/// Each row of m minus its own mean, times gamma / scale: a part's share of a LayerNorm's output.
Matrix normPart(const Matrix& m, const Eigen::Ref<const Vector>& gamma, double scale)
{
    const Matrix centred = m.colwise() - m.rowwise().mean();
    return centred.array().rowwise() * (gamma.transpose().array() / static_cast<float>(scale));
}

bool padded(const LayerParts& p, Index j)
{
    return p.padding && !p.padding->empty() && (*p.padding)[static_cast<std::size_t>(j)];
}

/// The parts of one receiving token i and their sum with the biases they leave out.
struct RowParts {
    Matrix parts; ///< [T, d]: post-LN norm1's share of each z_ij, pre-LN z_ij itself.
    RowVector sum; ///< y_i: the parts, b_O and (post-LN) beta1, through the same LayerNorm.
};

/// z_ij = sum_h alpha^h_ij f^h(x_j) + delta_ij x_j, Attn-N's norms into out.attnN's row i, and the parts.
RowParts rowParts(Index i, const std::vector<Matrix>& f, const std::vector<Matrix>& alpha, const LayerParts& p, LayerAttribution& out)
{
    Matrix z = Matrix::Zero(f.front().rows(), f.front().cols());
    for (std::size_t h = 0; h < f.size(); ++h)
        z.noalias() += alpha[h].row(i).transpose().asDiagonal() * f[h];
    out.attnN.row(i) = z.rowwise().norm().transpose();
    z.row(i) += p.input.row(i);
    const RowVector bias = p.outBias.transpose();
    if (p.normFirst)
        return {z, z.colwise().sum() + bias};
    const double scale = normScale(p.afterAttention.row(i), p.eps);
    Matrix parts = normPart(z, p.norm1Gamma, scale);
    const RowVector biasPart = normPart(bias, p.norm1Gamma, scale);
    RowVector sum = parts.colwise().sum() + biasPart + p.norm1Beta.transpose();
    return {std::move(parts), std::move(sum)};
}

/// GlobEnc's and ALTI's row i from its parts; returns the row's largest reconstruction error.
double finishRow(Index i, const RowParts& r, const LayerParts& p, LayerAttribution& out)
{
    const Index tokens = r.parts.rows();
    if (p.normFirst)
        out.globEnc.row(i) = r.parts.rowwise().norm().transpose();
    else
        out.globEnc.row(i) = normPart(r.parts, p.norm2Gamma, normScale(p.beforeNorm2.row(i), p.eps)).rowwise().norm().transpose();
    const double total = r.sum.cwiseAbs().sum();
    double kept = 0;
    for (Index j = 0; j < tokens; ++j) {
        const double c = padded(p, j) ? 0.0 : std::max(0.0, total - static_cast<double>((r.sum - r.parts.row(j)).cwiseAbs().sum()));
        out.alti(i, j) = static_cast<float>(c);
        kept += c;
    }
    if (kept > 0)
        out.alti.row(i) /= static_cast<float>(kept);
    const auto real = p.normFirst ? p.afterAttention.row(i) : p.afterNorm1.row(i);
    return static_cast<double>((r.sum - real).cwiseAbs().maxCoeff());
}

/// Zeroes the columns of padded tokens (their residual parts) in every matrix.
void clearPaddedColumns(const LayerParts& p, LayerAttribution& out)
{
    for (Index j = 0; j < out.attnN.cols(); ++j)
        if (padded(p, j)) {
            out.attnN.col(j).setZero();
            out.globEnc.col(j).setZero();
        }
}

} // namespace

const std::vector<AttributionMethod>& attributionMethods()
{
    static const std::vector<AttributionMethod> all = [] {
        std::vector<AttributionMethod> out;
        for (const MethodName& m : kMethods)
            out.push_back(m.method);
        return out;
    }();
    return all;
}

std::vector<std::string> attributionMethodNames()
{
    std::vector<std::string> out;
    for (const MethodName& m : kMethods)
        out.emplace_back(m.name);
    return out;
}

AttributionMethod parseAttributionMethod(const std::string& name)
{
    for (const MethodName& m : kMethods)
        if (name == m.name)
            return m.method;
    throw Error("unknown attribution method '" + name + "' (attention, rollout, attn-n, globenc or alti)");
}

std::string attributionMethodName(AttributionMethod method)
{
    for (const MethodName& m : kMethods)
        if (m.method == method)
            return m.name;
    return "?";
}

bool rollsOut(AttributionMethod method)
{
    return method == AttributionMethod::Rollout || method == AttributionMethod::GlobEnc || method == AttributionMethod::Alti;
}

bool decomposes(AttributionMethod method)
{
    return method == AttributionMethod::AttnN || method == AttributionMethod::GlobEnc || method == AttributionMethod::Alti;
}

LayerAttribution decomposeLayer(int layer, const LayerParts& p)
{
    std::vector<Matrix> alpha = layerWeights(p.attention, layer);
    foldOutputEdits(alpha, p);
    const std::vector<Matrix> f = transformedValues(p, static_cast<int>(alpha.size()));
    const Index tokens = p.input.rows();
    LayerAttribution out{Matrix::Zero(tokens, tokens), Matrix::Zero(tokens, tokens), Matrix::Zero(tokens, tokens), 0};
    std::vector<double> errors(static_cast<std::size_t>(tokens), 0.0);
#pragma omp parallel for schedule(dynamic)
    for (Index i = 0; i < tokens; ++i) {
        if (padded(p, i))
            continue;
        const RowParts r = rowParts(i, f, alpha, p, out);
        errors[static_cast<std::size_t>(i)] = finishRow(i, r, p, out);
    }
    clearPaddedColumns(p, out);
    double range = 0;
    for (Index i = 0; i < tokens; ++i)
        if (!padded(p, i)) {
            const auto real = p.normFirst ? p.afterAttention.row(i) : p.afterNorm1.row(i);
            range = std::max(range, static_cast<double>(real.cwiseAbs().maxCoeff()));
        }
    out.reconstructionError = range > 0 ? *std::max_element(errors.begin(), errors.end()) / range : 0.0;
    return out;
}

void AttributionRecorder::layerParts(int layer, const LayerParts& parts)
{
    check(layer == static_cast<int>(layers_.size()), "attributions: the model ran layer " + std::to_string(layer)
                                                          + " again: a run of several windows (sliding-window inference) is not decomposed");
    layers_.push_back(decomposeLayer(layer, parts));
}

std::vector<Matrix> methodLayers(const std::vector<LayerAttribution>& layers, AttributionMethod method)
{
    check(decomposes(method), "attributions: " + attributionMethodName(method) + " is not a decomposition");
    std::vector<Matrix> out;
    for (const LayerAttribution& l : layers)
        out.push_back(method == AttributionMethod::AttnN ? l.attnN : method == AttributionMethod::GlobEnc ? l.globEnc : l.alti);
    return out;
}

RowVector rolledOutRow(const std::vector<Matrix>& layers, Index row)
{
    check(!layers.empty(), "attributions: no layers to roll out");
    return rollOut(layers, RowVector::Unit(layers.back().rows(), row));
}

RowVector rollOut(const std::vector<Matrix>& layers, RowVector start)
{
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        start = start * *it;
    return start;
}

Matrix headMean(const AttentionStore& store, int layer)
{
    check(store.hasLayer(layer), "attributions: layer " + std::to_string(layer) + "'s attention was not kept");
    Matrix mean = Matrix::Zero(store.length(), store.length()), head;
    for (int h = 0; h < store.heads(); ++h) {
        store.headInto(layer, h, head);
        mean += head;
    }
    return mean / static_cast<float>(store.heads());
}

RowVector attributionScores(AttributionMethod method, const AttentionStore& store, const std::vector<bool>& padding,
                            const std::vector<LayerAttribution>& layers, bool firstToken)
{
    const Index tokens = store.length();
    if (method == AttributionMethod::Rollout)
        return firstToken ? rolloutRow(store, padding, RolloutOptions{}, 0) : rolloutMeanRow(store, padding, RolloutOptions{});
    RowVector start = RowVector::Zero(tokens);
    for (Index t = 0; t < tokens; ++t)
        start(t) = firstToken ? (t == 0 ? 1.0f : 0.0f) : (padding.empty() || !padding[static_cast<std::size_t>(t)] ? 1.0f : 0.0f);
    start /= start.sum();
    if (method == AttributionMethod::Attention)
        return start * headMean(store, store.layers() - 1);
    check(!layers.empty(), "attributions: " + attributionMethodName(method) + " needs the run's decomposed layers");
    if (method == AttributionMethod::AttnN)
        return start * layers.back().attnN;
    return rollOut(methodLayers(layers, method), start);
}

std::vector<LayerAttribution> decomposeRun(const Predictor& predictor, const Interventions& edits, AttributionMethod method,
                                           Progress* progress)
{
    AttributionRecorder recorder;
    RunOptions options;
    options.recorder = &recorder;
    options.interventions = edits;
    options.progress = progress;
    predictor.forward(options);
    check(static_cast<int>(recorder.layers().size()) == predictor.layers(),
          "this model's layers are not decomposed by " + attributionMethodName(method) + " (only encoder layers of one attention are)");
    return recorder.layers();
}

AttentionStore methodStore(const std::vector<LayerAttribution>& layers, AttributionMethod method)
{
    const std::vector<Matrix> maps = methodLayers(layers, method);
    check(!maps.empty(), "attributions: no layers to store");
    StorePlan plan;
    plan.type = StoreType::F32;
    AttentionStore store(static_cast<int>(maps.size()), 1, maps.front().rows(), plan);
    for (std::size_t l = 0; l < maps.size(); ++l)
        store.writeRows(static_cast<int>(l), 0, 0, maps[l]);
    return store;
}

std::map<AttributionMethod, RowVector> everySourceScores(const AttentionStore& store, const std::vector<bool>& padding,
                                                         const std::vector<LayerAttribution>& layers, bool firstToken)
{
    std::map<AttributionMethod, RowVector> out;
    const bool decomposed = static_cast<int>(layers.size()) == store.layers();
    for (AttributionMethod m : attributionMethods())
        if (!decomposes(m) || decomposed)
            out[m] = attributionScores(m, store, padding, layers, firstToken);
    return out;
}

} // namespace attn
