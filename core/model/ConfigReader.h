#pragma once
/// @file ConfigReader.h
/// Typed reads of a config.json object whose errors name the file (and section) and the key.
/// Internal to the core: it exposes nlohmann-json, which the core links privately, so only
/// the core's .cpp files include it.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

/// One JSON object of a config file, read key by key with checked types.
class ConfigReader {
public:
    /// Reads `j`; `where` (the file, plus a section) starts every message.
    ConfigReader(const nlohmann::json& j, std::string where);

    /// True if the key is present.
    bool has(const std::string& key) const { return j_.contains(key); }
    /// The raw value; FormatError if missing.
    const nlohmann::json& value(const std::string& key) const;
    /// A sub-object as its own reader ("where: key").
    ConfigReader object(const std::string& key) const;
    /// An integer in [1, 2^24).
    int positiveInt(const std::string& key) const;
    /// An integer in [0, 2^24).
    int nonNegativeInt(const std::string& key) const;
    /// A number.
    float number(const std::string& key) const;
    /// A finite number at double precision (values a reference computes with in float64).
    double real(const std::string& key) const;
    /// true or false.
    bool boolean(const std::string& key) const;
    /// A string.
    std::string string(const std::string& key) const;
    /// A string from a fixed set.
    std::string oneOf(const std::string& key, const std::vector<std::string>& allowed) const;
    /// A non-empty list of strings.
    std::vector<std::string> strings(const std::string& key) const;
    /// A list of exactly n positive integers (`what` names them in the message, e.g. "x, y, z").
    std::vector<int> positiveInts(const std::string& key, std::size_t n, const std::string& what) const;
    /// A list of exactly n numbers.
    std::vector<float> numbers(const std::string& key, std::size_t n, const std::string& what) const;

    /// The value, or `fallback` when the key is absent (a present key must have the right type).
    float numberOr(const std::string& key, float fallback) const { return has(key) ? number(key) : fallback; }
    bool booleanOr(const std::string& key, bool fallback) const { return has(key) ? boolean(key) : fallback; }
    int positiveIntOr(const std::string& key, int fallback) const { return has(key) ? positiveInt(key) : fallback; }
    int nonNegativeIntOr(const std::string& key, int fallback) const { return has(key) ? nonNegativeInt(key) : fallback; }
    std::string stringOr(const std::string& key, const std::string& fallback) const { return has(key) ? string(key) : fallback; }
    std::string oneOfOr(const std::string& key, const std::vector<std::string>& allowed, const std::string& fallback) const
    {
        return has(key) ? oneOf(key, allowed) : fallback;
    }

    /// The JSON read.
    const nlohmann::json& raw() const { return j_; }
    /// Where it came from, for messages.
    const std::string& where() const { return where_; }

private:
    int integerIn(const std::string& key, long long low, const char* what) const;
    const nlohmann::json& list(const std::string& key, std::size_t n, const std::string& message) const;

    const nlohmann::json& j_;
    std::string where_;
};

} // namespace attn
