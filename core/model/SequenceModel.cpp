#include "model/SequenceModel.h"

namespace attn {

std::string lettersName(Letters letters)
{
    return letters == Letters::Dna ? "DNA" : "protein";
}

Letters lettersOfVocabulary(const std::vector<std::string>& tokens)
{
    bool any = false;
    for (const std::string& t : tokens) {
        const bool special = t.size() > 2 && ((t.front() == '[' && t.back() == ']') || (t.front() == '<' && t.back() == '>'));
        if (special || t.empty())
            continue;
        if (t.find_first_not_of("ACGTNacgtn") != std::string::npos)
            return Letters::Protein;
        any = true;
    }
    return any ? Letters::Dna : Letters::Protein;
}

} // namespace attn
