#pragma once
/// @file RunData.h
/// What the attention views show: one run of a model on one input of any kind, with its
/// token axis (labels, and positions in the input's own coordinates).

#include "interpret/HeadStatistics.h"
#include "interpret/Predictor.h"
#include "model/SequenceModel.h"
#include "model/TokenAxis.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <memory>

namespace attn::widgets {

/// A finished run with the names the views need. Immutable once made; shared by views.
struct RunData {
    std::shared_ptr<const RunResult> result; ///< Logits, attention, padding.
    TokenAxis axis;                          ///< Labels and positions of the tokens ([CLS] first).
    QStringList tokens;                      ///< axis.labels as Qt strings, for drawing (length L).
    QStringList labels;                      ///< Class names of the logits.
    QString name;                            ///< The input's name (record id).
    int unknownCount = 0;                    ///< Input characters (k-mers) that ran as the unknown token.
    QString bases;                           ///< Sequences: the input as run (empty for other kinds).
    std::vector<TokenSpan> spans;            ///< Sequences: bases each token covers (empty otherwise).
    std::shared_ptr<const std::vector<HeadStats>> stats; ///< Head statistics, computed with the run
                                                         ///< (off the GUI thread); null: compute on demand.
    std::shared_ptr<const std::vector<Matrix>> thumbnails; ///< Per layer * heads + head: the head max-pooled
                                                           ///< to at most kThumbnailCells (empty for layers
                                                           ///< not kept); null: compute on demand.
    std::vector<HeadEdit> edits; ///< The heads this run changed (interventions); empty for a plain run.
    std::shared_ptr<const PredictionComparison> comparison; ///< With edits: the unchanged prediction beside this one.
    std::shared_ptr<const Predictor> predictor; ///< The model and this input, to run again (importance, faithfulness); null: none.

    /// True when tokens cover several bases (k-mers): views then show values per base.
    bool perBase() const
    {
        return std::any_of(spans.begin(), spans.end(), [](const TokenSpan& s) { return s.end - s.begin > 1; });
    }

    /// The edits of head (layer, head) of the main attention in this run (none: empty).
    std::vector<HeadEdit> editsOf(int layer, int head) const
    {
        std::vector<HeadEdit> out;
        for (const HeadEdit& e : edits)
            if (e.layer == layer && e.head == head && e.part == AttentionPart::Main)
                out.push_back(e);
        return out;
    }

    /// Number of tokens.
    int length() const { return static_cast<int>(tokens.size()); }
    /// Layers of the model.
    int layers() const { return result ? result->attention.layers() : 0; }
    /// Heads per layer.
    int heads() const { return result ? result->attention.heads() : 0; }
    /// True if token i is padding.
    bool isPadding(int i) const
    {
        const auto& pad = result->keyPadding;
        return !pad.empty() && pad[static_cast<std::size_t>(i)];
    }
};

/// Resolution of head thumbnails, in cells per side.
constexpr Index kThumbnailCells = 96;

/// Every head max-pooled to at most kThumbnailCells per side (layer-major).
std::vector<Matrix> headThumbnails(const AttentionStore& store);

/// A run's view data: labels from the axis, head thumbnails and statistics computed now
/// (call off the GUI thread for long inputs).
RunData makeRunData(std::shared_ptr<const RunResult> result, TokenAxis axis, const std::vector<std::string>& labels,
                    const QString& name);

/// The view data of a finished run on a tokenised sequence (bases, spans, unknown count).
RunData sequenceRunData(const SequenceModel& model, const Encoding& encoding, const std::string& sequence, const QString& name,
                        std::shared_ptr<const RunResult> result);

} // namespace attn::widgets
