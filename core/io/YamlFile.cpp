#include "io/YamlFile.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace attn {
namespace {

constexpr int kMaxDepth = 64;

/// A plain scalar as YAML 1.2's core schema types it.
nlohmann::json plainScalar(const std::string& s)
{
    static const std::regex nullValue("~|null|Null|NULL|"), trueValue("true|True|TRUE"), falseValue("false|False|FALSE"),
        integer("[-+]?[0-9]+"), real("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (std::regex_match(s, nullValue))
        return nullptr;
    if (std::regex_match(s, trueValue) || std::regex_match(s, falseValue))
        return std::regex_match(s, trueValue);
    try {
        if (std::regex_match(s, integer))
            return std::stoll(s);
        if (std::regex_match(s, real))
            return std::stod(s);
    } catch (const std::exception&) { // beyond long long or double: keep the text
    }
    return s;
}

nlohmann::json toJson(const YAML::Node& node, const std::string& where, int depth)
{
    check<FormatError>(depth < kMaxDepth, where + ": nested deeper than " + std::to_string(kMaxDepth) + " levels");
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& item : node)
            out[item.first.as<std::string>()] = toJson(item.second, where, depth + 1);
        return out;
    }
    case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node)
            out.push_back(toJson(item, where, depth + 1));
        return out;
    }
    case YAML::NodeType::Scalar:
        return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : plainScalar(node.Scalar());
    default:
        return nullptr;
    }
}

} // namespace

nlohmann::json readYamlObject(const std::filesystem::path& path)
{
    const std::string text = readWholeFile(path);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw FormatError(path.string() + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML (" + e.msg + ")");
    }
    check<FormatError>(root.IsMap(), path.string() + ": must hold a YAML mapping");
    try {
        return toJson(root, path.string(), 0);
    } catch (const YAML::Exception& e) { // a key that is not a scalar
        throw FormatError(path.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

} // namespace attn
