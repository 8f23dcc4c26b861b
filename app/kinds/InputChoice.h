#pragma once
/// @file InputChoice.h
/// What a user chose to run a model on: the input file or folder, and within it the record
/// and window (sequences) or the series (DICOM). Kinds read the fields they have.

#include <string>

namespace attn::kinds {

/// The input of a run.
struct InputChoice {
    std::string input;    ///< File or folder.
    std::string record;   ///< Sequences: record name; empty for the first.
    int windowStart = 0;  ///< Sequences: 1-based first base of the window; 0 for none.
    int windowLength = 0; ///< Sequences: bases in the window; 0 for as many as the model takes.
    std::string series;   ///< DICOM: SeriesInstanceUID; empty for the largest series.
};

} // namespace attn::kinds
