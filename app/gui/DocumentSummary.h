#pragma once
/// @file DocumentSummary.h
/// HTML summaries of what a Document holds, for the docks and the summary page.

#include "gui/Document.h"

#include <QString>

namespace attn::app {

/// The open model's architecture and size.
QString modelSummaryHtml(const Document& doc);
/// The open data file's records.
QString dataSummaryHtml(const Document& doc);
/// What is open and what can be done next.
QString documentSummaryHtml(const Document& doc);

} // namespace attn::app
