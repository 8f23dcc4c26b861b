#include "io/JsonFile.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

namespace attn {

nlohmann::json readJsonObject(const std::filesystem::path& path)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readWholeFile(path));
    } catch (const nlohmann::json::exception& e) { // parse_error, or out_of_range for a number beyond double
        throw FormatError(path.string() + ": not valid JSON (" + e.what() + ")");
    }
    check<FormatError>(j.is_object(), path.string() + ": must be a JSON object");
    return j;
}

} // namespace attn
