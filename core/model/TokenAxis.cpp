#include "model/TokenAxis.h"

#include "model/Tokenizer.h"

namespace attn {

double TokenAxis::distance(int i, int j) const
{
    const auto& a = position[static_cast<std::size_t>(i)];
    const auto& b = position[static_cast<std::size_t>(j)];
    double sum = 0.0;
    for (int d = 0; d < dimensions; ++d)
        sum += (a[static_cast<std::size_t>(d)] - b[static_cast<std::size_t>(d)]) * (a[static_cast<std::size_t>(d)] - b[static_cast<std::size_t>(d)]);
    return std::sqrt(sum);
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
