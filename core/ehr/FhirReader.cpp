#include "ehr/FhirReader.h"

#include "ehr/FhirRead.h"
#include "io/TextFile.h"
#include "util/Error.h"

#include <algorithm>
#include <string_view>

namespace attn {
namespace {

using Json = nlohmann::json;

/// The 1-based line of a byte offset.
int lineOf(std::string_view text, std::size_t byte)
{
    byte = std::min(byte, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

/// Bad JSON, or JSON nlohmann cannot hold (a number beyond double: out_of_range), at `line` (0: unknown).
[[noreturn]] void badJson(const std::string& file, int line, const Json::exception& e)
{
    std::string what = e.what();
    if (const std::size_t cut = what.find("] "); cut != std::string::npos)
        what = what.substr(cut + 2);
    throw FormatError(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": not valid JSON (" + what + ")");
}

void readTop(const Json& value, const std::string& where, fhir::FhirRead& read, int line)
{
    check<FormatError>(value.is_object() && value.contains("resourceType"),
                       read.file + ":" + std::to_string(line) + ": not a FHIR resource (a JSON object with a resourceType)");
    fhir::readResource(value, {}, where, read);
}

bool blank(std::string_view line)
{
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// One resource per line; blank lines are allowed.
void readNdjson(std::string_view text, fhir::FhirRead& read)
{
    int number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(start, end - start);
        ++number;
        start = end + 1;
        if (blank(line))
            continue;
        Json value;
        try {
            value = Json::parse(line);
        } catch (const Json::exception& e) {
            badJson(read.file, number, e);
        }
        readTop(value, "line " + std::to_string(number), read, number);
    }
}

/// NDJSON when the first non-blank line is a whole JSON object and more follows it.
void readText(std::string_view text, fhir::FhirRead& read)
{
    check<FormatError>(text.find('\0') == std::string_view::npos, read.file + ": not a text file (it holds NUL bytes)");
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    check<FormatError>(first != std::string_view::npos, read.file + ": empty (no FHIR resources)");
    const std::size_t lineEnd = std::min(text.find('\n', first), text.size());
    const bool more = text.find_first_not_of(" \t\r\n", lineEnd) != std::string_view::npos;
    if (more && Json::accept(text.substr(first, lineEnd - first)))
        return readNdjson(text, read);
    Json value;
    try {
        value = Json::parse(text);
    } catch (const Json::parse_error& e) {
        badJson(read.file, lineOf(text, e.byte == 0 ? 0 : e.byte - 1), e);
    } catch (const Json::exception& e) {
        badJson(read.file, 0, e);
    }
    readTop(value, "the file", read, lineOf(text, first));
}

EventLoad finish(fhir::FhirRead& read)
{
    fhir::resolveReferences(read);
    EventLoad load{std::move(read.table), std::move(read.report)};
    sortEvents(load.table);
    return load;
}

} // namespace

bool hasFhirFileName(const std::filesystem::path& path)
{
    std::string name = path.filename().string();
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0)
        name.resize(name.size() - 3);
    const std::string ext = std::filesystem::path(name).extension().string();
    return ext == ".json" || ext == ".ndjson";
}

bool looksLikeFhir(const std::string& head)
{
    const std::size_t first = head.find_first_not_of(" \t\r\n");
    return first != std::string::npos && head[first] == '{' && head.find("\"resourceType\"") != std::string::npos;
}

EventLoad parseFhir(const std::string& text, const std::string& file)
{
    fhir::FhirRead read;
    read.file = file;
    readText(text, read);
    return finish(read);
}

EventLoad readFhir(const std::filesystem::path& path)
{
    fhir::FhirRead read;
    if (!std::filesystem::is_directory(path)) {
        read.file = path.string();
        readText(readMaybeGzippedText(path), read);
        return finish(read);
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(path))
        if (entry.is_regular_file() && hasFhirFileName(entry.path()))
            files.push_back(entry.path());
    check<FormatError>(!files.empty(), path.string() + ": a folder with no .ndjson or .json files");
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        read.file = file.string();
        readText(readMaybeGzippedText(file), read);
    }
    return finish(read);
}

} // namespace attn
