#pragma once
/// @file RunData.h
/// What the attention views show: one run of a model on one input.

#include "interpret/HeadStatistics.h"
#include "model/EncoderModel.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <memory>

namespace attn::widgets {

/// A finished run with the names the views need. Immutable once made; shared by views.
struct RunData {
    std::shared_ptr<const RunResult> result; ///< Logits, attention, padding.
    QStringList tokens;                      ///< Token strings, [CLS] first (length L).
    QStringList labels;                      ///< Class names of the logits.
    QString name;                            ///< The input's name (record id).
    int unknownCount = 0;                    ///< Input characters (k-mers) that ran as the unknown token.
    QString bases;                           ///< The input sequence as run.
    std::vector<TokenSpan> spans;            ///< Bases each token covers (empty for hand-made runs).
    std::shared_ptr<const std::vector<HeadStats>> stats; ///< Head statistics, computed with the run
                                                         ///< (off the GUI thread); null: compute on demand.
    std::shared_ptr<const std::vector<Matrix>> thumbnails; ///< Per layer * heads + head: the head max-pooled
                                                           ///< to at most kThumbnailCells (empty for layers
                                                           ///< not kept); null: compute on demand.

    /// True when tokens cover several bases (k-mers): views then show values per base.
    bool perBase() const
    {
        return std::any_of(spans.begin(), spans.end(), [](const TokenSpan& s) { return s.end - s.begin > 1; });
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

/// Runs a model on one sequence, computes the thumbnails, the head statistics and names everything for the
/// views (blocking; call from a worker thread for long inputs). Throws attn::Error /
/// Cancelled as EncoderModel::run does.
RunData runSequence(const EncoderModel& model, const std::string& sequence, const QString& name,
                    const RunOptions& options);

} // namespace attn::widgets
