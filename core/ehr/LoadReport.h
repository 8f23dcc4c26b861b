#pragma once
/// @file LoadReport.h
/// What reading a record skipped and why: warnings counted by kind with the first examples, and
/// the resource types that give no events, counted.

#include <map>
#include <string>
#include <vector>

namespace attn {

struct LoadReport {
    /// Examples kept per kind of warning.
    static constexpr int kExamples = 5;

    std::map<std::string, int> warnings;                  ///< Kind of warning -> how many times.
    std::map<std::string, std::vector<std::string>> examples; ///< Kind -> its first examples ("Observation/abc: ...").
    std::map<std::string, int> ignoredTypes;              ///< Resource types with no events (Claim, ...) -> count.
    int resources = 0;                                    ///< Resources read (FHIR), or rows (tables).

    /// Counts a warning of `kind`, keeping `example` among the first few.
    void warn(const std::string& kind, const std::string& example);

    int warningCount() const;

    /// A few lines for people: what was ignored, the warnings with their examples.
    std::string summary() const;
};

} // namespace attn
