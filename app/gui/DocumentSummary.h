#pragma once
/// @file DocumentSummary.h
/// HTML summaries for the Model dock and the summary page, the same for every family and kind.

#include "model/Model.h"

#include <QString>

namespace attn::app {

/// The open model's family, sizes and what its family adds (the JSON of `attnscope-cli info`).
QString modelSummaryHtml(const Model& model, const QString& path);
/// What is open and what to do next: the open model (or null) and its path, the data's path
/// ("" for none), and which kinds of data the model runs.
QString documentSummaryHtml(const Model* model, const QString& modelPath, const QString& data);

} // namespace attn::app
