#include "io/Npy.h"

#include "io/BinaryFile.h"
#include "util/Error.h"

#include <cstring>
#include <algorithm>

namespace attn {
namespace {

const std::string kMagic = "\x93NUMPY";

std::string headerDict(const std::vector<std::int64_t>& shape)
{
    std::string dims;
    for (auto extent : shape)
        dims += std::to_string(extent) + ",";
    if (shape.size() > 1)
        dims.pop_back(); // numpy writes (3,) for 1-D and (2, 3) otherwise
    return "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
}

std::vector<std::int64_t> parseShape(const std::string& header, const std::string& file)
{
    // 'shape': (d0, d1, ...): read by hand (std::regex recurses per character and would
    // overflow the stack on a long header)
    std::size_t at = header.find("'shape'");
    check<FormatError>(at != std::string::npos, file + ": NPY header has no shape");
    at = header.find_first_not_of(" \t", at + 7);
    check<FormatError>(at != std::string::npos && header[at] == ':', file + ": NPY header has no shape");
    at = header.find_first_not_of(" \t", at + 1);
    const std::size_t close = at == std::string::npos ? at : header.find(')', at);
    check<FormatError>(at != std::string::npos && header[at] == '(' && close != std::string::npos,
                       file + ": NPY header has no shape");
    const std::string dims = header.substr(at + 1, close - at - 1);
    std::vector<std::int64_t> shape;
    for (std::size_t i = 0; i < dims.size();) {
        const std::size_t digits = dims.find_first_not_of("0123456789", i);
        const std::size_t end = digits == std::string::npos ? dims.size() : digits;
        if (end > i) {
            check<FormatError>(end - i <= 13, file + ": NPY shape (" + dims + ") is implausibly large"); // 13 digits > 2^40
            shape.push_back(std::stoll(dims.substr(i, end - i)));
        } else {
            check<FormatError>(dims[i] == ',' || dims[i] == ' ', file + ": NPY shape (" + dims + ") is not a tuple of integers");
        }
        i = std::max(end, i + 1);
    }
    return shape;
}

} // namespace

std::string encodeNpy(const std::vector<std::int64_t>& shape, const float* data)
{
    std::string header = headerDict(shape);
    const std::size_t unpadded = kMagic.size() + 2 + 2 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::string bytes = kMagic + std::string("\x01\x00", 2);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>((header.size() >> 8) & 0xff);
    bytes += header;
    std::int64_t n = 1;
    for (auto extent : shape)
        n *= extent;
    bytes.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n) * sizeof(float));
    return bytes;
}

std::string encodeNpy(const Tensor& tensor)
{
    return encodeNpy(tensor.shape, tensor.data.data());
}

void writeNpy(const std::filesystem::path& path, const std::vector<std::int64_t>& shape, const float* data)
{
    writeBinaryFile(path, encodeNpy(shape, data));
}

void writeNpy(const std::filesystem::path& path, const Tensor& tensor)
{
    writeNpy(path, tensor.shape, tensor.data.data());
}

Tensor readNpy(const std::filesystem::path& path)
{
    BinaryFile in(path);
    const std::string file = path.string();
    check<FormatError>(in.size() >= 10 && in.read(0, 6) == kMagic, file + ": not an NPY file (bad magic)");
    const std::string version = in.read(6, 2);
    const bool v1 = version[0] == 1;
    const std::string lenBytes = in.read(8, v1 ? 2 : 4);
    std::uint64_t headerLen = 0;
    for (std::size_t i = lenBytes.size(); i-- > 0;)
        headerLen = (headerLen << 8) | static_cast<unsigned char>(lenBytes[i]);
    const std::uint64_t dataStart = 8 + lenBytes.size() + headerLen;
    const std::string header = in.read(8 + lenBytes.size(), headerLen);
    check<FormatError>(header.find("'fortran_order': False") != std::string::npos,
                       file + ": Fortran-ordered arrays are not supported");
    const bool f8 = header.find("'<f8'") != std::string::npos;
    check<FormatError>(f8 || header.find("'<f4'") != std::string::npos,
                       file + ": only little-endian float32 or float64 arrays are supported");
    Tensor t;
    t.shape = parseShape(header, file);
    const std::uint64_t n = fileElementCount(t.shape, file); // the read below checks the bytes exist first
    const std::string data = in.read(dataStart, n * (f8 ? 8 : 4));
    t.data.resize(n);
    if (!f8) {
        if (n > 0) // an empty array has no buffer to copy into
            std::memcpy(t.data.data(), data.data(), n * 4);
        return t;
    }
    for (std::uint64_t i = 0; i < n; ++i) {
        double v;
        std::memcpy(&v, data.data() + 8 * i, 8);
        t.data[i] = static_cast<float>(v);
    }
    return t;
}

} // namespace attn
