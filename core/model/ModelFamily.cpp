#include "model/ModelFamily.h"

#include "model/ModelFamilyTable.h"
#include "util/Error.h"

#include <algorithm>

namespace attn {
namespace {

using nlohmann::json;

const std::vector<ModelFamilyEntry>& families()
{
    static const std::vector<ModelFamilyEntry> table{torchEncoderFamily(), bertFamily(), ctEncoderFamily(),
                                                         msaTransformerFamily(), esmFamily(), ehrEncoderFamily()};
    return table;
}

std::string quotedNames(const std::vector<std::string>& names)
{
    std::string s;
    for (const auto& n : names)
        s += (s.empty() ? "\"" : ", \"") + n + "\"";
    return s;
}

const ModelFamilyEntry& familyOf(const ConfigReader& config)
{
    const auto& table = families();
    if (config.has("family")) {
        const std::string name = config.string("family");
        const auto it = std::find_if(table.begin(), table.end(), [&](const ModelFamilyEntry& e) { return e.name == name; });
        check<FormatError>(it != table.end(), config.where() + ": 'family' is \"" + name + "\"; expected one of "
                                                  + quotedNames(modelFamilyNames()));
        return *it;
    }
    std::vector<std::string> types;
    for (const auto& e : table)
        if (!e.modelType.empty())
            types.push_back(e.modelType);
    check<FormatError>(config.has("model_type"), config.where() + ": missing key 'family' (one of " + quotedNames(modelFamilyNames())
                                                     + ") or Hugging Face 'model_type' (one of " + quotedNames(types) + ")");
    const std::string type = config.string("model_type");
    const auto it = std::find_if(table.begin(), table.end(), [&](const ModelFamilyEntry& e) { return !e.modelType.empty() && e.modelType == type; });
    check<FormatError>(it != table.end(), config.where() + ": 'model_type' is \"" + type + "\"; supported: " + quotedNames(types));
    return *it;
}

const ModelFamilyEntry& entryNamed(const std::string& family)
{
    const auto& table = families();
    const auto it = std::find_if(table.begin(), table.end(), [&](const ModelFamilyEntry& e) { return e.name == family; });
    check<Error>(it != table.end(), "no model family '" + family + "'");
    return *it;
}

} // namespace

std::shared_ptr<const Model> loadModelDirectory(const std::filesystem::path& directory)
{
    std::error_code ec;
    check<IoError>(std::filesystem::is_directory(directory, ec),
                   directory.string() + ": not a model directory (expected a folder with config.json and its weights)");
    const std::filesystem::path file = directory / "config.json";
    const json parsed = ConfigReader::parseFile(file);
    const ConfigReader config(parsed, file.string());
    return familyOf(config).load(directory, config);
}

std::string describeModel(const Model& model, const std::string& path)
{
    const ModelConfig& c = model.encoderConfig();
    json info = {
        {"path", path},
        {"family", c.family},
        {"d_model", c.dModel},
        {"n_heads", c.nHeads},
        {"n_layers", c.nLayers},
        {"dim_feedforward", c.dimFeedforward},
        {"activation", activationName(c.activation)},
        {"norm_first", c.normFirst},
        {"positional", positionalName(c.positional)},
        {"max_len", c.maxLen},
        {"labels", c.labels},
        {"parameters", model.weights().parameterCount()},
        {"weights", model.weights().source()},
    };
    entryNamed(c.family).describe(model, info);
    return info.dump(2);
}

std::vector<std::string> modelFamilyNames()
{
    std::vector<std::string> names;
    for (const auto& e : families())
        names.push_back(e.name);
    return names;
}

} // namespace attn
