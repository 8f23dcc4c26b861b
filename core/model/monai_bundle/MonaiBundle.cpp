// MONAI bundles opened as models (a ModelFormat recognising a folder). The bundle config syntax is
// MONAI's (monai/bundle/config_parser.py, reference_resolver.py): ids separated by "::" (or "#"
// before MONAI 1.2), "@id" references, "$" Python expressions and "%" macros; "_target_" names the
// component class.

#include "model/monai_bundle/MonaiBundle.h"

#include "checkpoint/TorchCheckpoint.h"
#include "io/BinaryFile.h"
#include "io/JsonFile.h"
#include "io/YamlFile.h"
#include "model/ModelFamilyTable.h"
#include "util/Error.h"

#include <algorithm>

namespace attn {
namespace {

using nlohmann::json;

constexpr int kMaxReferenceDepth = 32;

std::filesystem::path configFile(const std::filesystem::path& bundle)
{
    for (const char* name : {"inference.json", "inference.yaml", "inference.yml"})
        if (isRegularFile(bundle / "configs" / name))
            return bundle / "configs" / name;
    return {};
}

bool isBundle(const std::filesystem::path& path)
{
    return !isRegularFile(path / "config.json") && !configFile(path).empty();
}

/// The config value at a "::"- or "#"-separated id, or null when there is none.
const json* lookUp(const json& root, const std::string& id)
{
    const json* at = &root;
    std::size_t start = 0;
    while (at) {
        const std::size_t sep = std::min(id.find("::", start), id.find('#', start));
        const std::string key = id.substr(start, sep == std::string::npos ? std::string::npos : sep - start);
        if (at->is_object())
            at = at->contains(key) ? &at->at(key) : nullptr;
        else if (at->is_array() && !key.empty() && key.find_first_not_of("0123456789") == std::string::npos && std::stoul(key) < at->size())
            at = &at->at(std::stoul(key));
        else
            at = nullptr;
        if (sep == std::string::npos)
            break;
        start = sep + (id.compare(sep, 2, "::") == 0 ? 2 : 1);
    }
    return at;
}

/// A string value resolved: "@id" followed; "$" and "%" refused, or kept as they are when `lenient`
/// (as is a reference that cannot be followed).
json resolve(const BundleConfig& c, const json& value, const std::string& id, int depth, bool lenient);

json resolveString(const BundleConfig& c, const json& value, const std::string& id, int depth, bool lenient)
{
    const std::string where = c.file.string() + ": '" + id + "'";
    const std::string s = value.get<std::string>();
    if (s.empty() || (s[0] != '$' && s[0] != '%' && s[0] != '@'))
        return value;
    check<FormatError>(lenient || s[0] == '@', where + " is " + (s[0] == '$' ? "a Python expression" : "a macro") + " (\"" + s
                                                   + "\"), which attnscope does not evaluate: write its value instead");
    if (s[0] != '@')
        return value;
    const json* target = lookUp(c.root, s.substr(1));
    if (lenient && (!target || depth + 1 >= kMaxReferenceDepth))
        return value;
    check<FormatError>(target != nullptr, where + " refers to \"" + s + "\", which the config does not define");
    return resolve(c, *target, s.substr(1), depth + 1, lenient);
}

json resolve(const BundleConfig& c, const json& value, const std::string& id, int depth, bool lenient)
{
    check<FormatError>(depth < kMaxReferenceDepth, c.file.string() + ": '" + id + "': references nested deeper than "
                                                       + std::to_string(kMaxReferenceDepth) + " (a cycle?)");
    if (value.is_string())
        return resolveString(c, value, id, depth, lenient);
    json out = value;
    if (value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            out[it.key()] = resolve(c, it.value(), id + "::" + it.key(), depth + 1, lenient);
    else if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
            out[i] = resolve(c, value[i], id + "::" + std::to_string(i), depth + 1, lenient);
    return out;
}

} // namespace

BundleConfig readBundleConfig(const std::filesystem::path& bundle)
{
    const std::filesystem::path file = configFile(bundle);
    check<FormatError>(!file.empty(), bundle.string() + ": not a MONAI bundle (no configs/inference.json or configs/inference.yaml)");
    const std::string ext = file.extension().string();
    return {file, ext == ".json" ? readJsonObject(file) : readYamlObject(file)};
}

json resolveBundleValue(const BundleConfig& config, const std::string& id, bool lenient)
{
    const json* value = lookUp(config.root, id);
    check<FormatError>(value != nullptr, config.file.string() + ": no '" + id + "'");
    return resolve(config, *value, id, 0, lenient);
}

namespace {

/// The family of a network_def's _target_ ("UNETR", "monai.networks.nets.UNETR", ...).
std::string familyOfTarget(const BundleConfig& c, const json& network)
{
    const std::string where = c.file.string() + ": 'network_def::_target_'";
    check<FormatError>(network.is_object() && network.contains("_target_") && network.at("_target_").is_string(),
                       where + " is missing: the network_def must name its class");
    const std::string target = network.at("_target_").get<std::string>();
    const std::string name = target.substr(target.rfind('.') == std::string::npos ? 0 : target.rfind('.') + 1);
    if (name == "UNETR")
        return "monai_unetr";
    if (name == "ViT")
        return "monai_vit";
    throw FormatError(where + " is \"" + target + "\"; attnscope opens MONAI's ViT (with classification) and UNETR");
}

/// The preprocessing transforms (Compose's list) and the inferer, for the family's config; their
/// Python expressions are kept as text, and reported as not applied where they matter.
void addPreprocessing(const BundleConfig& config, json& network)
{
    if (lookUp(config.root, "preprocessing")) {
        json pre = resolveBundleValue(config, "preprocessing", true);
        network["preprocessing"] = pre.is_object() && pre.contains("transforms") ? pre["transforms"] : pre;
    }
    if (lookUp(config.root, "inferer"))
        network["inferer"] = resolveBundleValue(config, "inferer", true);
}

/// The output channels' names from configs/metadata.json (network_data_format's outputs.pred.channel_def,
/// as MONAI's model zoo writes them), when it names one for each channel from 0.
void addChannelNames(const std::filesystem::path& bundle, json& network)
{
    const std::filesystem::path file = bundle / "configs" / "metadata.json";
    if (!isRegularFile(file))
        return;
    const json meta = readJsonObject(file);
    const json* defs = lookUp(meta, "network_data_format::outputs::pred::channel_def");
    if (!defs || !defs->is_object())
        return;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < defs->size(); ++i) {
        const auto it = defs->find(std::to_string(i));
        if (it == defs->end() || !it->is_string())
            return;
        names.push_back(it->get<std::string>());
    }
    network["labels"] = names;
}

/// models/model.pt as a state dict (a TorchScript model.ts alone is refused by name).
ModelWeights bundleWeights(const std::filesystem::path& bundle)
{
    const std::filesystem::path pt = bundle / "models" / "model.pt";
    if (!isRegularFile(pt)) {
        check<FormatError>(!isRegularFile(bundle / "models" / "model.ts"),
                           (bundle / "models" / "model.ts").string() + ": a TorchScript model, which attnscope does not run (it "
                               "would execute the file's code); the bundle's models/model.pt state dict is needed");
        throw FormatError(pt.string() + ": missing; a bundle's weights are models/model.pt (its state dict)");
    }
    return {readTorchStateDict(pt), pt.string()};
}

std::shared_ptr<const Model> loadBundle(const std::filesystem::path& bundle)
{
    const BundleConfig config = readBundleConfig(bundle);
    json network = resolveBundleValue(config, "network_def");
    const std::string family = familyOfTarget(config, network);
    network.erase("_target_");
    network["family"] = family;
    addPreprocessing(config, network);
    addChannelNames(bundle, network);
    ModelSource source{bundle, bundleWeights(bundle)};
    const ConfigReader reader(network, config.file.string() + ": network_def");
    return modelFamily(family).load(source, reader);
}

} // namespace

ModelFormat monaiBundleFormat()
{
    return {"MONAI bundle", isBundle, loadBundle};
}

} // namespace attn
