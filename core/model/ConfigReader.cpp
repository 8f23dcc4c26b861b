#include "model/ConfigReader.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <algorithm>
#include <cmath>

namespace attn {

using json = nlohmann::json;

ConfigReader::ConfigReader(const json& j, std::string where) : j_(j), where_(std::move(where)) {}

const json& ConfigReader::value(const std::string& key) const
{
    check<FormatError>(j_.contains(key), where_ + ": missing key '" + key + "'");
    return j_.at(key);
}

ConfigReader ConfigReader::object(const std::string& key) const
{
    const json& v = value(key);
    check<FormatError>(v.is_object(), where_ + ": '" + key + "' must be an object");
    return ConfigReader(v, where_ + ": " + key);
}

int ConfigReader::integerIn(const std::string& key, long long low, const char* what) const
{
    const json& v = value(key);
    check<FormatError>(v.is_number_integer() && v.get<long long>() >= low && v.get<long long>() < (1 << 24),
                       where_ + ": '" + key + "' must be a " + what + " integer");
    return v.get<int>();
}

int ConfigReader::positiveInt(const std::string& key) const
{
    return integerIn(key, 1, "positive");
}

int ConfigReader::nonNegativeInt(const std::string& key) const
{
    return integerIn(key, 0, "non-negative");
}

float ConfigReader::number(const std::string& key) const
{
    const json& v = value(key);
    check<FormatError>(v.is_number(), where_ + ": '" + key + "' must be a number");
    return v.get<float>();
}

double ConfigReader::real(const std::string& key) const
{
    const json& v = value(key);
    check<FormatError>(v.is_number() && std::isfinite(v.get<double>()), where_ + ": '" + key + "' must be a finite number");
    return v.get<double>();
}

bool ConfigReader::boolean(const std::string& key) const
{
    const json& v = value(key);
    check<FormatError>(v.is_boolean(), where_ + ": '" + key + "' must be true or false");
    return v.get<bool>();
}

std::string ConfigReader::string(const std::string& key) const
{
    const json& v = value(key);
    check<FormatError>(v.is_string(), where_ + ": '" + key + "' must be a string");
    return v.get<std::string>();
}

std::string ConfigReader::oneOf(const std::string& key, const std::vector<std::string>& allowed) const
{
    const std::string s = string(key);
    std::string names;
    for (const auto& a : allowed)
        names += (names.empty() ? "" : ", ") + ("\"" + a + "\"");
    check<FormatError>(std::find(allowed.begin(), allowed.end(), s) != allowed.end(),
                       where_ + ": '" + key + "' is \"" + s + "\"; expected one of " + names);
    return s;
}

std::vector<std::string> ConfigReader::strings(const std::string& key) const
{
    const json& v = value(key);
    const std::string message = where_ + ": '" + key + "' must be a non-empty list of strings";
    check<FormatError>(v.is_array() && !v.empty(), message);
    std::vector<std::string> out;
    for (const auto& s : v) {
        check<FormatError>(s.is_string(), message);
        out.push_back(s.get<std::string>());
    }
    return out;
}

const json& ConfigReader::list(const std::string& key, std::size_t n, const std::string& message) const
{
    check<FormatError>(has(key), where_ + ": missing key '" + key + "'");
    const json& v = j_.at(key);
    check<FormatError>(v.is_array() && v.size() == n, message);
    return v;
}

std::vector<int> ConfigReader::positiveInts(const std::string& key, std::size_t n, const std::string& what) const
{
    const std::string message = where_ + ": '" + key + "' must be a list of " + std::to_string(n) + " positive integers (" + what + ")";
    std::vector<int> out;
    for (const json& item : list(key, n, message)) {
        check<FormatError>(item.is_number_integer() && item.get<long long>() > 0 && item.get<long long>() < (1 << 24), message);
        out.push_back(item.get<int>());
    }
    return out;
}

std::vector<float> ConfigReader::numbers(const std::string& key, std::size_t n, const std::string& what) const
{
    const std::string message = where_ + ": '" + key + "' must be a list of " + std::to_string(n) + " numbers (" + what + ")";
    std::vector<float> out;
    for (const json& item : list(key, n, message)) {
        check<FormatError>(item.is_number(), message);
        out.push_back(item.get<float>());
    }
    return out;
}

} // namespace attn
