#pragma once
/// @file InputChoice.h
/// What a user chose to run a model on: the input file or folder, and within it the record
/// and window (sequences), the series (DICOM), how many sequences (alignments), or the subject (patient records). Kinds read
/// the fields they have.

#include <array>
#include <optional>
#include <string>

namespace attn::kinds {

/// The input of a run.
struct InputChoice {
    std::string input;    ///< File or folder.
    std::string record;   ///< Sequences: record name; empty for the first.
    int windowStart = 0;  ///< Sequences: 1-based first base of the window; 0 for none.
    int windowLength = 0; ///< Sequences: bases in the window; 0 for as many as the model takes.
    std::string series;   ///< DICOM: SeriesInstanceUID; empty for the largest series.
    std::optional<std::array<int, 3>> centre; ///< DICOM, models that see a region: the study voxel (I, J, K) it is centred on.
    bool slidingWindow = false; ///< DICOM, segmenting models: segment the whole study by sliding windows.
    int maxSequences = 0; ///< Alignments: at most this many sequences (the query kept); 0 for all.
    std::string subsample = "diverse"; ///< Alignments: how they are chosen: first, diverse or random.
    unsigned long long seed = 0; ///< Alignments: the seed of random subsampling.
    std::string subject;  ///< Patient records: the subject; empty for the first.
    std::string columns;  ///< Patient records, event tables: the column mapping ("subject_id=person_id,...").
    std::string mappingFile; ///< Patient records, event tables: the column mapping as a JSON file.
};

} // namespace attn::kinds
