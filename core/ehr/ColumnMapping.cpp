#include "ehr/ColumnMapping.h"

#include "io/TextFile.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

namespace attn {
namespace {

void checkTarget(const std::string& target, const std::string& where)
{
    const auto& known = ColumnMapping::targets();
    std::string list;
    for (const std::string& t : known)
        list += (list.empty() ? "" : ", ") + t;
    check<FormatError>(std::find(known.begin(), known.end(), target) != known.end(),
                       where + ": '" + target + "' is not a column a mapping may give (" + list + ", code_prefix)");
}

std::vector<std::string> split(const std::string& text, char by)
{
    std::vector<std::string> parts;
    std::istringstream in(text);
    for (std::string part; std::getline(in, part, by);)
        parts.push_back(part);
    return parts;
}

} // namespace

const std::vector<std::string>& ColumnMapping::targets()
{
    static const std::vector<std::string> names{"subject_id", "time", "code", "numeric_value", "text_value",
                                                "unit", "end", "precision", "resource"};
    return names;
}

ColumnMapping ColumnMapping::parse(const std::string& spec)
{
    ColumnMapping mapping;
    for (const std::string& pair : split(spec, ',')) {
        const std::size_t eq = pair.find('=');
        check<FormatError>(eq != std::string::npos && eq > 0 && eq + 1 < pair.size(),
                           "column mapping: '" + pair + "' is not TARGET=COLUMN");
        const std::string target = pair.substr(0, eq), value = pair.substr(eq + 1);
        if (target == "code_prefix") {
            mapping.codePrefix = value;
            continue;
        }
        checkTarget(target, "column mapping");
        for (const std::string& column : split(value, '|')) {
            check<FormatError>(!column.empty(), "column mapping: an empty column name for " + target);
            mapping.columns[target].push_back(column);
        }
    }
    return mapping;
}

ColumnMapping ColumnMapping::read(const std::filesystem::path& path)
{
    const std::string name = path.string();
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(readMaybeGzippedText(path, std::size_t{1} << 20));
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(name + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    check<FormatError>(json.is_object(), name + ": a column mapping is a JSON object {\"subject_id\": \"person_id\", ...}");
    ColumnMapping mapping;
    for (const auto& [target, value] : json.items()) {
        if (target == "code_prefix") {
            check<FormatError>(value.is_string(), name + ": code_prefix is not a string");
            mapping.codePrefix = value.get<std::string>();
            continue;
        }
        checkTarget(target, name);
        const nlohmann::json list = value.is_array() ? value : nlohmann::json::array({value});
        for (const auto& column : list) {
            check<FormatError>(column.is_string() && !column.get<std::string>().empty(),
                               name + ": " + target + " names a column that is not a non-empty string");
            mapping.columns[target].push_back(column.get<std::string>());
        }
    }
    return mapping;
}

ColumnMapping ColumnMapping::fromOptions(const std::string& file, const std::string& spec)
{
    ColumnMapping mapping = file.empty() ? ColumnMapping{} : read(file);
    if (spec.empty())
        return mapping;
    const ColumnMapping given = parse(spec);
    for (const auto& [target, sources] : given.columns)
        mapping.columns[target] = sources;
    if (!given.codePrefix.empty())
        mapping.codePrefix = given.codePrefix;
    return mapping;
}

} // namespace attn
