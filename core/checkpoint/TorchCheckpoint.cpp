#include "checkpoint/TorchCheckpoint.h"

#include "checkpoint/Unpickler.h"
#include "io/BinaryFile.h"
#include "tensor/HalfConvert.h"
#include "util/Error.h"

#include <cstring>
#include <map>

namespace attn {
namespace {

using Kind = PickleValue::Kind;

/// Larger than the data.pkl of any state dict (tens of thousands of tensors take a few MB).
constexpr std::uint64_t kMaxPickleBytes = 64ull << 20;

std::string resaveAdvice(const std::filesystem::path& path)
{
    return "re-save it in Python with torch.save(torch.load('" + path.filename().string()
           + "', weights_only=True), 'model.pt') (PyTorch 1.6 or later), or as model.safetensors";
}

/// Refuses, with advice, what is not a zip-format checkpoint.
void checkFormat(const std::filesystem::path& path)
{
    check<IoError>(isRegularFile(path), path.string() + ": cannot read the file");
    const std::string head = readFileHead(path, 4);
    check<FormatError>(!(head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80),
                       path.string() + ": a PyTorch checkpoint in the legacy format (before PyTorch 1.6), which attnscope does not read; "
                           + resaveAdvice(path));
    check<FormatError>(head == std::string("PK\x03\x04", 4),
                       path.string() + ": not a PyTorch checkpoint (expected the zip archive torch.save writes)");
}

/// The top folder holding data.pkl ("archive/", or the file's stem).
std::string findPrefix(const ZipArchive& zip)
{
    std::string prefix;
    bool code = false;
    for (const std::string& name : zip.names()) {
        const std::size_t slash = name.find('/');
        if (slash != std::string::npos && name.compare(slash, std::string::npos, "/data.pkl") == 0 && prefix.empty())
            prefix = name.substr(0, slash + 1);
        code = code || (slash != std::string::npos && name.compare(slash, 6, "/code/") == 0);
    }
    check<FormatError>(!code, zip.path().string() + ": a TorchScript archive (torch.jit.save), which holds a program, not a state dict; "
                                  "save model.state_dict() with torch.save instead");
    check<FormatError>(!prefix.empty(), zip.path().string() + ": a zip archive without the data.pkl of a PyTorch checkpoint");
    return prefix;
}

void convert(const char* bytes, StorageType type, std::int64_t index, float* out)
{
    switch (type) {
    case StorageType::F32: std::memcpy(out, bytes + index * 4, 4); break;
    case StorageType::F64: {
        double d;
        std::memcpy(&d, bytes + index * 8, 8);
        *out = static_cast<float>(d);
        break;
    }
    case StorageType::F16: {
        Eigen::half h;
        std::memcpy(&h, bytes + index * 2, 2);
        halfToFloat(&h, out, 1);
        break;
    }
    case StorageType::BF16: {
        std::uint16_t b;
        std::memcpy(&b, bytes + index * 2, 2);
        const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
        std::memcpy(out, &bits, 4);
        break;
    }
    default: break;
    }
}

bool isContiguous(const PickleValue& view)
{
    std::int64_t expected = 1;
    for (std::size_t d = view.shape.size(); d-- > 0;) {
        if (view.shape[d] != 1 && view.stride[d] != expected)
            return false;
        expected *= view.shape[d];
    }
    return true;
}

/// A contiguous run of `n` elements from `first` on, converted in bulk.
void convertRun(const char* bytes, StorageType type, std::int64_t first, std::size_t n, float* out)
{
    if (type == StorageType::F32)
        std::memcpy(out, bytes + first * 4, n * 4);
    else if (type == StorageType::F16)
        halfToFloat(reinterpret_cast<const Eigen::half*>(bytes + first * 2), out, n);
    else
        for (std::size_t i = 0; i < n; ++i)
            convert(bytes, type, first + static_cast<std::int64_t>(i), out + i);
}

/// The tensor's elements in C order, gathered from its storage through its strides.
Tensor gather(const PickleValue& view, const PickleValue& storage, const std::string& bytes)
{
    Tensor t;
    t.shape = view.shape;
    t.data.resize(static_cast<std::size_t>(t.numel()));
    if (isContiguous(view)) {
        convertRun(bytes.data(), storage.storage, view.number, t.data.size(), t.data.data());
        return t;
    }
    std::vector<std::int64_t> index(view.shape.size(), 0);
    for (std::size_t i = 0; i < t.data.size(); ++i) {
        std::int64_t at = view.number;
        for (std::size_t d = 0; d < index.size(); ++d)
            at += index[d] * view.stride[d];
        convert(bytes.data(), storage.storage, at, &t.data[i]);
        for (std::size_t d = index.size(); d-- > 0;) { // odometer, last dimension fastest
            if (++index[d] < view.shape[d])
                break;
            index[d] = 0;
        }
    }
    return t;
}

} // namespace

TorchCheckpoint::TorchCheckpoint(const std::filesystem::path& path) : zip_((checkFormat(path), path))
{
    prefix_ = findPrefix(zip_);
    if (zip_.has(entry("byteorder")))
        check<FormatError>(zip_.read(entry("byteorder"), 16) == "little",
                           path.string() + ": a big-endian checkpoint; " + resaveAdvice(path) + " on a little-endian machine");
    graph_ = unpickle(zip_.read(entry("data.pkl"), kMaxPickleBytes), path.string() + ": " + entry("data.pkl"));
}

PickleRef TorchCheckpoint::stateDict() const
{
    const auto holdsTensors = [&](PickleRef ref) {
        if (!graph_.is(ref, Kind::Dict))
            return false;
        for (const auto& [key, value] : graph_.at(ref).entries)
            if (graph_.is(value, Kind::Tensor))
                return true;
        return false;
    };
    if (holdsTensors(graph_.root()))
        return graph_.root();
    for (const char* key : {"state_dict", "model", "module"})
        if (const auto under = graph_.field(graph_.root(), key); under && holdsTensors(*under))
            return *under;
    throw FormatError(path().string() + ": holds no state dict (a dict of tensors at the top, or under 'state_dict', 'model' or 'module')");
}

TensorMap TorchCheckpoint::tensors(PickleRef dict) const
{
    std::map<PickleRef, std::vector<std::pair<std::string, PickleRef>>> byStorage; // each storage read once
    for (const auto& [key, value] : graph_.at(dict).entries)
        if (graph_.is(key, Kind::Text) && graph_.is(value, Kind::Tensor))
            byStorage[graph_.at(value).items.at(0)].emplace_back(graph_.at(key).text, value);
    TensorMap out;
    for (const auto& [storageRef, named] : byStorage) {
        const PickleValue& storage = graph_.at(storageRef);
        const std::string name = entry("data/" + storage.text);
        const auto bytes = static_cast<std::uint64_t>(storage.number) * static_cast<std::uint64_t>(storageItemSize(storage.storage));
        check<FormatError>(zip_.has(name), path().string() + ": tensor '" + named.front().first + "' needs the missing entry '" + name + "'");
        check<FormatError>(zip_.size(name) >= bytes, path().string() + ": entry '" + name + "' holds " + std::to_string(zip_.size(name))
                                                         + " bytes, fewer than the " + std::to_string(bytes) + " bytes tensor '" + named.front().first + "' needs");
        if (!isFloatStorage(storage.storage))
            continue; // integer buffers: checked, not weights
        std::string data(bytes, '\0');
        zip_.read(name, data.data(), bytes);
        for (const auto& [tensorName, view] : named)
            out[tensorName] = gather(graph_.at(view), storage, data);
    }
    return out;
}

TensorMap readTorchStateDict(const std::filesystem::path& path)
{
    const TorchCheckpoint checkpoint(path);
    return checkpoint.tensors(checkpoint.stateDict());
}

} // namespace attn
