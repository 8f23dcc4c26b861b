#include "model/monai_bundle/BundlePreprocessing.h"

#include "util/Error.h"
#include "volume/Resize.h"

#include <algorithm>

namespace attn {
namespace {

using nlohmann::json;

const std::vector<std::string> kReaderSteps{"LoadImage", "EnsureChannelFirst", "AddChannel", "EnsureType", "ToTensor", "CastToType"};
const std::vector<std::string> kApplied{"Orientation", "Spacing", "ScaleIntensityRange", "CropForeground", "Resize",
                                        "CenterSpatialCrop", "SpatialPad", "ResizeWithPadOrCrop"};

/// "monai.transforms.Spacingd" -> "Spacingd".
std::string shortName(const std::string& target)
{
    const auto dot = target.rfind('.');
    return dot == std::string::npos ? target : target.substr(dot + 1);
}

/// The transform's base name ("Spacing" for "Spacingd") when it is one of `names`, else "".
std::string baseIn(const std::string& name, const std::vector<std::string>& names)
{
    for (const std::string& n : names)
        if (name == n || name == n + "d")
            return n;
    return "";
}

/// A number or a list of 1 to 3 numbers, the last repeated (MONAI's pixdim and margins).
std::array<double, 3> triple(const ConfigReader& r, const std::string& key, double fallback)
{
    if (!r.has(key))
        return {fallback, fallback, fallback};
    const json& v = r.value(key);
    if (v.is_number())
        return {v.get<double>(), v.get<double>(), v.get<double>()};
    check<FormatError>(v.is_array() && !v.empty() && v.size() <= 3 && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_number(); }),
                       "'" + key + "' is " + v.dump() + ", not a number or a list of up to three");
    std::array<double, 3> out{};
    for (std::size_t a = 0; a < 3; ++a)
        out[a] = v[std::min(a, v.size() - 1)].get<double>();
    return out;
}

std::array<int, 3> intTriple(const ConfigReader& r, const std::string& key, int fallback)
{
    const auto d = triple(r, key, fallback);
    return {static_cast<int>(d[0]), static_cast<int>(d[1]), static_cast<int>(d[2])};
}

/// The first of a per-key argument (Spacingd's mode may be a list: the image's first).
std::string firstString(const ConfigReader& r, const std::string& key, const std::string& fallback)
{
    if (!r.has(key))
        return fallback;
    const json& v = r.value(key);
    const json& first = v.is_array() && !v.empty() ? v[0] : v;
    check<FormatError>(first.is_string(), "'" + key + "' is " + v.dump() + ", not a name");
    return first.get<std::string>();
}

/// CenterSpatialCrop (roi_size), SpatialPad and ResizeWithPadOrCrop (spatial_size, method; zero padding).
void readCropOrPad(const std::string& base, const ConfigReader& r, MonaiStep& s)
{
    s.kind = base == "CenterSpatialCrop" ? MonaiStep::Kind::CenterSpatialCrop
        : base == "SpatialPad"           ? MonaiStep::Kind::SpatialPad
                                         : MonaiStep::Kind::ResizeWithPadOrCrop;
    s.size = intTriple(r, s.kind == MonaiStep::Kind::CenterSpatialCrop ? "roi_size" : "spatial_size", -1);
    if (s.kind == MonaiStep::Kind::CenterSpatialCrop)
        return;
    s.padAtEnd = r.oneOfOr("method", {"symmetric", "end"}, "symmetric") == "end";
    const std::string mode = firstString(r, "mode", "constant");
    check<FormatError>(mode == "constant" && (!r.has("value") || r.value("value") == 0),
                       "padding other than with zeros (mode \"" + mode + "\")");
}

MonaiStep readStep(const std::string& base, const std::string& name, const ConfigReader& r)
{
    MonaiStep s;
    s.name = name;
    if (base == "Orientation") {
        s.kind = MonaiStep::Kind::Orientation;
        s.axcodes = r.string("axcodes");
    } else if (base == "Spacing") {
        s.kind = MonaiStep::Kind::Spacing;
        s.pixdim = triple(r, "pixdim", 0.0);
        const std::string mode = firstString(r, "mode", "bilinear");
        check<FormatError>(mode == "bilinear", "mode \"" + mode + "\" (attnscope resamples the image bilinearly)");
        check<FormatError>(!r.booleanOr("diagonal", false), "'diagonal': true (attnscope keeps the study's axes)");
    } else if (base == "ScaleIntensityRange") {
        s.kind = MonaiStep::Kind::ScaleIntensityRange;
        s.aMin = r.real("a_min");
        s.aMax = r.real("a_max");
        if (r.has("b_min") && !r.value("b_min").is_null())
            s.bMin = r.real("b_min");
        if (r.has("b_max") && !r.value("b_max").is_null())
            s.bMax = r.real("b_max");
        s.clip = r.booleanOr("clip", false);
    } else if (base == "CropForeground") {
        s.kind = MonaiStep::Kind::CropForeground;
        check<FormatError>(!r.has("select_fn"), "a select_fn of its own (attnscope selects voxels above 0, MONAI's default)");
        s.margin = intTriple(r, "margin", 0);
        s.kDivisible = intTriple(r, "k_divisible", 1);
        s.allowSmaller = r.booleanOr("allow_smaller", false);
    } else if (base != "Resize") {
        readCropOrPad(base, r, s);
    } else {
        s.kind = MonaiStep::Kind::Resize;
        s.size = intTriple(r, "spatial_size", -1);
        s.mode = firstString(r, "mode", "area");
        check<FormatError>(std::find(std::begin(kResizeModes), std::end(kResizeModes), s.mode) != std::end(kResizeModes),
                           "mode \"" + s.mode + "\" (attnscope resizes by area, trilinear or nearest)");
        check<FormatError>(r.stringOr("size_mode", "all") == "all", "size_mode other than \"all\"");
    }
    return s;
}

/// The keys a dictionary transform works on (empty: an array transform, on the image).
std::vector<std::string> keysOf(const json& t)
{
    const auto it = t.find("keys");
    if (it == t.end())
        return {};
    if (it->is_string())
        return {it->get<std::string>()};
    std::vector<std::string> keys;
    if (it->is_array())
        for (const json& k : *it)
            if (k.is_string())
                keys.push_back(k.get<std::string>());
    return keys;
}

/// The image's key: the first that LoadImaged loads, else "image".
std::string imageKey(const json& transforms)
{
    for (const json& t : transforms)
        if (t.is_object() && t.contains("_target_") && t["_target_"].is_string() && shortName(t["_target_"].get<std::string>()) == "LoadImaged"
            && !keysOf(t).empty())
            return keysOf(t).front();
    return "image";
}

void readTransform(const json& t, const std::string& image, std::size_t index, MonaiPreprocessing& p)
{
    const std::string where = "transform " + std::to_string(index);
    if (!t.is_object() || !t.contains("_target_") || !t["_target_"].is_string()) {
        p.notApplied.push_back(where + ": not a transform with a _target_ (" + t.dump().substr(0, 60) + ")");
        return;
    }
    const std::string name = shortName(t["_target_"].get<std::string>());
    const std::vector<std::string> keys = keysOf(t);
    if (t.contains("_disabled_") && t["_disabled_"] == true)
        return p.notApplied.push_back(name + ": disabled in the bundle");
    if (!keys.empty() && std::find(keys.begin(), keys.end(), image) == keys.end())
        return p.notApplied.push_back(name + ": works on '" + keys.front() + "', not the image");
    if (!baseIn(name, kReaderSteps).empty())
        return p.byReader.push_back(name + ": done by reading the study (one channel, float32, MONAI's x, y, z axes)");
    const std::string base = baseIn(name, kApplied);
    if (base.empty())
        return p.notApplied.push_back(name + ": not a transform attnscope applies");
    try {
        p.steps.push_back(readStep(base, name, ConfigReader(t, name)));
    } catch (const FormatError& e) {
        p.notApplied.push_back(name + ": " + e.what());
    }
}

void readInferer(const ConfigReader& r, SlidingWindowSettings& s)
{
    const json& inferer = r.value("inferer");
    if (!inferer.is_object())
        return;
    const ConfigReader i(inferer, r.where() + ": inferer");
    if (i.has("overlap") && i.value("overlap").is_number())
        s.overlap = std::clamp(i.real("overlap"), 0.0, 0.99);
    if (i.has("mode") && i.value("mode").is_string())
        s.gaussian = i.string("mode") == "gaussian";
    if (i.has("sigma_scale") && i.value("sigma_scale").is_number())
        s.sigmaScale = i.real("sigma_scale");
}

} // namespace

MonaiPreprocessing readMonaiPreprocessing(const ConfigReader& config)
{
    MonaiPreprocessing p;
    if (config.has("inferer"))
        readInferer(config, p.inferer);
    if (!config.has("preprocessing"))
        return p;
    const json& transforms = config.value("preprocessing");
    if (!transforms.is_array()) {
        p.notApplied.push_back("preprocessing: not a list of transforms attnscope can read (" + transforms.dump().substr(0, 80) + ")");
        return p;
    }
    const std::string image = imageKey(transforms);
    for (std::size_t i = 0; i < transforms.size(); ++i)
        readTransform(transforms[i], image, i, p);
    return p;
}

} // namespace attn
