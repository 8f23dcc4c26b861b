#include "kinds/protein/ProteinInput.h"

#include "io/FastaReader.h"
#include "msa/MsaReader.h"
#include "msa/Subsample.h"
#include "util/Error.h"

#include <cctype>
#include <exception>

namespace attn::kinds {
namespace {

/// The row named `record` (up to its first space), or the first.
const MsaRow& chosenRow(const Msa& msa, const std::string& record, const std::string& file)
{
    if (record.empty())
        return msa.rows.front();
    for (const MsaRow& row : msa.rows)
        if (row.name.substr(0, row.name.find(' ')) == record)
            return row;
    throw FormatError(file + ": no sequence named '" + record + "'");
}

/// Plain FASTA sequences (of any lengths) as one-row alignments' rows.
Msa sequencesOf(const std::string& file)
{
    Msa msa;
    for (const FastaRecord& r : readFasta(file)) {
        MsaRow row;
        row.name = r.description.empty() ? r.name : r.name + " " + r.description;
        for (char c : r.sequence)
            if (c != '*')
                row.residues.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        row.line = r.line;
        msa.rows.push_back(std::move(row));
    }
    return msa;
}

} // namespace

Msa readProteinData(const std::string& path, bool sequencesToo, bool* aligned)
{
    if (aligned)
        *aligned = true;
    try {
        return readMsa(path);
    } catch (const FormatError&) {
        if (!sequencesToo)
            throw;
        const std::exception_ptr alignmentError = std::current_exception();
        try {
            Msa sequences = sequencesOf(path); // unaligned sequences are input enough for ESM
            if (aligned)
                *aligned = false;
            return sequences;
        } catch (const FormatError&) {
            std::rethrow_exception(alignmentError); // what the alignment reader said is the better message
        }
    }
}

ProteinInput readProteinInput(const InputChoice& choice, bool singleSequence)
{
    return selectProteinInput(readProteinData(choice.input, singleSequence), choice, singleSequence);
}

ProteinInput selectProteinInput(Msa msa, const InputChoice& choice, bool singleSequence)
{
    ProteinInput in;
    in.sequencesInFile = msa.sequences();
    if (singleSequence) {
        Msa one;
        one.rows.push_back(chosenRow(msa, choice.record, choice.input));
        in.msa = std::move(one);
        return in;
    }
    check<FormatError>(choice.record.empty(), choice.input + ": --record chooses an ESM model's sequence; an MSA Transformer's query is the first row");
    if (choice.maxSequences > 0 && msa.sequences() > static_cast<std::size_t>(choice.maxSequences)) {
        const auto rows = subsampleRows(msa, static_cast<std::size_t>(choice.maxSequences), parseSubsampleMode(choice.subsample), choice.seed);
        msa = selectRows(msa, rows);
        in.subsample = choice.subsample;
    }
    in.msa = std::move(msa);
    return in;
}

TokenAxis proteinTokenAxis(const std::string& queryRow, bool single, const std::string& first, const std::string& last)
{
    const bool eos = single;
    TokenAxis axis;
    axis.unit = "residues";
    axis.labelColumn = "residue";
    TokenColumn column{"column", {}, true}, residue{"residue_number", {}, true};
    const auto add = [&](std::string label, double col, double res) {
        axis.labels.push_back(std::move(label));
        axis.position.push_back({col, TokenAxis::kNone, TokenAxis::kNone});
        column.values.push_back(col);
        residue.values.push_back(res);
    };
    add(first, TokenAxis::kNone, TokenAxis::kNone);
    int number = 0, col = 0;
    for (char c : queryRow) {
        if (eos && (c == '-' || c == '.'))
            continue;
        ++col;
        if (c == '-') {
            add("(c" + std::to_string(col) + ")", col, TokenAxis::kNone); // a column where the query has a gap
            continue;
        }
        ++number;
        add(std::string(1, c) + std::to_string(number), col, number);
    }
    if (eos)
        add(last, TokenAxis::kNone, TokenAxis::kNone);
    axis.columns = {std::move(column), std::move(residue)};
    return axis;
}

} // namespace attn::kinds
