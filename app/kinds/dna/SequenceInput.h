#pragma once
/// @file SequenceInput.h
/// Which record of a FASTA file a command runs, and which window of it when the record
/// is longer than the model takes (never cut silently).

#include "io/FastaReader.h"
#include "kinds/InputChoice.h"
#include "model/SequenceModel.h"

#include <string>
#include <utility>

namespace attn::kinds {

/// The chosen record, cut to the window, tokenised.
struct SelectedInput {
    FastaRecord record;    ///< As read (the whole sequence).
    std::string sequence;  ///< The part that is run.
    std::string name;      ///< record name, plus " [a-b]" for a window.
    Encoding encoding;     ///< Tokens of sequence.
};

/// The bases [start, start + length) of a record (0-based) and their name "NAME [a-b]"
/// (1-based, inclusive): how a window is cut and named, in the window and the CLI alike.
std::pair<std::string, std::string> cutWindow(const FastaRecord& record, int start, int length);

/// Reads, picks and checks the input; errors name the file and the problem (ShapeError
/// for a record longer than the model takes, with the --window advice). Warns on stderr
/// when characters map to the unknown token.
SelectedInput selectInput(const InputChoice& choice, const SequenceModel& model);

} // namespace attn::kinds
