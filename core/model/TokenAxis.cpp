#include "model/TokenAxis.h"

#include "model/tokenizers/Tokenizer.h"

namespace attn {

namespace {

double between(const std::array<double, 3>& a, const std::array<double, 3>& b, int dimensions)
{
    if (dimensions == 1)
        return std::abs(a[0] - b[0]);
    double sum = 0.0;
    for (std::size_t d = 0; d < static_cast<std::size_t>(dimensions); ++d)
        sum += (a[d] - b[d]) * (a[d] - b[d]);
    return std::sqrt(sum);
}

} // namespace

double TokenAxis::distance(Index i, Index j) const
{
    return between(position[static_cast<std::size_t>(i)], position[static_cast<std::size_t>(j)], dimensions);
}

void TokenAxis::distancesFrom(Index i, std::vector<double>& out) const
{
    out.resize(position.size());
    const auto& a = position[static_cast<std::size_t>(i)];
    for (std::size_t j = 0; j < position.size(); ++j)
        out[j] = between(a, position[j], dimensions);
}

TokenAxis indexTokenAxis(std::vector<std::string> labels)
{
    TokenAxis axis;
    axis.labels = std::move(labels);
    for (std::size_t i = 0; i < axis.labels.size(); ++i)
        axis.position.push_back({static_cast<double>(i), 0.0, 0.0});
    return axis;
}

TokenAxis sequenceTokenAxis(const Encoding& encoding)
{
    TokenAxis axis;
    axis.labels = encoding.tokens;
    axis.unit = "bases";
    for (const TokenSpan& s : encoding.spans)
        axis.position.push_back({s.begin < 0 ? TokenAxis::kNone : (s.begin + s.end - 1) / 2.0, 0.0, 0.0});
    return axis;
}

} // namespace attn
