#include "kinds/dna/SequenceInput.h"

#include "util/Error.h"

#include <algorithm>
#include <iostream>
#include <tuple>

namespace attn::kinds {
namespace {

const FastaRecord& pickRecord(const std::vector<FastaRecord>& records, const InputChoice& choice)
{
    if (choice.record.empty())
        return records.front();
    const auto it = std::find_if(records.begin(), records.end(), [&](const FastaRecord& r) { return r.name == choice.record; });
    check<FormatError>(it != records.end(), choice.input + ": no record named '" + choice.record + "' (the file has "
                                                + std::to_string(records.size()) + " records, the first is '"
                                                + records.front().name + "')");
    return *it;
}

} // namespace

std::pair<std::string, std::string> cutWindow(const FastaRecord& record, int start, int length)
{
    std::string bases = record.sequence.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length));
    const std::string name = record.name + " [" + std::to_string(start + 1) + "-" + std::to_string(start + static_cast<int>(bases.size())) + "]";
    return {std::move(bases), name};
}

SelectedInput selectInput(const InputChoice& choice, const SequenceModel& model)
{
    const std::vector<FastaRecord> records = readFasta(choice.input);
    SelectedInput s;
    s.record = pickRecord(records, choice);
    s.sequence = s.record.sequence;
    s.name = s.record.name;
    const auto length = static_cast<int>(s.record.sequence.size());
    const int maxBases = model.maxLetters(); // [CLS] (and [SEP]) take tokens
    if (choice.windowStart > 0) {
        const int window = choice.windowLength > 0 ? choice.windowLength : maxBases;
        check<ShapeError>(window <= maxBases, choice.input + ": --window-length " + std::to_string(window)
                                                  + " is more than the model takes (" + std::to_string(maxBases) + " bases)");
        check<ShapeError>(choice.windowStart <= std::max(1, length - window + 1),
                          choice.input + ": --window " + std::to_string(choice.windowStart) + " is past the last window of record '"
                              + s.record.name + "' (" + std::to_string(length) + " bases, windows of "
                              + std::to_string(window) + " start at 1 to " + std::to_string(std::max(1, length - window + 1)) + ")");
        std::tie(s.sequence, s.name) = cutWindow(s.record, choice.windowStart - 1, window);
    }
    if (static_cast<int>(s.sequence.size()) > maxBases)
        throw ShapeError(choice.input + ": record '" + s.record.name + "' has " + std::to_string(s.sequence.size())
                          + " characters (" + std::to_string(model.encode(s.sequence).ids.size()) + " tokens) but the model takes at most "
                          + std::to_string(model.maxTokens()) + " tokens; it is not cut silently: choose a window of "
                          + std::to_string(maxBases) + " bases with --window START (1 to "
                          + std::to_string(length - maxBases + 1) + ")");
    s.encoding = model.encode(s.sequence);
    check<ShapeError>(static_cast<int>(s.encoding.ids.size()) <= model.maxTokens(),
                      choice.input + ": record '" + s.name + "' gives " + std::to_string(s.encoding.ids.size())
                          + " tokens (letters the vocabulary lacks as whole tokens are single ones) but the model takes at most "
                          + std::to_string(model.maxTokens()) + "; choose a shorter window with --window START --window-length N");
    if (s.encoding.unknownCount > 0)
        std::cerr << choice.input << ": warning: " << s.encoding.unknownCount
                  << (model.encoderConfig().tokenizer.type == "kmer" ? " k-mers" : " characters") << " of record '" << s.record.name
                  << "' are not in the model's vocabulary and were mapped to " << model.unknownToken() << "\n";
    return s;
}

} // namespace attn::kinds
