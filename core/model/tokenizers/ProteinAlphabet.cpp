#include "model/tokenizers/ProteinAlphabet.h"

#include "util/Error.h"

#include <algorithm>
#include <cctype>

namespace attn {

ProteinAlphabet ProteinAlphabet::esm()
{
    std::vector<std::string> tokens{"<cls>", "<pad>", "<eos>", "<unk>"};
    for (char c : std::string_view("LAGVSERTIDPKQNFYMHWCXBUZO.-"))
        tokens.emplace_back(1, c);
    tokens.emplace_back("<null_1>");
    tokens.emplace_back("<mask>");
    return fromTokens(std::move(tokens), "the ESM alphabet");
}

ProteinAlphabet ProteinAlphabet::fromTokens(std::vector<std::string> tokens, const std::string& where)
{
    ProteinAlphabet a;
    a.tokens_ = std::move(tokens);
    std::fill(std::begin(a.letter_), std::end(a.letter_), -1);
    const auto find = [&](const char* special) {
        const auto it = std::find(a.tokens_.begin(), a.tokens_.end(), special);
        check<FormatError>(it != a.tokens_.end(), where + ": the special token '" + special + "' is missing");
        return static_cast<int>(it - a.tokens_.begin());
    };
    a.cls_ = find("<cls>");
    a.pad_ = find("<pad>");
    a.eos_ = find("<eos>");
    a.unk_ = find("<unk>");
    a.mask_ = find("<mask>");
    for (std::size_t i = 0; i < a.tokens_.size(); ++i) {
        const std::string& t = a.tokens_[i];
        if (t.size() > 2 && t.front() == '<' && t.back() == '>')
            continue;
        check<FormatError>(t.size() == 1 && std::isgraph(static_cast<unsigned char>(t[0])),
                           where + ": token " + std::to_string(i) + " ('" + t + "') is neither one residue letter nor <special>");
        const auto u = static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(t[0])));
        check<FormatError>(a.letter_[u] < 0, where + ": the letter '" + t + "' appears twice");
        a.letter_[u] = static_cast<int>(i);
    }
    return a;
}

int ProteinAlphabet::idOf(char residue) const
{
    const int id = letter_[static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(residue)))];
    return id >= 0 ? id : unk_;
}

std::vector<int> ProteinAlphabet::encode(std::string_view residues, int* unknown) const
{
    std::vector<int> ids;
    ids.reserve(residues.size());
    int missing = 0;
    for (char c : residues) {
        ids.push_back(idOf(c));
        missing += ids.back() == unk_ ? 1 : 0;
    }
    if (unknown)
        *unknown = missing;
    return ids;
}

} // namespace attn
