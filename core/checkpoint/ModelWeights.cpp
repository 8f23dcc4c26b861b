#include "checkpoint/ModelWeights.h"

#include "checkpoint/TorchCheckpoint.h"
#include "io/BinaryFile.h"
#include "io/JsonFile.h"
#include "util/Error.h"

#include <algorithm>
#include <set>

namespace attn {
namespace {

bool isSafeTensors(const std::filesystem::path& p)
{
    return p.extension() == ".safetensors";
}

TensorMap readWeightFile(const std::filesystem::path& file)
{
    return isSafeTensors(file) ? readSafeTensors(file) : readTorchStateDict(file);
}

/// The one *.pt / *.pth file of the directory, or "" when there is none; several are refused.
std::filesystem::path singleCheckpoint(const std::filesystem::path& directory)
{
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(directory, ec)) {
        const std::string ext = e.path().extension().string();
        const std::string name = e.path().filename().string();
        if ((ext == ".pt" || ext == ".pth") && isRegularFile(e.path()) && name.find("-contact-regression") == std::string::npos)
            found.push_back(e.path());
    }
    std::sort(found.begin(), found.end());
    if (found.size() > 1)
        throw FormatError(directory.string() + ": holds " + std::to_string(found.size()) + " checkpoints (" + found[0].filename().string()
                          + ", " + found[1].filename().string() + (found.size() > 2 ? ", ..." : "") + "); keep one model per folder");
    return found.empty() ? std::filesystem::path() : found.front();
}

/// The shard files a Hugging Face index names, each checked to be a plain file beside it.
std::set<std::string> shardNames(const std::filesystem::path& index)
{
    const std::string where = index.string();
    const nlohmann::json j = readJsonObject(index);
    check<FormatError>(j.contains("weight_map") && j.at("weight_map").is_object() && !j.at("weight_map").empty(),
                       where + ": no 'weight_map' of tensor names to shard files");
    std::set<std::string> shards;
    for (const auto& [tensor, file] : j.at("weight_map").items()) {
        check<FormatError>(file.is_string(), where + ": the shard of '" + tensor + "' is not a file name");
        const std::string name = file.get<std::string>();
        check<FormatError>(!name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos && name != ".."
                               && name != ".",
                           where + ": the shard of '" + tensor + "' is '" + name + "', not a file beside the index");
        shards.insert(name);
    }
    return shards;
}

ModelWeights readShards(const std::filesystem::path& index)
{
    ModelWeights w{{}, index.string()};
    for (const std::string& shard : shardNames(index)) {
        const std::filesystem::path file = index.parent_path() / shard;
        check<FormatError>(isRegularFile(file), index.string() + ": names the shard '" + shard + "', which is not in " + index.parent_path().string());
        TensorMap part = readWeightFile(file);
        for (auto& [name, tensor] : part) {
            check<FormatError>(!w.tensors.count(name), index.string() + ": tensor '" + name + "' is in more than one shard");
            w.tensors.emplace(name, std::move(tensor));
        }
    }
    return w;
}

/// The weight file or index the directory holds, in the order of preference; "" if none.
std::filesystem::path weightFile(const std::filesystem::path& directory)
{
    for (const char* name : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"})
        if (isRegularFile(directory / name))
            return directory / name;
    return singleCheckpoint(directory);
}

} // namespace

ModelWeights readModelWeights(const std::filesystem::path& directory)
{
    const std::filesystem::path file = weightFile(directory);
    check<FormatError>(!file.empty(), directory.string() + ": no weights (expected " + modelWeightFileNames() + ")");
    if (file.extension() == ".json")
        return readShards(file);
    return {readWeightFile(file), file.string()};
}

std::string modelWeightFileNames()
{
    return "model.safetensors, pytorch_model.bin, a sharded model.safetensors.index.json or pytorch_model.bin.index.json, or one .pt / "
           ".pth file";
}

} // namespace attn
