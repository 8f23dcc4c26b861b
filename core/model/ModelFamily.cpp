#include "model/ModelFamily.h"

#include "io/BinaryFile.h"
#include "io/JsonFile.h"
#include "model/ModelFamilyTable.h"
#include "util/Error.h"
#include "util/SystemInfo.h"

#include <algorithm>

namespace attn {
namespace {

using nlohmann::json;

const std::vector<ModelFamilyEntry>& families()
{
    static const std::vector<ModelFamilyEntry> table{torchEncoderFamily(), bertFamily(), dnabert2Family(), ctEncoderFamily(),
                                                         msaTransformerFamily(), esmFamily(), ehrEncoderFamily(),
                                                         monaiVitFamily(), monaiUnetrFamily()};
    return table;
}

std::string quotedNames(const std::vector<std::string>& names)
{
    std::string s;
    for (const auto& n : names)
        s += (s.empty() ? "\"" : ", \"") + n + "\"";
    return s;
}

/// The family whose remoteModules hold a module that config.json's auto_map names ("module.Class").
const ModelFamilyEntry* familyOfRemoteCode(const json& config)
{
    const auto it = config.find("auto_map");
    if (it == config.end() || !it->is_object())
        return nullptr;
    for (const json& value : *it) {
        if (!value.is_string())
            continue;
        const std::string target = value.get<std::string>();
        const std::string module = target.substr(target.rfind("--") == std::string::npos ? 0 : target.rfind("--") + 2);
        for (const ModelFamilyEntry& e : families())
            for (const std::string& m : e.remoteModules)
                if (module.rfind(m + ".", 0) == 0)
                    return &e;
    }
    return nullptr;
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
    if (const ModelFamilyEntry* e = familyOfRemoteCode(config.raw())) // before model_type, which such configs may lack or get wrong
        return *e;
    std::vector<std::string> types, modules;
    for (const auto& e : table) {
        if (!e.modelType.empty())
            types.push_back(e.modelType);
        modules.insert(modules.end(), e.remoteModules.begin(), e.remoteModules.end());
    }
    check<FormatError>(config.has("model_type"), config.where() + ": missing key 'family' (one of " + quotedNames(modelFamilyNames())
                                                     + "), Hugging Face 'model_type' (one of " + quotedNames(types)
                                                     + ") or an 'auto_map' naming a module of " + quotedNames(modules));
    const std::string type = config.string("model_type");
    const auto it = std::find_if(table.begin(), table.end(), [&](const ModelFamilyEntry& e) { return !e.modelType.empty() && e.modelType == type; });
    check<FormatError>(it != table.end(), config.where() + ": 'model_type' is \"" + type + "\"; supported: " + quotedNames(types));
    return *it;
}

const std::vector<ModelFormat>& formats()
{
    static const std::vector<ModelFormat> table{fairEsmFormat(), monaiBundleFormat()};
    return table;
}

/// The format that recognises the path (a file, or a folder without config.json), or null.
const ModelFormat* formatOf(const std::filesystem::path& path)
{
    for (const ModelFormat& f : formats())
        if (f.recognises(path))
            return &f;
    return nullptr;
}

} // namespace

ModelWeights ModelSource::takeTensors()
{
    if (!weights)
        return readModelWeights(directory);
    ModelWeights out = std::move(*weights);
    weights.reset();
    return out;
}

std::shared_ptr<const Weights> ModelSource::takeWeights()
{
    ModelWeights w = takeTensors();
    return std::make_shared<const Weights>(std::move(w.tensors), std::move(w.source));
}

const ModelFamilyEntry& modelFamily(const std::string& name)
{
    const auto& table = families();
    const auto it = std::find_if(table.begin(), table.end(), [&](const ModelFamilyEntry& e) { return e.name == name; });
    check<Error>(it != table.end(), "no model family '" + name + "'");
    return *it;
}

bool isModelPath(const std::filesystem::path& path)
{
    return isRegularFile(path / "config.json") || formatOf(path) != nullptr;
}

namespace {

/// loadModelPath without giving memory back.
std::shared_ptr<const Model> loadModelFrom(const std::filesystem::path& path)
{
    const std::filesystem::path file = path / "config.json";
    if (!isRegularFile(file)) {
        const ModelFormat* format = formatOf(path);
        std::error_code ec;
        check<IoError>(format || isRegularFile(path) || std::filesystem::is_directory(path, ec), path.string() + ": not a model directory: no such file or folder");
        check<FormatError>(format != nullptr, path.string() + ": not a model (expected a folder with config.json and its weights, a MONAI "
                                                  "bundle (configs/inference.json and models/model.pt), or a fair-esm checkpoint: a .pt "
                                                  "file holding 'model' and 'args' or 'cfg')");
        return format->load(path);
    }
    const json parsed = readJsonObject(file);
    const ConfigReader config(parsed, file.string());
    ModelSource source{path, std::nullopt};
    return familyOf(config).load(source, config);
}

} // namespace

std::shared_ptr<const Model> loadModelPath(const std::filesystem::path& path)
{
    std::shared_ptr<const Model> model = loadModelFrom(path);
    releaseFreedMemory(); // the tensors read and renamed at load are freed: give their pages back
    return model;
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
    modelFamily(c.family).describe(model, info);
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
