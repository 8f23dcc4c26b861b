#pragma once
/// @file InputSelection.h
/// Which record of a FASTA file a command runs, and which window of it when the record
/// is longer than the model takes (never cut silently).

#include "io/FastaReader.h"
#include "model/EncoderModel.h"

#include <string>

namespace attn::cli {

/// What the user asked for.
struct InputChoice {
    std::string input;   ///< FASTA file.
    std::string record;  ///< Record name; empty for the first.
    int windowStart = 0; ///< 1-based first base of the window; 0 for none.
    int windowLength = 0; ///< Bases in the window; 0 for as many as the model takes.
};

/// The chosen record, cut to the window, tokenised.
struct SelectedInput {
    FastaRecord record;    ///< As read (the whole sequence).
    std::string sequence;  ///< The part that is run.
    std::string name;      ///< record name, plus " [a-b]" for a window.
    Encoding encoding;     ///< Tokens of sequence.
};

/// Reads, picks and checks the input; errors name the file and the problem (ShapeError
/// for a record longer than the model takes, with the --window advice). Warns on stderr
/// when characters map to the unknown token.
SelectedInput selectInput(const InputChoice& choice, const EncoderModel& model);

} // namespace attn::cli
