#pragma once
/// @file DocumentSummary.h
/// HTML summaries for the Model dock and the summary page, the same for every family and kind.

#include "model/Model.h"

#include <QString>

namespace attn::app {

/// The open model's family, sizes and what its family adds (the JSON of `attnscope-cli info`).
QString modelSummaryHtml(const Model& model, const QString& path);
/// What is open and what to do next: `model` and `data` are paths ("" for none), `runs` the
/// kinds of data the open model runs.
QString documentSummaryHtml(const QString& model, const QString& data, const QString& runs);

} // namespace attn::app
