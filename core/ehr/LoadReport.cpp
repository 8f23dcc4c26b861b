#include "ehr/LoadReport.h"

namespace attn {

void LoadReport::warn(const std::string& kind, const std::string& example)
{
    ++warnings[kind];
    std::vector<std::string>& kept = examples[kind];
    if (static_cast<int>(kept.size()) < kExamples)
        kept.push_back(example);
}

int LoadReport::warningCount() const
{
    int n = 0;
    for (const auto& [kind, count] : warnings)
        n += count;
    return n;
}

std::string LoadReport::summary() const
{
    std::string text;
    if (!ignoredTypes.empty()) {
        text += "resources that give no events:";
        for (const auto& [type, count] : ignoredTypes)
            text += " " + type + " " + std::to_string(count);
        text += "\n";
    }
    for (const auto& [kind, count] : warnings) {
        text += "warning: " + kind + " (" + std::to_string(count) + ")";
        for (const std::string& example : examples.at(kind))
            text += "\n  " + example;
        text += "\n";
    }
    return text;
}

} // namespace attn
