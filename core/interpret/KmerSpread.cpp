#include "interpret/KmerSpread.h"

#include "util/Error.h"

namespace attn {

std::vector<float> spreadToBases(const RowVector& tokenWeights, const std::vector<TokenSpan>& spans, int bases)
{
    check(static_cast<std::size_t>(tokenWeights.size()) == spans.size(),
          "spreadToBases: " + std::to_string(tokenWeights.size()) + " weights for " + std::to_string(spans.size()) + " tokens");
    std::vector<float> out(static_cast<std::size_t>(bases), 0.0f);
    for (std::size_t t = 0; t < spans.size(); ++t) {
        const TokenSpan s = spans[t];
        if (s.begin < 0)
            continue;
        check(s.end <= bases, "spreadToBases: a token covers bases past the end of the sequence");
        const float share = tokenWeights(static_cast<Index>(t)) / static_cast<float>(s.end - s.begin);
        for (int b = s.begin; b < s.end; ++b)
            out[static_cast<std::size_t>(b)] += share;
    }
    return out;
}

} // namespace attn
