#include "io/SafeTensors.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>

namespace attn {
namespace {

using json = nlohmann::json;

constexpr std::uint64_t kMaxHeaderBytes = 100u << 20; // the reference implementation's limit

struct Entry {
    std::string name;
    DType dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    bool integer = false; ///< An integer or boolean buffer (Hugging Face's position_ids): checked, not read.
};

/// Bytes per element of the integer and boolean dtypes, 0 for any other name.
int integerWidth(const std::string& name)
{
    static const std::pair<const char*, int> widths[] = {{"I64", 8}, {"U64", 8}, {"I32", 4}, {"U32", 4}, {"I16", 2},
                                                         {"U16", 2}, {"I8", 1},  {"U8", 1},  {"BOOL", 1}};
    for (const auto& [n, w] : widths)
        if (name == n)
            return w;
    return 0;
}

DType parseDType(const std::string& name, const std::string& where)
{
    if (name == "F32")
        return DType::F32;
    if (name == "F16")
        return DType::F16;
    if (name == "BF16")
        return DType::BF16;
    throw FormatError(where + " has unsupported dtype '" + name + "' (attnscope reads F32, F16 and BF16)");
}

std::uint64_t readHeaderLength(const std::string& bytes8)
{
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(bytes8[static_cast<std::size_t>(i)]);
    return n;
}

std::vector<std::int64_t> parseShape(const json& value, const std::string& where, std::uint64_t& numel)
{
    check<FormatError>(value.is_array(), where + ": 'shape' must be an array of non-negative integers");
    std::vector<std::int64_t> shape;
    for (const auto& extent : value) {
        check<FormatError>(extent.is_number_unsigned() && extent.get<std::uint64_t>() <= kMaxFileElements,
                           where + ": 'shape' must be an array of non-negative integers of plausible size");
        shape.push_back(static_cast<std::int64_t>(extent.get<std::uint64_t>()));
    }
    numel = fileElementCount(shape, where);
    return shape;
}

Entry parseEntry(const std::string& name, const json& value, const std::string& file, std::uint64_t dataBytes)
{
    const std::string where = file + ": tensor '" + name + "'";
    check<FormatError>(value.is_object(), where + ": entry must be a JSON object");
    for (const char* key : {"dtype", "shape", "data_offsets"})
        check<FormatError>(value.contains(key), where + ": missing '" + key + "'");
    check<FormatError>(value["dtype"].is_string(), where + ": 'dtype' must be a string");
    const std::string dtype = value["dtype"].get<std::string>();
    const int intWidth = integerWidth(dtype);
    Entry e{name, intWidth > 0 ? DType::F32 : parseDType(dtype, where), {}, 0, 0, intWidth > 0};
    std::uint64_t numel = 0;
    e.shape = parseShape(value["shape"], where, numel);
    const json& offsets = value["data_offsets"];
    check<FormatError>(offsets.is_array() && offsets.size() == 2 && offsets[0].is_number_unsigned()
                           && offsets[1].is_number_unsigned(),
                       where + ": 'data_offsets' must be [begin, end]");
    e.begin = offsets[0].get<std::uint64_t>();
    e.end = offsets[1].get<std::uint64_t>();
    check<FormatError>(e.begin <= e.end, where + ": data_offsets begin " + std::to_string(e.begin)
                                             + " is after end " + std::to_string(e.end));
    check<FormatError>(e.end <= dataBytes, where + ": data_offsets [" + std::to_string(e.begin) + ", "
                                               + std::to_string(e.end) + "] run past the end of the data ("
                                               + std::to_string(dataBytes) + " bytes; file truncated?)");
    const std::uint64_t expected = numel * static_cast<std::uint64_t>(e.integer ? intWidth : dtypeSize(e.dtype));
    check<FormatError>(e.end - e.begin == expected,
                       where + ": shape " + shapeString(e.shape) + " of " + dtype + " needs "
                           + std::to_string(expected) + " bytes but data_offsets span "
                           + std::to_string(e.end - e.begin));
    return e;
}

void checkNoOverlap(std::vector<Entry> entries, const std::string& file)
{
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < entries.size(); ++i)
        check<FormatError>(entries[i].begin >= entries[i - 1].end,
                           file + ": tensors '" + entries[i - 1].name + "' and '" + entries[i].name
                               + "' overlap in the data section");
}

std::vector<Entry> parseHeader(const std::string& text, const std::string& file, std::uint64_t dataBytes)
{
    json header;
    try {
        header = json::parse(text);
    } catch (const json::exception& e) { // parse_error, or out_of_range for a number beyond double
        throw FormatError(file + ": header is not valid JSON (" + e.what() + ")");
    }
    check<FormatError>(header.is_object(), file + ": header must be a JSON object");
    std::vector<Entry> entries;
    for (const auto& [name, value] : header.items()) {
        if (name != "__metadata__")
            entries.push_back(parseEntry(name, value, file, dataBytes));
    }
    checkNoOverlap(entries, file);
    return entries;
}

void convert(const char* src, DType dtype, std::size_t n, float* dst)
{
    switch (dtype) {
    case DType::F32:
        std::memcpy(dst, src, n * sizeof(float));
        break;
    case DType::F16:
        for (std::size_t i = 0; i < n; ++i) {
            std::uint16_t bits;
            std::memcpy(&bits, src + 2 * i, 2);
            dst[i] = static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(bits));
        }
        break;
    case DType::BF16:
        for (std::size_t i = 0; i < n; ++i) {
            std::uint16_t bits;
            std::memcpy(&bits, src + 2 * i, 2);
            dst[i] = static_cast<float>(Eigen::numext::bit_cast<Eigen::bfloat16>(bits));
        }
        break;
    }
}

void appendConverted(std::string& out, const std::vector<float>& data, DType dtype)
{
    for (float v : data) {
        if (dtype == DType::F32) {
            out.append(reinterpret_cast<const char*>(&v), 4);
            continue;
        }
        const std::uint16_t bits = dtype == DType::F16
            ? Eigen::numext::bit_cast<std::uint16_t>(Eigen::half(v))
            : Eigen::numext::bit_cast<std::uint16_t>(Eigen::bfloat16(v));
        out.append(reinterpret_cast<const char*>(&bits), 2);
    }
}

} // namespace

int dtypeSize(DType dtype)
{
    return dtype == DType::F32 ? 4 : 2;
}

std::string dtypeName(DType dtype)
{
    switch (dtype) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    }
    return "?";
}

TensorMap readSafeTensors(const std::filesystem::path& path)
{
    BinaryFile in(path);
    const std::string file = path.string();
    const std::uint64_t size = in.size();
    check<FormatError>(size >= 8, file + ": file is " + std::to_string(size)
                                      + " bytes, too short for a safetensors header length (8 bytes)");
    const std::uint64_t headerBytes = readHeaderLength(in.read(0, 8));
    check<FormatError>(headerBytes <= size - 8, file + ": header length " + std::to_string(headerBytes)
                                                    + " is longer than the rest of the file ("
                                                    + std::to_string(size - 8) + " bytes)");
    check<FormatError>(headerBytes <= kMaxHeaderBytes,
                       file + ": header length " + std::to_string(headerBytes) + " exceeds 100 MB");
    const std::uint64_t dataStart = 8 + headerBytes;
    const auto entries = parseHeader(in.read(8, headerBytes), file, size - dataStart);
    TensorMap tensors;
    for (const Entry& e : entries) {
        if (e.integer)
            continue; // a buffer such as position_ids: no model reads it
        const std::string bytes = in.read(dataStart + e.begin, e.end - e.begin);
        Tensor t;
        t.shape = e.shape;
        t.data.resize(static_cast<std::size_t>(t.numel()));
        convert(bytes.data(), e.dtype, t.data.size(), t.data.data());
        tensors.emplace(e.name, std::move(t));
    }
    return tensors;
}

void writeSafeTensors(const std::filesystem::path& path, const TensorMap& tensors, DType dtype)
{
    json header = json::object();
    std::string data;
    for (const auto& [name, t] : tensors) {
        const std::uint64_t begin = data.size();
        appendConverted(data, t.data, dtype);
        header[name] = {{"dtype", dtypeName(dtype)}, {"shape", t.shape}, {"data_offsets", {begin, data.size()}}};
    }
    std::string text = header.dump();
    text.append((8 - (text.size() % 8)) % 8, ' '); // keep the data section 8-byte aligned
    std::string lengthBytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        lengthBytes[static_cast<std::size_t>(i)] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
    writeBinaryFile(path, lengthBytes + text + data);
}

} // namespace attn
